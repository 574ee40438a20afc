// The audit trail with a store in a file: its own connection, its own table.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "exchange/server/audit_trail.hpp"
#include "net_helpers.hpp"

namespace mfr::test {

TEST_CASE("with a store in a file, the trail writes on a connection of its own: reads go on while a batch waits",
          "[server]") {
  const std::string path = temp_file("audit-connection.db", "");
  std::filesystem::remove(path);
  auto store = std::make_shared<store::Store>(store::Store::open(path));
  CHECK(std::filesystem::equivalent(store->path(), path));
  CHECK(store::Store::open("").path().empty());
  store->put(R"({"resourceType":"Procedure","id":"p1","status":"completed"})");
  {
    server::AuditTrail trail(store, std::chrono::milliseconds(1));
    // Another process holds the file's write lock, as a long commit would: the trail's batch
    // waits for it (the busy timeout), and must not hold up the store's readers meanwhile.
    sqlite3* other = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &other) == SQLITE_OK);
    REQUIRE(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
    trail.record(R"({"resourceType":"AuditEvent","id":"a1"})");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the writer is waiting by now
    CHECK(store->read("Procedure", "p1").has_value());
    CHECK(store->audit_log().count() == 0);
    REQUIRE(sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(other);
    trail.flush();
    CHECK(trail.failed_batches() == 0);  // with one connection the read above waited out the
                                         // busy timeout while the writer held the store's lock,
                                         // and the batch then failed
  }
  const auto entries = store->audit_log().entries();
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].seq == 1);
  CHECK(entries[0].json == R"({"resourceType":"AuditEvent","id":"a1"})");
  CHECK(store->count("AuditEvent") == 0);  // not a resource of the store
}

TEST_CASE("the audit log gives its entries back in the order written, page by page", "[server]") {
  auto store = store::Store::open("");
  store::AuditLog log = store.audit_log();
  std::vector<std::string> events;
  for (int i = 0; i < 25; ++i) events.push_back("{\"n\":" + std::to_string(i) + "}");
  log.append({events.begin(), events.begin() + 10});
  log.append({events.begin() + 10, events.end()});
  CHECK(log.count() == 25);
  std::vector<std::string> read;
  std::int64_t after = 0;
  for (;;) {
    const auto page = store.audit_log().entries(after, 7);
    if (page.empty()) break;
    CHECK(page.size() <= 7);
    for (const auto& entry : page) {
      CHECK(entry.seq > after);
      after = entry.seq;
      read.push_back(entry.json);
    }
  }
  CHECK(read == events);
}

}  // namespace mfr::test
