#include "exchange/lease_heartbeat.hpp"

#include <algorithm>
#include <exception>

namespace mfr::exchange {

LeaseHeartbeat::LeaseHeartbeat(store::Outbox outbox, store::OutboxClaim claim, std::chrono::milliseconds interval)
    : outbox_(std::move(outbox)), claim_(std::move(claim)), interval_(interval) {
  claim_.bundle_json.clear();  // not needed to renew; do not keep a second copy
  thread_ = std::thread([this] { run(); });
}

LeaseHeartbeat::~LeaseHeartbeat() {
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

int LeaseHeartbeat::renewals() const {
  std::lock_guard lock(mutex_);
  return renewals_;
}

void LeaseHeartbeat::run() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return done_; })) {
    lock.unlock();
    bool renewed = false;
    try {
      renewed = outbox_.renew(claim_);
    } catch (const std::exception&) {
      // The store is busy or gone: the next beat tries again; the lease is long enough for a few.
      renewed = true;
    }
    lock.lock();
    if (!renewed) return;  // stale: another sender took the row; nothing of ours to keep alive
    ++renewals_;
  }
}

std::chrono::milliseconds heartbeat_interval(std::chrono::milliseconds lease) {
  return std::clamp<std::chrono::milliseconds>(lease / 3, std::chrono::milliseconds(50), std::chrono::seconds(5));
}

}  // namespace mfr::exchange
