// The receiving side through the C ABI: mfr_server_start / mfr_server_port / mfr_server_stop over
// fhir/exchange/server. Log lines carry the request line without its query, the status and the
// partner's client name: never a token, a query or a resource.
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "exchange/server/http_server.hpp"
#include "mfr/mfr.h"
#include "plugin/abi/first_release.hpp"
#include "plugin/abi/guard.hpp"
#include "plugin/abi/handles.hpp"
#include "store/store.hpp"

struct mfr_server {
  std::unique_ptr<mfr::server::HttpServer> server;
};

using namespace mfr::abi;

namespace {

std::string text_or(const char* s, const char* fallback = "") { return s ? std::string(s) : std::string(fallback); }


mfr::server::ServerOptions server_options(const mfr_server_options& in, const mfr_context& ctx) {
  mfr::server::ServerOptions o;
  o.bind_address = text_or(in.bind_address, "127.0.0.1");
  if (in.port < 0 || in.port > 65535) fail(MFR_ERR_INVALID_ARGUMENT, "options->port must be 0 to 65535.");
  o.port = static_cast<std::uint16_t>(in.port);
  o.certificate_file = text_or(in.certificate_file);
  o.private_key_file = text_or(in.private_key_file);
  o.client_ca_file = text_or(in.client_ca_file);
  o.allow_plain_http = in.allow_plain_http != 0;
  if (in.token_count && !in.tokens) fail(MFR_ERR_INVALID_ARGUMENT, "options->tokens is NULL but token_count is not 0.");
  for (size_t i = 0; i < in.token_count; ++i) {
    if (!in.tokens[i]) fail(MFR_ERR_INVALID_ARGUMENT, "options->tokens[" + std::to_string(i) + "] is NULL.");
    try {
      o.tokens.push_back(mfr::server::parse_token_grant(in.tokens[i]));
    } catch (const std::invalid_argument& e) {
      fail(MFR_ERR_INVALID_ARGUMENT, "options->tokens[" + std::to_string(i) + "]: " + e.what() + ".");
    }
  }
  o.public_base_url = text_or(in.public_base_url);
  const std::string store_path = text_or(in.store_path);
  const bool has_export_directory = in.struct_size >= MFR_FIRST_RELEASE_END(mfr_server_options, export_directory);
  if (has_export_directory && in.export_directory && *in.export_directory)
    o.export_directory = in.export_directory;
  else if (!store_path.empty())
    o.export_directory = store_path + ".exports";
  // Appended after export_directory: read only when the host's struct covers them.
  if (in.struct_size >= offsetof(mfr_server_options, allow_http_subscribers) + sizeof(in.allow_http_subscribers)) {
    o.subscriber_ca_file = text_or(in.subscriber_ca_file);
    o.allow_http_subscribers = in.allow_http_subscribers != 0;
  }
  if (in.threads < 0) fail(MFR_ERR_INVALID_ARGUMENT, "options->threads must not be negative.");
  if (in.threads) o.threads = in.threads;
  if (in.max_header_bytes) o.header_limit = in.max_header_bytes;
  if (in.max_body_bytes) o.body_limit = in.max_body_bytes;
  if (in.header_timeout_ms) o.header_timeout = std::chrono::milliseconds(in.header_timeout_ms);
  if (in.requests_per_second) {
    o.requests_per_second = in.requests_per_second;
    o.burst = 2.0 * in.requests_per_second;
  }
  if (in.on_received) {
    const mfr_server_received_fn callback = in.on_received;
    void* user_data = in.user_data;
    o.on_received = [callback, user_data](const mfr::store::StoredResource& r) {
      callback(user_data, r.type.c_str(), r.id.c_str(), r.json.c_str());
    };
  }
  // Copied: the context may close before the server stops. Called on the server's threads.
  if (ctx.log && ctx.log_level >= MFR_LOG_INFO) {
    const mfr_log_fn log_fn = ctx.log;
    void* log_data = ctx.user_data;
    o.on_log = [log_fn, log_data](std::string_view line) { log_fn(log_data, MFR_LOG_INFO, std::string(line).c_str()); };
  }
  return o;
}

}  // namespace

extern "C" {

MFR_API mfr_status mfr_server_start(mfr_server** out, mfr_context* ctx, const mfr_server_options* options) {
  return guard([&] {
    require(out, "out");
    const mfr_context& c = context(ctx);
    require_struct(options, options ? options->struct_size : 0, first_release::server_options, "options");
    mfr::server::ServerOptions o = server_options(*options, c);
    std::shared_ptr<mfr::store::Store> store;
    try {
      store = std::make_shared<mfr::store::Store>(mfr::store::Store::open(text_or(options->store_path)));
    } catch (const std::exception& e) {
      fail(MFR_ERR_IO, "The server's store \"" + text_or(options->store_path) + "\" could not be opened: " + e.what() + ".");
    }
    auto handle = std::make_unique<mfr_server>();
    try {
      handle->server = std::make_unique<mfr::server::HttpServer>(std::move(o), std::move(store));
    } catch (const std::invalid_argument& e) {
      fail(MFR_ERR_INVALID_ARGUMENT, std::string("The server options are not usable: ") + e.what() + ".");
    } catch (const mfr::server::TlsSetupError& e) {
      fail(MFR_ERR_TLS, "The server cannot start: " + std::string(e.what()) + ".");
    }
    try {
      handle->server->start();
    } catch (const mfr::server::BindError& e) {
      fail(MFR_ERR_NETWORK, "The server cannot start: " + std::string(e.what()) + ".");
    }
    log(c, MFR_LOG_INFO, "FHIR server listening at " + handle->server->base_url());
    register_handle(handle.get(), HandleKind::Server);
    *out = handle.release();
  });
}

MFR_API mfr_status mfr_server_port(uint16_t* out, const mfr_server* server) {
  return guard([&] {
    require(out, "out");
    check_handle(server, HandleKind::Server);
    *out = server->server->port();
  });
}

MFR_API mfr_status mfr_server_stop(mfr_server* server) {
  return guard([&] {
    check_handle(server, HandleKind::Server);
    if (!unregister_handle(server, HandleKind::Server))
      fail(MFR_ERR_INVALID_HANDLE, "The mfr_server handle was stopped by another thread.");
    server->server->stop();
    delete server;
  });
}

}  // extern "C"
