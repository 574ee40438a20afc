#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "exchange/client.hpp"
#include "test_bundles.hpp"
#include "test_clients.hpp"

using namespace std::chrono_literals;
using mfr::exchange::Client;
using mfr::exchange::ErrorKind;
using mfr::exchange::ExchangeError;
using namespace mfr::test;

namespace {

// Posts once and returns the error the client raised; fails the test when there was none.
ExchangeError refusal(Client& client) {
  try {
    client.post_transaction(session_bundle("S-2024-0401"));
  } catch (const ExchangeError& e) {
    return e;
  }
  FAIL("the client talked to a server it should have refused");
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("a server certificate from a CA the clinic does not trust is refused, at once",
          "[exchange][tls][security]") {
  TestFhirServer server(https_server());
  auto options = client_options(server);
  options.tls.ca_pem = test_pki().other_ca_pem;
  Client client(options);
  const auto started = std::chrono::steady_clock::now();
  const ExchangeError e = refusal(client);
  CHECK(e.kind() == ErrorKind::tls_verification);
  CHECK_FALSE(e.transient());
  CHECK_THAT(e.what(), Catch::StartsWith("the TLS certificate of 127.0.0.1:" + std::to_string(server.port()) +
                                         " was refused: unable to get local issuer certificate"));
  CHECK(std::chrono::steady_clock::now() - started < 1s);  // not retried
  CHECK(server.requests_received() == 0);
}

TEST_CASE("an expired server certificate is refused with the reason", "[exchange][tls][security]") {
  TestServerOptions expired = https_server();
  expired.identity = test_pki().expired;
  TestFhirServer server(expired);
  Client client(client_options(server));
  const ExchangeError e = refusal(client);
  CHECK(e.kind() == ErrorKind::tls_verification);
  CHECK_THAT(e.what(), Catch::EndsWith("was refused: certificate has expired"));
  CHECK(server.requests_received() == 0);
}

TEST_CASE("a certificate for another host name is refused, by IP address and by DNS name",
          "[exchange][tls][security]") {
  TestServerOptions other_host = https_server();
  other_host.identity = test_pki().wrong_host;
  TestFhirServer server(other_host);
  auto options = client_options(server);
  SECTION("connecting to 127.0.0.1") {
    Client client(options);
    const ExchangeError e = refusal(client);
    CHECK(e.kind() == ErrorKind::tls_verification);
    CHECK_THAT(e.what(), Catch::EndsWith("was refused: IP address mismatch"));
  }
  SECTION("connecting to localhost") {
    options.base_url = "https://localhost:" + std::to_string(server.port()) + "/fhir";
    Client client(options);
    const ExchangeError e = refusal(client);
    CHECK(e.kind() == ErrorKind::tls_verification);
    CHECK_THAT(e.what(), Catch::EndsWith("was refused: hostname mismatch"));
  }
  CHECK(server.requests_received() == 0);
}

TEST_CASE("the right certificate reached by its DNS name is accepted", "[exchange][tls]") {
  TestFhirServer server(https_server());
  auto options = client_options(server);
  options.base_url = "https://localhost:" + std::to_string(server.port()) + "/fhir";
  Client client(options);
  CHECK(client.post_transaction(session_bundle("S-2024-0402")).status == 200);
}

TEST_CASE("a server that requires a client certificate gets ours, and refuses a client without one",
          "[exchange][tls][mtls]") {
  TestServerOptions mtls = https_server();
  mtls.client_ca_pem = test_pki().ca_pem;
  TestFhirServer server(mtls);
  auto options = client_options(server);
  SECTION("with the clinic's client certificate") {
    options.tls.client_certificate_pem = test_pki().client.certificate_pem;
    options.tls.client_key_pem = test_pki().client.key_pem;
    Client client(options);
    CHECK(client.post_transaction(session_bundle("S-2024-0403")).status == 200);
    CHECK(server.stored("Procedure") == 1);
  }
  SECTION("without one") {
    Client client(options);
    const ExchangeError e = refusal(client);
    CHECK(e.kind() == ErrorKind::tls);
    CHECK_FALSE(e.transient());
    CHECK_THAT(e.what(), Catch::Contains("certificate required"));
    CHECK(server.stored("Procedure") == 0);
  }
}

TEST_CASE("a client key that does not match its certificate is a configuration error", "[exchange][tls][mtls]") {
  TestFhirServer server(https_server());
  auto options = client_options(server);
  options.tls.client_certificate_pem = test_pki().client.certificate_pem;
  options.tls.client_key_pem = test_pki().server.key_pem;
  try {
    Client client(options);
    FAIL("a mismatched client key was accepted");
  } catch (const ExchangeError& e) {
    CHECK(e.kind() == ErrorKind::configuration);
    CHECK_THAT(e.what(), Catch::StartsWith("cannot load the client key: key values mismatch"));
  }
}

TEST_CASE("a server that takes the connection but never answers the TLS handshake times out in the handshake",
          "[exchange][tls][timeout]") {
  // A listening socket nobody accepts from: the kernel completes TCP, nothing speaks TLS.
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(listener >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  REQUIRE(::listen(listener, 4) == 0);
  socklen_t length = sizeof address;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
  const std::string port = std::to_string(ntohs(address.sin_port));

  mfr::exchange::ClientOptions options;
  options.base_url = "https://127.0.0.1:" + port + "/fhir";
  options.tls.ca_pem = test_pki().ca_pem;
  options.timeouts.tls_handshake = 300ms;
  options.retry.max_attempts = 2;
  options.retry.initial_backoff = 50ms;
  Client client(options);
  const auto started = std::chrono::steady_clock::now();
  const ExchangeError e = refusal(client);
  const auto took = std::chrono::steady_clock::now() - started;
  ::close(listener);
  CHECK(e.kind() == ErrorKind::timeout);
  CHECK(std::string(e.what()) == "timed out in the TLS handshake with 127.0.0.1:" + port + " (after 2 attempts)");
  CHECK(took >= 600ms);
  CHECK(took < 1500ms);
}
