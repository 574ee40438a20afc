#pragma once
// The server's AuditEvents, written to the store's audit log (store/audit_log.hpp) in batches by
// a thread of its own. One commit
// per request (the store fsyncs every commit) would cap the server at about 2,000 requests a
// second on this machine's disk whatever else it does; one commit per batch does not.
//
// An event reaches the store within `delay` of its request. flush() waits for all recorded so
// far; the destructor flushes. Only a crash of the process or machine can lose the last `delay`
// of events. When the store falls behind and `max_queued` events wait, record() blocks its caller
// until there is room: the server slows down rather than forget.
//
// A store kept in a file is written through a connection of the trail's own: a batch's inserts
// and its commit (an fsync) then do not hold the lock the server's reads wait for, and WAL lets
// those reads go on while the batch is written. A store in memory has no second connection.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/store.hpp"

namespace mfr::server {

class AuditTrail {
 public:
  explicit AuditTrail(std::shared_ptr<store::Store> store,
                      std::chrono::milliseconds delay = std::chrono::milliseconds(20), std::size_t max_queued = 20'000);
  ~AuditTrail();
  AuditTrail(const AuditTrail&) = delete;
  AuditTrail& operator=(const AuditTrail&) = delete;

  void record(std::string event_json);
  void flush();
  // Batches the store refused (a full disk, say); their events are lost, the server goes on.
  std::uint64_t failed_batches() const;

 private:
  void run();

  store::AuditLog log_;  // on a connection of its own, or the given store's
  const std::chrono::milliseconds delay_;
  const std::size_t max_queued_;
  mutable std::mutex mutex_;
  std::condition_variable wake_writer_;
  std::condition_variable written_cv_;
  std::vector<std::string> queue_;
  std::uint64_t recorded_ = 0, written_ = 0, failed_batches_ = 0;
  bool flush_wanted_ = false, stopping_ = false;
  std::thread writer_;
};

}  // namespace mfr::server
