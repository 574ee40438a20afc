#pragma once
// Client options for the test server: trust the test CA, and time limits short enough that a
// failing test fails in seconds.
#include "exchange/config.hpp"
#include "test_pki.hpp"
#include "test_server.hpp"

namespace mfr::test {

inline exchange::ClientOptions client_options(const TestFhirServer& server) {
  using namespace std::chrono_literals;
  exchange::ClientOptions options;
  options.base_url = server.base_url();
  options.tls.ca_pem = test_pki().ca_pem;
  options.timeouts.connect = 2s;
  options.timeouts.tls_handshake = 2s;
  options.timeouts.request = 3s;
  options.timeouts.operation = 8s;
  options.retry.max_attempts = 5;
  options.retry.initial_backoff = 100ms;
  options.retry.max_backoff = 1s;
  return options;
}

inline TestServerOptions https_server() {
  TestServerOptions options;
  options.identity = test_pki().server;
  return options;
}

}  // namespace mfr::test
