#pragma once
// When to try a request again and how long to wait first: exponential backoff with jitter,
// stretched to what the partner asked for in Retry-After.
#include <chrono>
#include <optional>
#include <string_view>

namespace mfr::exchange {

struct RetryPolicy {
  int max_attempts = 5;  // including the first
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{30'000};
  double jitter = 0.2;                            // ± this fraction of the backoff
  std::chrono::milliseconds max_retry_after{120'000};  // a partner asking for longer is not waited for
};

// 429 Too Many Requests and the gateway/unavailable 5xx answers; never another 4xx.
bool is_retryable_status(int status) noexcept;

// The Retry-After header value (delta-seconds or an HTTP-date) as a wait, or nullopt when absent
// or unreadable.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value);

// The wait before attempt `next_attempt` (2 = first retry): the backoff for that attempt with
// jitter, but never less than `retry_after`.
std::chrono::milliseconds retry_delay(const RetryPolicy& policy, int next_attempt,
                                      std::optional<std::chrono::milliseconds> retry_after);

}  // namespace mfr::exchange
