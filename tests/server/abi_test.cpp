// mfr_server_* through the C ABI: start, port, the received-resource callback, stop, and the
// statuses for bad options and dead handles.
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>

#include "../exchange/test_bundles.hpp"
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
  CHECK(mfr_server_start(&server, c.ctx, &missing_files) == MFR_ERR_IO);
  CHECK(std::string(mfr_last_error()).find("certificate") != std::string::npos);

  mfr_server_options first = plain_options(tokens);
  REQUIRE(mfr_server_start(&server, c.ctx, &first) == MFR_OK);
  uint16_t port = 0;
  mfr_server_port(&port, server);
  mfr_server* second = nullptr;
  mfr_server_options same_port = plain_options(tokens);
  same_port.port = port;
  CHECK(mfr_server_start(&second, c.ctx, &same_port) == MFR_ERR_IO);
  CHECK(std::string(mfr_last_error()).find("cannot listen") != std::string::npos);
  CHECK(second == nullptr);
  CHECK(mfr_server_stop(server) == MFR_OK);

  CHECK(mfr_server_start(&server, nullptr, &first) == MFR_ERR_INVALID_HANDLE);
  CHECK(mfr_server_start(&server, c.ctx, nullptr) == MFR_ERR_INVALID_ARGUMENT);
  mfr_server_options old = first;
  old.struct_size = 8;
  CHECK(mfr_server_start(&server, c.ctx, &old) == MFR_ERR_INVALID_ARGUMENT);
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
