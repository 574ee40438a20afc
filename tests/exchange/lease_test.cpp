// Issue 15 item 4: a sender renews its lease while a send lasts, so the lease can be taken over
// only when the sender is gone.
#include <catch2/catch.hpp>

#include <atomic>
#include <optional>
#include <thread>

#include "exchange/lease_heartbeat.hpp"
#include "exchange/sender.hpp"
#include "store/store.hpp"
#include "test_bundles.hpp"
#include "test_clients.hpp"

using namespace std::chrono_literals;
using mfr::exchange::Client;
using mfr::exchange::LeaseHeartbeat;
using mfr::exchange::OutboxSender;
using mfr::store::Clock;
using mfr::store::OutboxPolicy;
using mfr::store::OutboxState;
using mfr::store::Store;
using namespace mfr::test;

TEST_CASE("the heartbeat renews a claim's lease every interval until the send ends", "[exchange][lease]") {
  Store store = Store::open("");
  OutboxPolicy policy;
  policy.lease = 600ms;
  auto outbox = store.outbox(policy);
  const auto id = outbox.enqueue("partner-bordeaux", session_bundle("S-2024-4001"), "S-2024-4001").id;
  const auto claim = outbox.claim_next();
  REQUIRE(claim);
  const Clock::time_point first_lease = *outbox.get(id)->lease_until;
  CHECK(mfr::exchange::heartbeat_interval(policy.lease) == 200ms);
  CHECK(mfr::exchange::heartbeat_interval(5min) == 5s);
  {
    const LeaseHeartbeat heartbeat(outbox, *claim, 100ms);
    std::this_thread::sleep_for(750ms);  // longer than the lease itself
    CHECK(heartbeat.renewals() >= 5);
    CHECK_FALSE(outbox.claim_next());  // still ours
  }
  CHECK(*outbox.get(id)->lease_until > first_lease + 500ms);
  std::this_thread::sleep_for(650ms);  // the beats stopped with the send: the lease runs out
  const auto taken = outbox.claim_next();
  REQUIRE(taken);
  CHECK(taken->attempt == 2);
}

TEST_CASE("the sender renews the lease while the partner takes its time to answer", "[exchange][lease]") {
  TestFhirServer server(https_server());
  server.delay_transactions(900ms);
  Store store = Store::open("");
  OutboxPolicy policy;
  policy.lease = 1200ms;  // beats every 400 ms
  auto outbox = store.outbox(policy);
  const auto id = outbox.enqueue("partner-bordeaux", session_bundle("S-2024-4002"), "S-2024-4002").id;
  auto options = client_options(server);
  options.timeouts.operation = 1100ms;
  options.timeouts.request = 1100ms;
  Client client(options);
  OutboxSender sender(outbox, client, "partner-bordeaux");
  std::atomic<bool> done{false};
  std::optional<Clock::time_point> first, last;
  std::thread watcher([&] {
    auto other = store.outbox(policy);
    while (!done) {
      if (const auto row = other.get(id); row && row->state == OutboxState::in_flight && row->lease_until) {
        if (!first) first = row->lease_until;
        last = row->lease_until;
      }
      std::this_thread::sleep_for(20ms);
    }
  });
  const auto report = sender.flush();
  done = true;
  watcher.join();
  CHECK(report.sent == 1);
  REQUIRE(first);
  CHECK(*last >= *first + 300ms);  // renewed during the send
  CHECK(outbox.get(id)->attempts == 1);
}
