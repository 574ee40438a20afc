#include "exchange/server/audit_trail.hpp"

namespace mfr::server {
namespace {

store::AuditLog writer_log(const store::Store& given) {
  if (given.path().empty()) return given.audit_log();
  return store::Store::open(given.path()).audit_log();  // the log keeps the new connection open
}

}  // namespace

AuditTrail::AuditTrail(std::shared_ptr<store::Store> store, std::chrono::milliseconds delay, std::size_t max_queued)
    : log_(writer_log(*store)), delay_(delay), max_queued_(max_queued), writer_([this] { run(); }) {}

AuditTrail::~AuditTrail() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_writer_.notify_all();
  writer_.join();
}

void AuditTrail::record(std::string event_json) {
  std::unique_lock lock(mutex_);
  written_cv_.wait(lock, [&] { return queue_.size() < max_queued_ || stopping_; });
  queue_.push_back(std::move(event_json));
  ++recorded_;
  if (queue_.size() == 1) wake_writer_.notify_one();
}

void AuditTrail::flush() {
  std::unique_lock lock(mutex_);
  const std::uint64_t target = recorded_;
  flush_wanted_ = true;
  wake_writer_.notify_one();
  written_cv_.wait(lock, [&] { return written_ >= target; });
}

std::uint64_t AuditTrail::failed_batches() const {
  std::lock_guard lock(mutex_);
  return failed_batches_;
}

void AuditTrail::run() {
  std::vector<std::string> batch;
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_writer_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and everything is written
    // Gather what arrives in the next moment into the same commit, unless someone waits.
    wake_writer_.wait_for(lock, delay_, [&] { return stopping_ || flush_wanted_ || queue_.size() >= max_queued_ / 2; });
    flush_wanted_ = false;
    batch.swap(queue_);
    lock.unlock();
    written_cv_.notify_all();  // room in the queue again
    bool ok = true;
    try {
      log_.append(batch);
    } catch (const std::exception&) {
      ok = false;
    }
    lock.lock();
    written_ += batch.size();
    if (!ok) ++failed_batches_;
    batch.clear();
    written_cv_.notify_all();
  }
}

}  // namespace mfr::server
