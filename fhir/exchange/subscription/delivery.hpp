#pragma once
// Sends the Subscriptions' notifications through the durable outbox (one outbox partner per
// Subscription, "subscription/{id}": the same leases, retries, backoff and dead rows as pushes):
//
//   requested ── handshake sent (2xx) ──> active ── each journal change that matches: one
//       │                                    │        event-notification, in commit order
//       └── handshake refused ──> error      └── heartbeat after heartbeatPeriod of silence
//
// A Subscription has at most one notification in the outbox unsent at a time, so a partner that
// is down gets its notifications later, in order, with events-since-subscription-start counting
// without gaps. The next one is made from the journal (subscription_store.hpp), which is written in
// the same SQLite transaction as the resources: a restart loses nothing. A notification made
// twice (a crash between queuing it and moving the cursor) has the same outbox key and is one row.
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "store/store.hpp"

namespace mfr::subscription {

struct DeliveryOptions {
  std::string subscriber_ca_file;    // PEM of the CA(s) endpoints' certificates chain to; empty: the system's
  bool allow_http_loopback = false;  // http:// endpoints on a loopback address
  std::chrono::milliseconds idle_poll{1000};         // how often it looks when nothing wakes it
  std::chrono::milliseconds request_timeout{10'000};  // one notification: connect, TLS, request, answer
  store::OutboxPolicy outbox;                          // attempts, backoff, lease
};

class Delivery {
 public:
  // Starts the delivery thread.
  Delivery(std::shared_ptr<store::Store> store, DeliveryOptions options);
  // Stops it (a notification being sent is finished or times out first).
  ~Delivery();
  Delivery(const Delivery&) = delete;
  Delivery& operator=(const Delivery&) = delete;

  // Something changed (a write committed, a Subscription made): look now.
  void wake();

 private:
  void run();
  void pass();
  // Sends or makes the next notification of one Subscription; true when it did something.
  bool step(const store::SubscriptionRow& row);
  void send(const store::SubscriptionRow& row, const store::OutboxClaim& claim);

  std::shared_ptr<store::Store> store_;
  DeliveryOptions options_;
  std::map<std::string, std::chrono::steady_clock::time_point> last_sent_;  // for heartbeats
  std::mutex mutex_;
  std::condition_variable wake_;
  bool woken_ = false;
  bool stopping_ = false;
  std::thread thread_;  // last: started when the rest is ready
};

}  // namespace mfr::subscription
