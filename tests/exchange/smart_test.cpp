#include <catch2/catch.hpp>

#include <thread>

#include "exchange/client.hpp"
#include "test_bundles.hpp"
#include "test_clients.hpp"

using namespace std::chrono_literals;
using mfr::exchange::Client;
using mfr::exchange::ErrorKind;
using mfr::exchange::ExchangeError;
using mfr::exchange::SmartBackendOptions;
using namespace mfr::test;

namespace {

SmartBackendOptions smart_for(const TestFhirServer& server, const std::string& algorithm) {
  SmartBackendOptions smart;
  smart.token_url = server.token_url();
  smart.client_id = "clinic-lyon";
  smart.algorithm = algorithm;
  smart.key_id = "clinic-lyon-2024";
  smart.private_key_pem = algorithm == "ES384" ? test_pki().smart_ec_private_pem : test_pki().smart_rsa_private_pem;
  return smart;
}

}  // namespace

TEST_CASE("a SMART token that expires mid-run is refreshed after the partner's 401", "[exchange][smart]") {
  const std::string algorithm = GENERATE(std::string("RS384"), std::string("ES384"));
  TestServerOptions options = https_server();
  options.smart_public_key_pem = algorithm == "ES384" ? test_pki().smart_ec_public_pem : test_pki().smart_rsa_public_pem;
  options.token_lifetime = 800ms;       // the server stops honouring it early (revoked, clock skew)
  options.advertised_expires_in = 300;  // while telling the client five minutes
  TestFhirServer server(options);
  auto client_opts = client_options(server);
  client_opts.smart = smart_for(server, algorithm);
  Client client(client_opts);

  CHECK(client.post_transaction(session_bundle("S-2024-0501")).status == 200);
  CHECK(client.post_transaction(session_bundle("S-2024-0502")).status == 200);
  CHECK(server.tokens_issued() == 1);  // cached between calls
  std::this_thread::sleep_for(900ms);
  const auto response = client.post_transaction(session_bundle("S-2024-0503"));
  CHECK(response.status == 200);
  CHECK(server.rejected_tokens() == 1);
  CHECK(server.tokens_issued() == 2);
  CHECK(client.tokens_fetched() == 2);
  CHECK(server.stored("Procedure") == 3);
  CHECK(server.assertions_refused() == 0);
}

TEST_CASE("a token the client knows is short-lived is renewed before it is used past its time", "[exchange][smart]") {
  TestServerOptions options = https_server();
  options.smart_public_key_pem = test_pki().smart_rsa_public_pem;
  options.token_lifetime = 1s;
  options.advertised_expires_in = 1;
  TestFhirServer server(options);
  auto client_opts = client_options(server);
  client_opts.smart = smart_for(server, "RS384");
  Client client(client_opts);
  CHECK(client.post_transaction(session_bundle("S-2024-0511")).status == 200);
  std::this_thread::sleep_for(1100ms);
  CHECK(client.post_transaction(session_bundle("S-2024-0512")).status == 200);
  CHECK(server.tokens_issued() == 2);
  CHECK(server.rejected_tokens() == 0);  // renewed before the partner had to say so
}

TEST_CASE("a client assertion signed with a key the partner does not know is refused", "[exchange][smart]") {
  TestServerOptions options = https_server();
  options.smart_public_key_pem = test_pki().smart_rsa_public_pem;
  TestFhirServer server(options);
  auto client_opts = client_options(server);
  client_opts.smart = smart_for(server, "ES384");  // signs with the EC key; the server knows the RSA one
  Client client(client_opts);
  try {
    client.post_transaction(session_bundle("S-2024-0521"));
    FAIL("the partner accepted an assertion it cannot verify");
  } catch (const ExchangeError& e) {
    CHECK(e.kind() == ErrorKind::authorization);
    CHECK(std::string(e.what()) == "the token endpoint refused the client assertion (401, invalid_client)");
  }
  CHECK(server.assertions_refused() == 1);
  CHECK(server.stored("Procedure") == 0);
}

TEST_CASE("a SMART key that does not fit the algorithm is refused before any traffic", "[exchange][smart]") {
  TestServerOptions options = https_server();
  TestFhirServer server(options);
  auto client_opts = client_options(server);
  client_opts.smart = smart_for(server, "RS384");
  client_opts.smart->private_key_pem = test_pki().smart_ec_private_pem;
  CHECK_THROWS_WITH(Client(client_opts), "the SMART private key does not fit RS384");
  CHECK(server.requests_received() == 0);
}
