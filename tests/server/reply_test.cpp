// The reply helpers' texts: ids the server assigns, HTTP dates, FHIR instants.
#include <catch2/catch.hpp>

#include <chrono>
#include <ctime>
#include <set>
#include <string>
#include <thread>

#include "exchange/server/reply.hpp"
#include "exchange/server/resource_edit.hpp"

namespace mfr::test {
namespace {

bool is_lower_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// 8-4-4-4-12 lower-case hex digits, the version digit given, the RFC 9562 variant.
void check_uuid_shape(const std::string& id, char version) {
  REQUIRE(id.size() == 36);
  for (std::size_t i = 0; i < id.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) CHECK(id[i] == '-');
    else CHECK(is_lower_hex(id[i]));
  }
  CHECK(id[14] == version);
  CHECK(std::string("89ab").find(id[19]) != std::string::npos);
  CHECK(server::is_fhir_id(id));
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

TEST_CASE("random ids are UUID v4, all different", "[server]") {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = server::random_uuid();
    check_uuid_shape(id, '4');
    seen.insert(id);
  }
  CHECK(seen.size() == 1000);
}

TEST_CASE("time-ordered ids are UUID v7: the time in milliseconds first, so later ids sort after earlier ones",
          "[server]") {
  const std::int64_t before = now_ms();
  const std::string first = server::time_ordered_uuid();
  const std::int64_t after = now_ms();
  check_uuid_shape(first, '7');
  const std::int64_t stamped = std::stoll(first.substr(0, 8) + first.substr(9, 4), nullptr, 16);
  CHECK(stamped >= before);
  CHECK(stamped <= after);

  std::set<std::string> seen{first};
  std::string previous = first;
  for (int i = 0; i < 5; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    const std::string next = server::time_ordered_uuid();
    CHECK(next > previous);
    previous = next;
    seen.insert(next);
  }
  for (int i = 0; i < 1000; ++i) seen.insert(server::time_ordered_uuid());  // many in the same millisecond
  CHECK(seen.size() == 1006);
}

TEST_CASE("ids made on many threads at once are all different", "[server]") {
  std::vector<std::set<std::string>> made(4);
  std::vector<std::thread> threads;
  for (auto& ids : made)
    threads.emplace_back([&ids] {
      for (int i = 0; i < 500; ++i) ids.insert(server::time_ordered_uuid());
    });
  for (auto& t : threads) t.join();
  std::set<std::string> all;
  for (const auto& ids : made) all.insert(ids.begin(), ids.end());
  CHECK(all.size() == 2000);
}

TEST_CASE("HTTP dates are made from FHIR instants in any offset, in English whatever the locale", "[server]") {
  CHECK(server::http_date("2024-03-05T09:30:00.123+01:00") == "Tue, 05 Mar 2024 08:30:00 GMT");
  CHECK(server::http_date("2024-03-05T09:30:00Z") == "Tue, 05 Mar 2024 09:30:00 GMT");
  CHECK(server::http_date("2023-12-31T23:59:59.5-02:30") == "Mon, 01 Jan 2024 02:29:59 GMT");
  CHECK(server::http_date("2000-02-29T00:00:00Z") == "Tue, 29 Feb 2000 00:00:00 GMT");
  CHECK(server::http_date("1999-01-01T00:00:00+14:00") == "Thu, 31 Dec 1998 10:00:00 GMT");
  CHECK(server::http_date("2024-03-05") == "");             // a date, not an instant
  CHECK(server::http_date("2024-03-05T09:30:00") == "");    // no offset
  CHECK(server::http_date("2024-03-05T09:30:00+1") == "");  // a broken offset
  CHECK(server::http_date("") == "");
  CHECK(server::http_date("yesterday") == "");
}

TEST_CASE("the present as an HTTP date and as a FHIR instant", "[server]") {
  const std::time_t before = std::time(nullptr);
  const std::string http = server::http_date_now();
  const std::string instant = server::fhir_instant_now();
  const std::time_t after = std::time(nullptr);
  // Both name a second between before and after: the instant, read back as an HTTP date, too.
  std::set<std::string> seconds;
  for (std::time_t t = before; t <= after; ++t) {
    char text[64];
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    seconds.insert(server::http_date(text));
  }
  CHECK(seconds.count(http) == 1);
  REQUIRE(instant.size() == 24);  // 2024-03-05T09:30:00.123Z
  CHECK(instant[19] == '.');
  CHECK(instant.back() == 'Z');
  CHECK(seconds.count(server::http_date(instant)) == 1);
}

}  // namespace mfr::test
