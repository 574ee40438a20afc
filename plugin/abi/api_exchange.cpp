// Exchange through the C ABI: partners on a context, the durable outbox, push, flush, fetch.
// Calls fhir/exchange and fhir/store only; no HTTP or TLS code here. Never logs a token, a key
// or a Bundle: log lines carry partner names, counts and outbox ids.
#include <chrono>
#include <cstddef>
#include <fstream>
#include <memory>
#include <sstream>

#include "codec/export.hpp"
#include "exchange/errors.hpp"
#include "exchange/fetch.hpp"
#include "exchange/hub.hpp"
#include "json/json.hpp"
#include "mfr/mfr.h"
#include "plugin/abi/first_release.hpp"
#include "plugin/abi/guard.hpp"
#include "plugin/abi/handles.hpp"
#include "store/store.hpp"

namespace mfr::abi {

// A context's exchange state is fhir/exchange's Hub; the ABI adds nothing to it.
struct ExchangeState {
  exchange::Hub hub;
  explicit ExchangeState(exchange::LogFn log) : hub(std::move(log)) {}
};

}  // namespace mfr::abi

using namespace mfr::abi;
namespace exchange = mfr::exchange;
namespace store = mfr::store;
namespace json = mfr::json;

namespace {


exchange::Hub& hub_of(mfr_context& c) {
  if (!c.exchange) {
    const mfr_context* ctx = &c;  // the context owns the state, so it outlives the hub's logger
    c.exchange = std::make_shared<ExchangeState>([ctx](exchange::LogLevel level, const std::string& line) {
      log(*ctx, level == exchange::LogLevel::warning ? MFR_LOG_WARNING : MFR_LOG_INFO, line);
    });
  }
  return c.exchange->hub;
}

exchange::Partner& partner_of(mfr_context& c, const char* name) {
  require(name, "partner");
  exchange::Partner* found = hub_of(c).find(name);
  if (!found)
    fail(MFR_ERR_NOT_FOUND, "No partner named \"" + std::string(name) + "\" in this context; add it with mfr_exchange_add_partner().");
  return *found;
}

std::string text_or_empty(const char* s) { return s ? std::string(s) : std::string(); }

std::string read_secret_file(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(MFR_ERR_IO, std::string("Cannot read the ") + what + " \"" + path + "\".");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void require_readable(const std::string& path, const char* what) {
  if (path.empty()) return;
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(MFR_ERR_IO, std::string("Cannot read the ") + what + " \"" + path + "\".");
}

mfr_status status_of(exchange::ErrorKind kind) {
  switch (kind) {
    case exchange::ErrorKind::configuration: return MFR_ERR_INVALID_ARGUMENT;
    case exchange::ErrorKind::timeout: return MFR_ERR_TIMEOUT;
    case exchange::ErrorKind::tls_verification:
    case exchange::ErrorKind::tls: return MFR_ERR_TLS;
    case exchange::ErrorKind::authorization: return MFR_ERR_AUTH;
    case exchange::ErrorKind::http_status: return MFR_ERR_REFUSED;
    case exchange::ErrorKind::protocol: return MFR_ERR_INVALID_DATA;
    case exchange::ErrorKind::connect:
    case exchange::ErrorKind::connection_lost:
    case exchange::ErrorKind::unavailable: break;
  }
  return MFR_ERR_NETWORK;
}

mfr_outbox_state to_abi(store::OutboxState s) {
  switch (s) {
    case store::OutboxState::queued: return MFR_OUTBOX_QUEUED;
    case store::OutboxState::in_flight: return MFR_OUTBOX_IN_FLIGHT;
    case store::OutboxState::sent: return MFR_OUTBOX_SENT;
    case store::OutboxState::failed: return MFR_OUTBOX_FAILED;
    case store::OutboxState::dead: break;
  }
  return MFR_OUTBOX_DEAD;
}

// Runs `body`, turning exchange and store failures into statuses with their sentences.
template <typename Body>
void exchange_call(Body&& body) {
  try {
    body();
  } catch (const exchange::ExchangeError& e) {
    fail(status_of(e.kind()), e.what());
  } catch (const Failure&) {
    throw;
  } catch (const json::ParseError&) {
    throw;
  } catch (const std::invalid_argument&) {
    throw;
  } catch (const std::runtime_error& e) {
    fail(MFR_ERR_IO, e.what());  // the store (SQLite): a file that cannot be opened or written
  }
}

// The sender's reports go to the host's callback as mfr_delivery.
void report_delivery(const std::string& partner, mfr_delivery_fn on_delivery, void* user_data, const exchange::Delivery& d) {
  mfr_delivery out{};
  out.struct_size = sizeof(mfr_delivery);
  out.partner = partner.c_str();
  out.outbox_id = d.outbox_id;
  out.idempotency_key = d.idempotency_key.c_str();
  out.attempt = d.attempt;
  out.state = to_abi(d.state);
  out.http_status = d.http_status.value_or(0);
  out.detail = d.detail.c_str();
  try {
    on_delivery(user_data, &out);
  } catch (...) {
    // a host callback that throws (C++ hosts) must not unwind through us
  }
}

}  // namespace

extern "C" {

MFR_API mfr_status mfr_exchange_open_store(mfr_context* ctx, const char* path) {
  return guard([&] {
    mfr_context& c = context(ctx);
    const std::string file = text_or_empty(path);
    try {
      hub_of(c).open_store(file);
    } catch (const std::exception& e) {
      fail(MFR_ERR_IO, "Cannot open the store \"" + file + "\": " + e.what());
    }
    log(c, MFR_LOG_INFO, file.empty() ? "Opened an in-memory store." : "Opened the store \"" + file + "\".");
  });
}

MFR_API mfr_status mfr_exchange_add_partner(mfr_context* ctx, const mfr_partner_options* options) {
  return guard([&] {
    mfr_context& c = context(ctx);
    require_struct(options, options ? options->struct_size : 0, first_release::partner_options, "options");
    const mfr_partner_options& o = *options;
    if (!o.name || !*o.name) fail(MFR_ERR_INVALID_ARGUMENT, "options->name is required: the partner's name.");
    if (!o.base_url || !*o.base_url)
      fail(MFR_ERR_INVALID_ARGUMENT, "options->base_url is required: the partner's FHIR base, e.g. https://partner.example/fhir.");
    if (o.smart_algorithm != MFR_SMART_RS384 && o.smart_algorithm != MFR_SMART_ES384)
      fail(MFR_ERR_INVALID_ARGUMENT, "options->smart_algorithm is not an mfr_smart_algorithm.");
    if (o.max_attempts < 0 || o.max_attempts > 20) fail(MFR_ERR_INVALID_ARGUMENT, "options->max_attempts must be 0 (default) to 20.");
    if (o.outbox_max_attempts < 0 || o.outbox_max_attempts > 1000)
      fail(MFR_ERR_INVALID_ARGUMENT, "options->outbox_max_attempts must be 0 (default) to 1000.");
    if (o.page_size < 0 || o.page_size > 1000) fail(MFR_ERR_INVALID_ARGUMENT, "options->page_size must be 0 (default) to 1000.");

    auto p = std::make_unique<exchange::Partner>();
    p->name = o.name;
    exchange::ClientOptions& co = p->options;
    co.base_url = o.base_url;
    co.tls.ca_file = text_or_empty(o.ca_file);
    co.tls.client_certificate_file = text_or_empty(o.client_cert_file);
    co.tls.client_key_file = text_or_empty(o.client_key_file);
    require_readable(co.tls.ca_file, "CA file");
    require_readable(co.tls.client_certificate_file, "client certificate file");
    require_readable(co.tls.client_key_file, "client key file");
    if (co.tls.client_certificate_file.empty() != co.tls.client_key_file.empty())
      fail(MFR_ERR_INVALID_ARGUMENT, "options->client_cert_file and options->client_key_file go together: give both or neither.");
    co.bearer_token = text_or_empty(o.bearer_token);
    if (o.smart_token_url && *o.smart_token_url) {
      exchange::SmartBackendOptions smart;
      smart.token_url = o.smart_token_url;
      smart.client_id = text_or_empty(o.smart_client_id);
      if (smart.client_id.empty()) fail(MFR_ERR_INVALID_ARGUMENT, "options->smart_client_id is required with smart_token_url.");
      if (!o.smart_private_key_file || !*o.smart_private_key_file)
        fail(MFR_ERR_INVALID_ARGUMENT, "options->smart_private_key_file is required with smart_token_url.");
      smart.private_key_pem = read_secret_file(o.smart_private_key_file, "SMART private key file");
      smart.key_id = text_or_empty(o.smart_key_id);
      smart.algorithm = o.smart_algorithm == MFR_SMART_ES384 ? "ES384" : "RS384";
      if (o.smart_scope && *o.smart_scope) smart.scope = o.smart_scope;
      co.smart = std::move(smart);
    }
    co.allow_insecure_http = o.allow_insecure_http != 0;
    using std::chrono::milliseconds;
    if (o.connect_timeout_ms) co.timeouts.connect = co.timeouts.tls_handshake = milliseconds(o.connect_timeout_ms);
    if (o.request_timeout_ms) co.timeouts.request = milliseconds(o.request_timeout_ms);
    if (o.operation_timeout_ms) co.timeouts.operation = milliseconds(o.operation_timeout_ms);
    if (o.max_attempts) co.retry.max_attempts = o.max_attempts;
    if (o.page_size) co.page_size = o.page_size;
    if (o.outbox_max_attempts) p->policy.max_attempts = o.outbox_max_attempts;
    // Appended after user_data: read only when the host's struct covers them.
    if (o.struct_size >= offsetof(mfr_partner_options, max_bundle_bytes) + sizeof(o.max_bundle_bytes)) {
      if (o.max_bundle_entries < 0) fail(MFR_ERR_INVALID_ARGUMENT, "options->max_bundle_entries must be 0 (no limit) or more.");
      if (o.max_bundle_bytes < 0) fail(MFR_ERR_INVALID_ARGUMENT, "options->max_bundle_bytes must be 0 (no limit) or more.");
      p->limits.max_entries = o.max_bundle_entries;
      p->limits.max_bytes = static_cast<std::size_t>(o.max_bundle_bytes);
    }
    if (o.on_delivery)
      p->on_delivery = [name = p->name, fn = o.on_delivery, user_data = o.user_data](const exchange::Delivery& d) {
        report_delivery(name, fn, user_data, d);
      };
    const std::string line = "Partner \"" + p->name + "\" configured" + (co.smart ? " (SMART Backend Services)." : ".");
    exchange_call([&] { hub_of(c).add_partner(std::move(p)); });
    log(c, MFR_LOG_INFO, line);
  });
}

MFR_API mfr_status mfr_exchange_push(mfr_push_result* out, char** outcome, mfr_context* ctx, const char* partner,
                                     const mfr_session* const* sessions, size_t count, mfr_push_mode mode,
                                     uint32_t timeout_ms) {
  return guard([&] {
    if (outcome) *outcome = nullptr;
    if (out) require_struct(out, out->struct_size, first_release::push_result, "out");
    mfr_context& c = context(ctx);
    exchange::Partner& p = partner_of(c, partner);
    if (mode != MFR_PUSH_SEND_NOW && mode != MFR_PUSH_QUEUE_ONLY) fail(MFR_ERR_INVALID_ARGUMENT, "mode is not an mfr_push_mode.");
    if (count == 0) fail(MFR_ERR_INVALID_ARGUMENT, "count is 0: there is nothing to push.");
    if (!sessions) fail(MFR_ERR_INVALID_ARGUMENT, "sessions is NULL but count is " + std::to_string(count) + ".");
    const auto copies = sessions_for_export(sessions, count);
    const json::Value bundle = mfr::codec::export_bundle(copies.sessions, mfr::codec::BundleType::Transaction,
                                                         mfr::codec::ExportOptions{c.identifier_system, c.language},
                                                         copies.received);
    exchange::PushOutcome pushed;
    exchange_call([&] {
      pushed = hub_of(c).push(p, bundle,
                              mode == MFR_PUSH_QUEUE_ONLY ? exchange::PushMode::queue_only : exchange::PushMode::send_now,
                              std::chrono::milliseconds(timeout_ms));
    });
    mfr_push_result result{};
    result.struct_size = sizeof(mfr_push_result);
    result.entries = pushed.entries;
    result.outbox_id = pushed.outbox_id;
    result.inserted = pushed.inserted ? 1 : 0;
    result.http_status = pushed.http_status;
    if (pushed.state) result.state = to_abi(*pushed.state);
    result.parts = pushed.parts;
    result.last_outbox_id = pushed.last_outbox_id;
    if (out) copy_out(out, result);
    if (outcome && !pushed.answer.empty()) *outcome = to_host_buffer(pushed.answer, nullptr);
    if (pushed.error) fail(status_of(*pushed.error), pushed.message);
  });
}

MFR_API mfr_status mfr_exchange_flush(mfr_flush_report* out, mfr_context* ctx, const char* partner) {
  return guard([&] {
    if (out) require_struct(out, out->struct_size, first_release::flush_report, "out");
    mfr_context& c = context(ctx);
    exchange::Partner& p = partner_of(c, partner);
    mfr_flush_report report{};
    report.struct_size = sizeof(mfr_flush_report);
    exchange_call([&] {
      const exchange::FlushOutcome f = hub_of(c).flush(p);
      report.sent = f.report.sent;
      report.failed = f.report.failed;
      report.dead = f.report.dead;
      report.stopped_early = f.report.stopped_early ? 1 : 0;
      report.remaining = static_cast<int32_t>(f.remaining);
      report.deferred = f.report.deferred;
      report.in_flight = static_cast<int32_t>(f.in_flight);
      report.recut = f.recut.rows;
      report.recut_parts = f.recut.parts;
      if (f.report.retry_at) report.retry_at = store::Clock::to_time_t(*f.report.retry_at);
    });
    if (out) copy_out(out, report);
  });
}

MFR_API mfr_status mfr_exchange_fetch(mfr_import_result** out, mfr_context* ctx, const char* partner,
                                      const char* patient_reference) {
  std::vector<std::string> pages;
  std::vector<std::string> names;
  const mfr_status searched = guard([&] {
    require(out, "out");
    mfr_context& c = context(ctx);
    exchange::Partner& p = partner_of(c, partner);
    if (!patient_reference || !*patient_reference)
      fail(MFR_ERR_INVALID_ARGUMENT, "patient_reference is required, e.g. \"Patient/123\".");
    exchange::FetchResult fetched;
    exchange_call([&] { fetched = exchange::fetch_ours(*p.client, patient_reference); });
    for (exchange::FetchedPage& page : fetched.pages) {
      names.push_back(std::move(page.name));
      pages.push_back(std::move(page.json));
    }
    for (const std::string& type : fetched.unfiltered)
      log(c, MFR_LOG_INFO, "The partner \"" + p.name + "\" does not search " + type +
                               " by code; its whole answer was read and only our records kept.");
    log(c, MFR_LOG_INFO, "Fetched " + std::to_string(pages.size()) + " search pages from \"" + p.name + "\".");
  });
  if (searched != MFR_OK) return searched;
  std::vector<mfr_input_buffer> inputs;
  for (std::size_t i = 0; i < pages.size(); ++i) {
    mfr_input_buffer b = MFR_INPUT_BUFFER_INIT;
    b.name = names[i].c_str();
    b.data = pages[i].data();
    b.len = pages[i].size();
    b.input = MFR_INPUT_JSON;
    inputs.push_back(b);
  }
  return mfr_import_many(out, ctx, inputs.data(), inputs.size());
}

MFR_API mfr_status mfr_exchange_outbox_counts(mfr_outbox_counts* out, mfr_context* ctx) {
  return guard([&] {
    require_struct(out, out ? out->struct_size : 0, first_release::outbox_counts, "out");
    mfr_context& c = context(ctx);
    exchange_call([&] {
      const store::Outbox outbox = hub_of(c).store().outbox();
      out->queued = outbox.count(store::OutboxState::queued);
      out->in_flight = outbox.count(store::OutboxState::in_flight);
      out->sent = outbox.count(store::OutboxState::sent);
      out->failed = outbox.count(store::OutboxState::failed);
      out->dead = outbox.count(store::OutboxState::dead);
    });
  });
}

MFR_API mfr_status mfr_exchange_outbox_list(char** out_json, size_t* out_len, mfr_context* ctx, const char* partner,
                                            int32_t state) {
  return guard([&] {
    require(out_json, "out_json");
    mfr_context& c = context(ctx);
    if (state < -1 || state > MFR_OUTBOX_DEAD) fail(MFR_ERR_INVALID_ARGUMENT, "state must be an mfr_outbox_state or -1.");
    std::optional<store::OutboxState> filter;
    if (state >= 0) filter = static_cast<store::OutboxState>(state);  // same order as the store's enum
    json::Value rows;
    exchange_call([&] { rows = hub_of(c).outbox_rows(filter, partner ? partner : ""); });
    *out_json = to_host_buffer(rows.dump(true) + "\n", out_len);
  });
}

MFR_API mfr_status mfr_exchange_outbox_retry(mfr_context* ctx, int64_t outbox_id) {
  return guard([&] {
    mfr_context& c = context(ctx);
    bool done = false;
    exchange_call([&] { done = hub_of(c).store().outbox().retry(outbox_id); });
    if (!done)
      fail(MFR_ERR_NOT_FOUND, "No failed or dead outbox row, nor one in flight whose sender is gone, has id " +
                                  std::to_string(outbox_id) + ".");
    log(c, MFR_LOG_INFO, "Outbox row " + std::to_string(outbox_id) + " queued again.");
  });
}

MFR_API mfr_status mfr_exchange_outbox_purge_dead(size_t* removed, mfr_context* ctx) {
  return guard([&] {
    mfr_context& c = context(ctx);
    std::size_t n = 0;
    exchange_call([&] { n = hub_of(c).store().outbox().purge_dead(); });
    if (removed) *removed = n;
    log(c, MFR_LOG_INFO, "Purged " + std::to_string(n) + " dead outbox rows.");
  });
}

}  // extern "C"
