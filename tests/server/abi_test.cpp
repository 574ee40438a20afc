// mfr_server_* through the C ABI: start, port, the received-resource callback, stop, and the
// statuses for bad options and dead handles.
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <cstddef>

#include "../exchange/test_bundles.hpp"
#include "../exchange/test_pki.hpp"
#include "mfr/mfr.h"
#include "mfr/mfr.hpp"
#include "net_helpers.hpp"

namespace mfr::test {
namespace {

constexpr const char* kToken = "clinic-lyon:lyon-secret-0123456789:read,write";

struct Received {
  std::mutex mutex;
  std::multiset<std::string> types;
  bool ids_and_json_given = true;
};

void on_received(void* user_data, const char* type, const char* id, const char* json) {
  auto* received = static_cast<Received*>(user_data);
  std::lock_guard lock(received->mutex);
  received->types.insert(type);
  received->ids_and_json_given = received->ids_and_json_given && id && *id && json && std::string(json).find(id) != std::string::npos;
}

struct Context {
  mfr_context* ctx = nullptr;
  Context() {
    mfr_context_options o = MFR_CONTEXT_OPTIONS_INIT;
    o.identifier_system = "https://clinic.example/fhir/sessions";
    REQUIRE(mfr_context_open(&ctx, &o) == MFR_OK);
  }
  ~Context() { mfr_context_close(ctx); }
};

mfr_server_options plain_options(const char* const* tokens) {
  mfr_server_options o = MFR_SERVER_OPTIONS_INIT;
  o.allow_plain_http = 1;
  o.tokens = tokens;
  o.token_count = 1;
  return o;
}

}  // namespace

TEST_CASE("a server started through the C ABI stores a partner's transaction, announces it and stops",
          "[server][abi]") {
  Context c;
  Received received;
  const auto dir = std::filesystem::path(temp_file("keep", "")).parent_path();
  const std::string store = (dir / "clinic.db").string();
  const char* tokens[] = {kToken};
  mfr_server_options o = plain_options(tokens);
  o.store_path = store.c_str();
  o.on_received = on_received;
  o.user_data = &received;
  mfr_server* server = nullptr;
  REQUIRE(mfr_server_start(&server, c.ctx, &o) == MFR_OK);
  uint16_t port = 0;
  REQUIRE(mfr_server_port(&port, server) == MFR_OK);
  CHECK(port != 0);

  const std::string bundle = session_bundle("S-2024-0401", 1);
  const auto response = raw_exchange(port, "POST /fhir HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer lyon-secret-0123456789\r\n"
                                           "Content-Type: application/fhir+json\r\nContent-Length: " +
                                               std::to_string(bundle.size()) + "\r\n\r\n" + bundle);
  CHECK(response.status == 200);
  {
    std::lock_guard lock(received.mutex);
    CHECK(received.types == std::multiset<std::string>{"Observation", "Observation", "Procedure"});
    CHECK(received.ids_and_json_given);
  }
  CHECK(mfr_server_stop(server) == MFR_OK);
  CHECK(std::filesystem::file_size(store) > 0);
  CHECK(mfr_server_stop(server) == MFR_ERR_INVALID_HANDLE);
  CHECK(mfr_server_stop(nullptr) == MFR_ERR_INVALID_HANDLE);
  CHECK(mfr_server_port(&port, server) == MFR_ERR_INVALID_HANDLE);
  CHECK(raw_exchange(port, "GET /fhir/metadata HTTP/1.1\r\nHost: x\r\n\r\n", std::chrono::milliseconds(500)).status == 0);
}

TEST_CASE("mfr_server_start refuses unusable options with a status and a sentence", "[server][abi]") {
  Context c;
  const char* tokens[] = {kToken};
  mfr_server* server = nullptr;

  mfr_server_options everywhere = plain_options(tokens);
  everywhere.bind_address = "0.0.0.0";
  CHECK(mfr_server_start(&server, c.ctx, &everywhere) == MFR_ERR_INVALID_ARGUMENT);
  CHECK(std::string(mfr_last_error()).find("loopback") != std::string::npos);

  mfr_server_options no_certificate = plain_options(tokens);
  no_certificate.allow_plain_http = 0;
  CHECK(mfr_server_start(&server, c.ctx, &no_certificate) == MFR_ERR_INVALID_ARGUMENT);

  const char* weak[] = {"clinic-lyon:short:read"};
  mfr_server_options weak_token = plain_options(weak);
  CHECK(mfr_server_start(&server, c.ctx, &weak_token) == MFR_ERR_INVALID_ARGUMENT);
  CHECK(std::string(mfr_last_error()).find("tokens[0]") != std::string::npos);

  mfr_server_options missing_files = plain_options(tokens);
  missing_files.allow_plain_http = 0;
  missing_files.certificate_file = "/nonexistent/cert.pem";
  missing_files.private_key_file = "/nonexistent/key.pem";
  CHECK(mfr_server_start(&server, c.ctx, &missing_files) == MFR_ERR_TLS);
  CHECK(std::string(mfr_last_error()).find("/nonexistent/cert.pem") != std::string::npos);

  mfr_server_options first = plain_options(tokens);
  REQUIRE(mfr_server_start(&server, c.ctx, &first) == MFR_OK);
  uint16_t port = 0;
  mfr_server_port(&port, server);
  mfr_server* second = nullptr;
  mfr_server_options same_port = plain_options(tokens);
  same_port.port = port;
  CHECK(mfr_server_start(&second, c.ctx, &same_port) == MFR_ERR_NETWORK);
  CHECK(std::string(mfr_last_error()).find("cannot listen on 127.0.0.1 port " + std::to_string(port)) != std::string::npos);
  CHECK(second == nullptr);
  CHECK(mfr_server_stop(server) == MFR_OK);

  CHECK(mfr_server_start(&server, nullptr, &first) == MFR_ERR_INVALID_HANDLE);
  CHECK(mfr_server_start(&server, c.ctx, nullptr) == MFR_ERR_INVALID_ARGUMENT);
  mfr_server_options old = first;
  old.struct_size = 8;
  CHECK(mfr_server_start(&server, c.ctx, &old) == MFR_ERR_INVALID_ARGUMENT);
}

TEST_CASE("mfr_server_start says MFR_ERR_TLS for a certificate or key it cannot use, naming the file",
          "[server][abi]") {
  Context c;
  const char* tokens[] = {kToken};
  mfr_server* server = nullptr;
  const std::string certificate = temp_file("server-cert.pem", test_pki().server.certificate_pem);
  const std::string key = temp_file("server-key.pem", test_pki().server.key_pem);
  const std::string other_key = temp_file("other-key.pem", test_pki().client.key_pem);
  const std::string garbage = temp_file("garbage.pem", "not a certificate\n");
  auto tls_options = [&](const std::string& cert, const std::string& private_key) {
    mfr_server_options o = plain_options(tokens);
    o.allow_plain_http = 0;
    o.certificate_file = cert.c_str();
    o.private_key_file = private_key.c_str();
    return o;
  };
  mfr_server_options good = tls_options(certificate, key);
  REQUIRE(mfr_server_start(&server, c.ctx, &good) == MFR_OK);
  CHECK(mfr_server_stop(server) == MFR_OK);

  mfr_server_options mismatch = tls_options(certificate, other_key);
  CHECK(mfr_server_start(&server, c.ctx, &mismatch) == MFR_ERR_TLS);
  CHECK(std::string(mfr_last_error()).find("does not match the certificate " + certificate) != std::string::npos);

  mfr_server_options not_pem = tls_options(garbage, key);
  CHECK(mfr_server_start(&server, c.ctx, &not_pem) == MFR_ERR_TLS);
  CHECK(std::string(mfr_last_error()).find("certificate " + garbage) != std::string::npos);

  mfr_server_options bad_key = tls_options(certificate, garbage);
  CHECK(mfr_server_start(&server, c.ctx, &bad_key) == MFR_ERR_TLS);
  CHECK(std::string(mfr_last_error()).find("private key " + garbage) != std::string::npos);

  const std::string nowhere = "/nonexistent/key.pem";
  mfr_server_options missing_key = tls_options(certificate, nowhere);
  CHECK(mfr_server_start(&server, c.ctx, &missing_key) == MFR_ERR_TLS);
}

TEST_CASE("mfr_server_start says MFR_ERR_NETWORK for an address it cannot bind", "[server][abi]") {
  Context c;
  const char* tokens[] = {kToken};
  mfr_server* server = nullptr;
  const std::string certificate = temp_file("server-cert.pem", test_pki().server.certificate_pem);
  const std::string key = temp_file("server-key.pem", test_pki().server.key_pem);
  mfr_server_options foreign = plain_options(tokens);
  foreign.allow_plain_http = 0;
  foreign.certificate_file = certificate.c_str();
  foreign.private_key_file = key.c_str();
  foreign.bind_address = "192.0.2.1";  // TEST-NET-1: an address of no machine, so not of this one
  CHECK(mfr_server_start(&server, c.ctx, &foreign) == MFR_ERR_NETWORK);
  CHECK(std::string(mfr_last_error()).find("cannot listen on 192.0.2.1 port 0") != std::string::npos);
  CHECK(server == nullptr);

  mfr_server_options not_an_address = plain_options(tokens);
  not_an_address.bind_address = "clinic.example";
  CHECK(mfr_server_start(&server, c.ctx, &not_an_address) == MFR_ERR_INVALID_ARGUMENT);
}

TEST_CASE("$export through the C ABI writes into export_directory and stop removes the files", "[server][abi]") {
  Context c;
  const auto dir = std::filesystem::path(temp_file("keep-export", "")).parent_path();
  const std::string exports = (dir / "abi-exports").string();
  const char* tokens[] = {kToken};
  mfr_server_options o = plain_options(tokens);
  o.export_directory = exports.c_str();
  mfr_server* server = nullptr;
  REQUIRE(mfr_server_start(&server, c.ctx, &o) == MFR_OK);
  uint16_t port = 0;
  mfr_server_port(&port, server);
  const std::string bundle = session_bundle("S-2024-0402", 2);
  const std::string auth = "Authorization: Bearer lyon-secret-0123456789\r\n";
  REQUIRE(raw_exchange(port, "POST /fhir HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/fhir+json\r\n"
                             "Content-Length: " + std::to_string(bundle.size()) + "\r\n\r\n" + bundle).status == 200);
  const auto kick = raw_exchange(port, "GET /fhir/$export HTTP/1.1\r\nHost: x\r\n" + auth + "Prefer: respond-async\r\n\r\n");
  REQUIRE(kick.status == 202);
  const auto at = kick.head.find("/fhir/$export-poll/");
  REQUIRE(at != std::string::npos);
  const std::string poll_path = kick.head.substr(at, kick.head.find('\r', at) - at);
  RawResponse status;
  for (int i = 0; i < 300 && (status = raw_exchange(port, "GET " + poll_path + " HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n")).status == 202; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  REQUIRE(status.status == 200);
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(exports)) files += entry.is_regular_file();
  CHECK(files == 2);  // Procedure.ndjson, Observation.ndjson
  CHECK(mfr_server_stop(server) == MFR_OK);
  CHECK_FALSE(std::filesystem::exists(exports));

  // A host built against the first release (struct_size before export_directory) still starts.
  mfr_server_options v1 = plain_options(tokens);
  v1.struct_size = offsetof(mfr_server_options, export_directory);
  v1.export_directory = "/must/not/be/read";
  REQUIRE(mfr_server_start(&server, c.ctx, &v1) == MFR_OK);
  CHECK(mfr_server_stop(server) == MFR_OK);
}

TEST_CASE("the C++ wrapper's Server serves until it goes out of scope", "[server][abi]") {
  const Api api = Api::linked();
  const mfr::Context ctx(api, "https://clinic.example/fhir/sessions");
  const char* tokens[] = {kToken};
  std::uint16_t port = 0;
  {
    const Server server(ctx, plain_options(tokens));
    port = server.port();
    CHECK(raw_exchange(port, "GET /fhir/metadata HTTP/1.1\r\nHost: x\r\n\r\n").status == 200);
  }
  CHECK(raw_exchange(port, "GET /fhir/metadata HTTP/1.1\r\nHost: x\r\n\r\n", std::chrono::milliseconds(500)).status == 0);
}

}  // namespace mfr::test
