#pragma once
// Requests per second per client address (a token bucket each), so one partner's runaway loop
// cannot starve the others. Thread-safe.
#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace mfr::server {

class RateLimiter {
 public:
  // `per_second` <= 0 disables the limit.
  RateLimiter(double per_second, double burst);
  // True when `peer` may make one more request now (and takes it from its bucket).
  bool allow(const std::string& peer);

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point last;
  };
  double per_second_;
  double burst_;
  std::mutex mutex_;
  std::map<std::string, Bucket> buckets_;
};

}  // namespace mfr::server
