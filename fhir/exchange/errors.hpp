#pragma once
// What went wrong while talking to a partner, as a kind the caller can act on and a sentence
// that says where. Messages never carry tokens or bodies.
#include <optional>
#include <stdexcept>
#include <string>

#include "json/json.hpp"

namespace mfr::exchange {

enum class ErrorKind {
  configuration,      // bad URL, plain http:// without allow_insecure_http, unreadable key or CA
  connect,            // name resolution or TCP connect failed (partner down?)
  timeout,            // a step or the whole operation ran out of time
  connection_lost,    // the partner closed or reset the connection mid-exchange
  tls_verification,   // the partner's certificate was refused (wrong CA, expired, wrong host)
  tls,                // any other TLS failure (e.g. the partner refused our client certificate)
  authorization,      // the token endpoint refused us, or the partner kept answering 401
  http_status,        // the partner answered with an error status (search)
  protocol,           // the partner's answer is not what FHIR says it should be
  unavailable,        // the token endpoint answered 429 or 5xx (busy or down for a moment)
};

class ExchangeError : public std::runtime_error {
 public:
  ExchangeError(ErrorKind kind, const std::string& what, std::optional<int> http_status = {},
                json::Value outcome = {})
      : std::runtime_error(what), kind_(kind), http_status_(http_status), outcome_(std::move(outcome)) {}
  ErrorKind kind() const noexcept { return kind_; }
  std::optional<int> http_status() const noexcept { return http_status_; }
  // The partner's OperationOutcome (or other JSON body) for an http_status error, as sent; else null.
  const json::Value& outcome() const noexcept { return outcome_; }
  // Whether trying again later may succeed.
  bool transient() const noexcept {
    return kind_ == ErrorKind::connect || kind_ == ErrorKind::timeout || kind_ == ErrorKind::connection_lost ||
           kind_ == ErrorKind::unavailable;
  }

 private:
  ErrorKind kind_;
  std::optional<int> http_status_;
  json::Value outcome_;
};

}  // namespace mfr::exchange
