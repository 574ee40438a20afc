#include "exchange/retry_policy.hpp"

#include <algorithm>
#include <charconv>
#include <ctime>
#include <random>
#include <string>

namespace mfr::exchange {

using std::chrono::milliseconds;

bool is_retryable_status(int status) noexcept {
  return status == 429 || status == 502 || status == 503 || status == 504;
}

std::optional<milliseconds> parse_retry_after(std::string_view value) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  long long seconds = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec == std::errc() && end == value.data() + value.size()) {
    if (seconds < 0) return std::nullopt;
    return milliseconds(seconds * 1000);
  }
  // An HTTP-date: "Wed, 21 Oct 2015 07:28:00 GMT".
  std::tm tm{};
  const std::string text(value);
  const char* rest = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (!rest || *rest != '\0') return std::nullopt;
  const std::time_t when = timegm(&tm);
  const std::time_t now = std::time(nullptr);
  return milliseconds(std::max<long long>(0, static_cast<long long>(when - now)) * 1000);
}

milliseconds retry_delay(const RetryPolicy& policy, int next_attempt, std::optional<milliseconds> retry_after) {
  const int doublings = std::clamp(next_attempt - 2, 0, 30);
  const double base = std::min<double>(static_cast<double>(policy.initial_backoff.count()) * (1LL << doublings),
                                       static_cast<double>(policy.max_backoff.count()));
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const double spread = std::clamp(policy.jitter, 0.0, 1.0);
  std::uniform_real_distribution<double> jitter(1.0 - spread, 1.0 + spread);
  milliseconds delay(static_cast<long long>(base * jitter(rng)));
  if (retry_after) delay = std::max(delay, *retry_after);
  return delay;
}

}  // namespace mfr::exchange
