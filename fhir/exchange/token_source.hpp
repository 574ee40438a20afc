#pragma once
// SMART Backend Services access tokens: fetched with a signed client assertion, cached until
// shortly before they expire, fetched again when the partner says (401) the one we sent is over.
#include <chrono>
#include <functional>
#include <string>

#include "exchange/config.hpp"
#include "exchange/http_message.hpp"

namespace mfr::exchange {

class TokenSource {
 public:
  // Sends one request to the token endpoint (its own connection); may throw ExchangeError.
  using Transport = std::function<HttpResponse(const HttpRequest&)>;

  TokenSource(SmartBackendOptions options, std::string token_target, Transport transport);

  // A token valid now: the cached one, or a new one. Throws ExchangeError(authorization) when
  // the token endpoint refuses (its OAuth "error" code is in the message, never the body).
  const std::string& token();
  // Forget the cached token (the partner answered 401).
  void invalidate() noexcept;
  int tokens_fetched() const noexcept { return fetched_; }

 private:
  SmartBackendOptions options_;
  std::string token_target_;
  Transport transport_;
  std::string token_;
  std::chrono::steady_clock::time_point valid_until_{};
  int fetched_ = 0;
};

}  // namespace mfr::exchange
