// Issue 15 item 3: a partner that rate-limits (429 or 503 with Retry-After) defers the outbox row
// to the time it gave, without using up the Bundle's delivery attempts; a separate cap keeps a
// partner that always answers 429 from holding a row for ever. Against the real HTTPS test
// server on loopback, answering 429/503 + Retry-After on demand.
#include <catch2/catch.hpp>

#include <ctime>
#include <memory>

#include "exchange/sender.hpp"
#include "store/store.hpp"
#include "test_bundles.hpp"
#include "test_clients.hpp"

using namespace std::chrono_literals;
using mfr::exchange::Client;
using mfr::exchange::Delivery;
using mfr::exchange::OutboxSender;
using mfr::store::Clock;
using mfr::store::OutboxPolicy;
using mfr::store::OutboxState;
using mfr::store::Store;
using namespace mfr::test;

namespace {

constexpr const char* kPartner = "partner-bordeaux";

std::string session_id(int i) { return "S-2024-3" + std::to_string(100 + i); }

// "Wed, 03 Dec 2026 06:10:00 GMT", `ahead` from now.
std::string http_date(std::chrono::seconds ahead) {
  const std::time_t t = Clock::to_time_t(Clock::now() + ahead);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buffer;
}

bool near(Clock::time_point a, Clock::time_point b) { return a > b - 2s && a < b + 2s; }

}  // namespace

TEST_CASE("a 429 with Retry-After in seconds defers the row until then and keeps its attempts",
          "[exchange][sender][rate-limit]") {
  TestFhirServer server(https_server());
  Store store = Store::open("");
  auto outbox = store.outbox();
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(outbox.enqueue(kPartner, session_bundle(session_id(i), i + 1), session_id(i)).id);
  server.fail_next(1000, 429, "120");
  Client client(client_options(server));
  OutboxSender sender(outbox, client, kPartner);
  std::vector<Delivery> deliveries;

  const auto report = sender.flush([&](const Delivery& d) { deliveries.push_back(d); });
  CHECK(report.stopped_early);  // nothing more goes to the partner in this flush
  CHECK(report.deferred == 1);
  CHECK(report.failed == 0);
  CHECK(report.sent == 0);
  REQUIRE(report.retry_at);
  CHECK(near(*report.retry_at, Clock::now() + 120s));
  CHECK(server.requests_received() == 1);  // longer than the operation may wait: asked once
  REQUIRE(deliveries.size() == 1);
  CHECK(deliveries[0].state == OutboxState::queued);
  CHECK(deliveries[0].http_status == 429);
  CHECK_THAT(deliveries[0].detail, Catch::StartsWith("HTTP 429: OperationOutcome error/transient; the partner asked to wait until 20"));
  CHECK_THAT(deliveries[0].detail, Catch::EndsWith("(deferral 1 of 50)"));

  const auto row = outbox.get(ids[0]);
  CHECK(row->state == OutboxState::queued);
  CHECK(row->attempts == 0);
  CHECK(row->deferrals == 1);
  CHECK(near(row->next_attempt_at, Clock::now() + 120s));
  for (int i = 1; i < 3; ++i) CHECK(outbox.get(ids[i])->attempts == 0);
}

TEST_CASE("a 503 with Retry-After as an HTTP-date defers the row to that date", "[exchange][sender][rate-limit]") {
  TestFhirServer server(https_server());
  Store store = Store::open("");
  auto outbox = store.outbox();
  const auto id = outbox.enqueue(kPartner, session_bundle(session_id(9)), session_id(9)).id;
  server.fail_next(1000, 503, http_date(90s));
  Client client(client_options(server));
  OutboxSender sender(outbox, client, kPartner);
  const auto report = sender.flush();
  CHECK(report.deferred == 1);
  REQUIRE(report.retry_at);
  CHECK(near(*report.retry_at, Clock::now() + 90s));
  const auto row = outbox.get(id);
  CHECK(row->state == OutboxState::queued);
  CHECK(row->attempts == 0);
  CHECK(near(row->next_attempt_at, Clock::now() + 90s));
}

TEST_CASE("a partner that always answers 429 holds a row only max_deferrals times, then it fails as usual",
          "[exchange][sender][rate-limit]") {
  TestFhirServer server(https_server());
  Store store = Store::open("");
  auto now = std::make_shared<Clock::time_point>(std::chrono::floor<std::chrono::milliseconds>(Clock::now()));
  OutboxPolicy policy;
  policy.max_deferrals = 3;
  policy.clock = [now] { return *now; };
  auto outbox = store.outbox(policy);
  const auto id = outbox.enqueue(kPartner, session_bundle(session_id(7)), session_id(7)).id;
  server.fail_next(1000, 429, "60");
  Client client(client_options(server));
  OutboxSender sender(outbox, client, kPartner);
  for (int i = 1; i <= 3; ++i) {
    const auto report = sender.flush();
    CHECK(report.deferred == 1);
    CHECK(outbox.get(id)->deferrals == i);
    CHECK(outbox.get(id)->attempts == 0);
    CHECK(sender.flush().deferred == 0);  // not due before the partner's time: nothing sent
    *now += 61s;
  }
  std::vector<Delivery> deliveries;
  const auto report = sender.flush([&](const Delivery& d) { deliveries.push_back(d); });
  CHECK(report.deferred == 0);
  CHECK(report.failed == 1);
  CHECK_FALSE(report.retry_at);
  REQUIRE(deliveries.size() == 1);
  CHECK_THAT(deliveries[0].detail, Catch::EndsWith("deferred 3 times already, so this answer counts as a failed attempt"));
  const auto row = outbox.get(id);
  CHECK(row->state == OutboxState::failed);
  CHECK(row->attempts == 1);
  CHECK(row->next_attempt_at >= *now + 60s);  // still no sooner than the partner asked
  CHECK(server.transactions_received() == 4);

  // The partner is back: once due, the row goes out.
  server.fail_next(0, 200);
  *now += 2h;
  CHECK(sender.flush().sent == 1);
  CHECK(server.stored("Procedure") == 1);
}

TEST_CASE("a short Retry-After is waited out within the send, and a 429 without one is a failed attempt",
          "[exchange][sender][rate-limit]") {
  TestFhirServer server(https_server());
  Store store = Store::open("");
  auto outbox = store.outbox();
  const auto first = outbox.enqueue(kPartner, session_bundle(session_id(1)), session_id(1)).id;
  server.fail_next(1, 429, "1");
  Client client(client_options(server));
  OutboxSender sender(outbox, client, kPartner);
  auto report = sender.flush();
  CHECK(report.sent == 1);
  CHECK(report.deferred == 0);
  CHECK(outbox.get(first)->deferrals == 0);

  const auto second = outbox.enqueue(kPartner, session_bundle(session_id(2)), session_id(2)).id;
  server.fail_next(1000, 429);
  auto options = client_options(server);
  options.retry.max_attempts = 1;
  Client impatient(options);
  OutboxSender other(outbox, impatient, kPartner);
  report = other.flush();
  CHECK(report.failed == 1);
  CHECK(report.deferred == 0);
  CHECK_FALSE(report.retry_at);
  CHECK(outbox.get(second)->attempts == 1);
  CHECK(outbox.get(second)->state == OutboxState::failed);
}
