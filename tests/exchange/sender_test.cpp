#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <signal.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "exchange/sender.hpp"
#include "store/store.hpp"
#include "test_bundles.hpp"
#include "test_clients.hpp"

using namespace std::chrono_literals;
using mfr::exchange::Client;
using mfr::exchange::Delivery;
using mfr::exchange::OutboxSender;
using mfr::store::OutboxPolicy;
using mfr::store::OutboxState;
using mfr::store::Store;
using namespace mfr::test;

namespace {

constexpr const char* kPartner = "partner-bordeaux";

std::string session_id(int i) { return "S-2024-" + std::to_string(1000 + i); }

std::string temp_path(const std::string& name) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("mfr_exchange_" + std::to_string(::getpid()) + "_" + name);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return path.string();
}

OutboxPolicy quick_policy() {
  OutboxPolicy policy;
  policy.first_backoff = 200ms;
  policy.max_attempts = 5;
  return policy;
}

}  // namespace

TEST_CASE("while the partner is down Bundles wait in the outbox, and once it is up a flush sends each once",
          "[exchange][sender][outbox]") {
  TestFhirServer server(https_server());
  server.stop();
  Store store = Store::open("");
  auto outbox = store.outbox(quick_policy());
  for (int i = 0; i < 5; ++i) REQUIRE(outbox.enqueue(kPartner, session_bundle(session_id(i), i + 1), session_id(i)).inserted);

  auto options = client_options(server);
  options.retry.max_attempts = 2;
  Client client(options);
  OutboxSender sender(outbox, client, kPartner);
  std::vector<Delivery> deliveries;
  auto record = [&](const Delivery& d) { deliveries.push_back(d); };

  auto report = sender.flush(record);
  CHECK(report.stopped_early);
  CHECK(report.sent == 0);
  CHECK(report.failed == 1);
  REQUIRE(deliveries.size() == 1);
  CHECK(deliveries[0].state == OutboxState::failed);
  CHECK_THAT(deliveries[0].detail, Catch::Contains("cannot connect to 127.0.0.1"));
  CHECK(outbox.count(OutboxState::queued) == 4);
  CHECK(outbox.count(OutboxState::failed) == 1);

  server.start();
  std::this_thread::sleep_for(300ms);  // the failed one's backoff (200 ms ± 20%)
  deliveries.clear();
  report = sender.flush(record);
  CHECK_FALSE(report.stopped_early);
  CHECK(report.sent == 5);
  CHECK(deliveries.size() == 5);
  for (const Delivery& d : deliveries) {
    CHECK(d.state == OutboxState::sent);
    CHECK(d.http_status == 200);
    CHECK(d.detail == "200: 3 entries (201 Created x3)");
  }
  CHECK(outbox.count(OutboxState::sent) == 5);
  CHECK(server.stored("Procedure") == 5);
  CHECK(server.stored("Observation") == 10);

  // The host queues the same sessions again: the outbox keeps one row each, nothing goes out.
  for (int i = 0; i < 5; ++i) CHECK_FALSE(outbox.enqueue(kPartner, session_bundle(session_id(i)), session_id(i)).inserted);
  CHECK(sender.flush(record).sent == 0);
  CHECK(server.transactions_received() == 5);
}

TEST_CASE("a Bundle the partner refuses with a 4xx goes dead with the reason, the others go out",
          "[exchange][sender][outbox]") {
  TestFhirServer server(https_server());
  Store store = Store::open("");
  auto outbox = store.outbox(quick_policy());
  std::string batch = session_bundle("S-2024-2000");
  batch.replace(batch.find("\"transaction\""), 13, "\"batch\"");
  const auto bad = outbox.enqueue(kPartner, batch, "S-2024-2000").id;
  outbox.enqueue(kPartner, session_bundle("S-2024-2001"), "S-2024-2001");
  Client client(client_options(server));
  OutboxPolicy short_lease;
  short_lease.lease = 1s;  // shorter than the client's 8 s operation limit
  CHECK_THROWS_WITH(OutboxSender(store.outbox(short_lease), client, kPartner),
                    "the outbox lease must be longer than the client's operation time limit");
  OutboxSender sender(outbox, client, kPartner);
  const auto report = sender.flush();
  CHECK(report.dead == 1);
  CHECK(report.sent == 1);
  const auto entry = outbox.get(bad);
  CHECK(entry->state == OutboxState::dead);
  CHECK(entry->last_error == "HTTP 400: OperationOutcome error/invalid at Bundle.type");
  CHECK(server.stored("Procedure") == 1);
}

TEST_CASE("a sender killed with SIGKILL mid-flush loses nothing and a restart doubles nothing",
          "[exchange][sender][outbox][crash]") {
  TestFhirServer server(https_server());
  server.delay_transactions(150ms);  // store first, then answer slowly: the kill lands in between
  const std::string db = temp_path("crash.db");
  const std::string ca = temp_path("ca.pem");
  std::ofstream(ca) << test_pki().ca_pem;
  constexpr int kBundles = 12;
  {
    Store store = Store::open(db);
    auto outbox = store.outbox();
    for (int i = 0; i < kBundles; ++i) outbox.enqueue(kPartner, session_bundle(session_id(i), i + 1), session_id(i));
  }

  const std::string helper = MFR_FLUSH_HELPER;
  const std::string url = server.base_url();
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    const char* argv[] = {helper.c_str(), db.c_str(), url.c_str(), ca.c_str(), nullptr};
    ::execv(helper.c_str(), const_cast<char* const*>(argv));
    ::_exit(127);
  }
  const auto give_up = std::chrono::steady_clock::now() + 10s;
  while (server.transactions_received() < 5 && std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(2ms);
  ::kill(child, SIGKILL);
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFSIGNALED(status));
  REQUIRE(server.transactions_received() >= 5);
  const int before_restart = server.transactions_received();
  CHECK(server.stored("Procedure") == static_cast<std::size_t>(before_restart));  // the 5th was stored, not answered

  // Restart: the row that was in flight comes back once its lease (1 s) runs out.
  server.delay_transactions(0ms);
  Store store = Store::open(db);
  auto outbox = store.outbox();
  CHECK(outbox.list().size() == kBundles);
  CHECK(outbox.count(OutboxState::in_flight) == 1);
  std::this_thread::sleep_for(1100ms);
  auto options = client_options(server);
  Client client(options);
  OutboxSender sender(outbox, client, kPartner);
  const auto report = sender.flush();
  CHECK(report.sent == kBundles - (before_restart - 1));
  CHECK(outbox.count(OutboxState::sent) == kBundles);
  CHECK(server.stored("Procedure") == kBundles);      // nothing lost
  CHECK(server.stored("Observation") == 2 * kBundles);  // nothing doubled
  CHECK(server.transactions_received() == kBundles + 1);  // exactly the interrupted one was sent twice
  int resent = 0;
  for (const auto& entry : outbox.list())
    if (entry.attempts == 2) ++resent;
  CHECK(resent == 1);
  std::filesystem::remove(db);
  std::filesystem::remove(ca);
}

// Not a check, a measurement: run with `test_exchange "[measure]"`.
TEST_CASE("measure: outbox flush throughput over one keep-alive HTTPS connection", "[.][measure]") {
  TestFhirServer server(https_server());
  Store store = Store::open(temp_path("measure.db"));
  auto outbox = store.outbox();
  constexpr int kBundles = 300;
  for (int i = 0; i < kBundles; ++i) outbox.enqueue(kPartner, session_bundle(session_id(i), i % 28 + 1), session_id(i));
  Client client(client_options(server));
  OutboxSender sender(outbox, client, kPartner);
  const auto started = std::chrono::steady_clock::now();
  const auto report = sender.flush();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  CHECK(report.sent == kBundles);
  WARN(kBundles << " Bundles (3 resources each) in " << seconds << " s: " << kBundles / seconds
                << " Bundles/s, " << client.connections_opened() << " connection(s)");
}
