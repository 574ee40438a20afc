#pragma once
// Keeps an outbox claim's lease alive while its send lasts: renews it every `interval` on a
// thread of its own until destroyed (the send ended). A sender that is killed stops renewing,
// so its lease runs out; on the same machine its row is free at once (store::is_gone).
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "store/outbox.hpp"

namespace mfr::exchange {

class LeaseHeartbeat {
 public:
  LeaseHeartbeat(store::Outbox outbox, store::OutboxClaim claim, std::chrono::milliseconds interval);
  ~LeaseHeartbeat();
  LeaseHeartbeat(const LeaseHeartbeat&) = delete;
  LeaseHeartbeat& operator=(const LeaseHeartbeat&) = delete;

  int renewals() const;  // leases renewed so far

 private:
  void run();

  store::Outbox outbox_;
  store::OutboxClaim claim_;
  std::chrono::milliseconds interval_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  int renewals_ = 0;
  std::thread thread_;
};

// "A few seconds", and at least three beats within one lease.
std::chrono::milliseconds heartbeat_interval(std::chrono::milliseconds lease);

}  // namespace mfr::exchange
