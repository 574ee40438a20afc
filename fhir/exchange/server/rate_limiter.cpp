#include "exchange/server/rate_limiter.hpp"

#include <algorithm>

namespace mfr::server {

RateLimiter::RateLimiter(double per_second, double burst) : per_second_(per_second), burst_(std::max(burst, 1.0)) {}

bool RateLimiter::allow(const std::string& peer) {
  if (per_second_ <= 0) return true;
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  if (buckets_.size() > 10'000) buckets_.clear();  // many addresses: forget them rather than grow
  auto [it, fresh] = buckets_.try_emplace(peer, Bucket{burst_, now});
  Bucket& bucket = it->second;
  if (!fresh) {
    const double elapsed = std::chrono::duration<double>(now - bucket.last).count();
    bucket.tokens = std::min(burst_, bucket.tokens + elapsed * per_second_);
    bucket.last = now;
  }
  if (bucket.tokens < 1.0) return false;
  bucket.tokens -= 1.0;
  return true;
}

}  // namespace mfr::server
