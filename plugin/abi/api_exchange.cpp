// Exchange through the C ABI: partners on a context, the durable outbox, push, flush, fetch.
// Calls fhir/exchange and fhir/store only; no HTTP or TLS code here. Never logs a token, a key
// or a Bundle: log lines carry partner names, counts and outbox ids.
#include <openssl/evp.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

#include "codec/export.hpp"
#include "exchange/client.hpp"
#include "exchange/errors.hpp"
#include "exchange/sender.hpp"
#include "json/json.hpp"
#include "mfr/mfr.h"
#include "plugin/abi/guard.hpp"
#include "plugin/abi/handles.hpp"
#include "store/store.hpp"

namespace mfr::abi {

struct Partner {
  std::string name;
  exchange::ClientOptions options;
  store::OutboxPolicy policy;
  std::unique_ptr<exchange::Client> client;  // one keep-alive connection per partner
  mfr_delivery_fn on_delivery = nullptr;
  void* user_data = nullptr;
};

struct ExchangeState {
  std::optional<store::Store> store;
  std::map<std::string, std::unique_ptr<Partner>, std::less<>> partners;
};

}  // namespace mfr::abi

using namespace mfr::abi;
namespace exchange = mfr::exchange;
namespace store = mfr::store;
namespace json = mfr::json;

namespace {

// The fields of the first release; later fields are read only when struct_size covers them.
constexpr std::size_t kPartnerOptionsV1 = sizeof(mfr_partner_options);

ExchangeState& state_of(mfr_context& c) {
  if (!c.exchange) c.exchange = std::make_shared<ExchangeState>();
  return *c.exchange;
}

store::Store& store_of(mfr_context& c) {
  ExchangeState& s = state_of(c);
  if (!s.store) s.store.emplace(store::Store::open(""));
  return *s.store;
}

Partner& partner_of(mfr_context& c, const char* name) {
  require(name, "partner");
  ExchangeState& s = state_of(c);
  const auto found = s.partners.find(std::string_view(name));
  if (found == s.partners.end())
    fail(MFR_ERR_NOT_FOUND, "No partner named \"" + std::string(name) + "\" in this context; add it with mfr_exchange_add_partner().");
  return *found->second;
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

// A partner's answer that was not a success, as a status.
mfr_status status_of_http(int status) {
  if (status == 401 || status == 403) return MFR_ERR_AUTH;
  if (status == 408) return MFR_ERR_TIMEOUT;
  if (status >= 400 && status < 500 && status != 429) return MFR_ERR_REFUSED;
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

// The outbox key of a Bundle: the same sessions give the same bytes, so the same key.
std::string idempotency_key(const std::string& bundle) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bundle.data(), bundle.size(), digest, &length, EVP_sha256(), nullptr) != 1)
    fail(MFR_ERR_INTERNAL, "SHA-256 of the Bundle failed in OpenSSL.");
  static const char* kHex = "0123456789abcdef";
  std::string key = "sha256:";
  for (unsigned int i = 0; i < length; ++i) {
    key += kHex[digest[i] >> 4];
    key += kHex[digest[i] & 15];
  }
  return key;
}

std::string iso_utc(store::Clock::time_point t) {
  const std::time_t seconds = store::Clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

// The sender's reports go to the host's callback as mfr_delivery.
void report_delivery(const Partner& p, const exchange::Delivery& d) {
  if (!p.on_delivery) return;
  mfr_delivery out{};
  out.struct_size = sizeof(mfr_delivery);
  out.partner = p.name.c_str();
  out.outbox_id = d.outbox_id;
  out.idempotency_key = d.idempotency_key.c_str();
  out.attempt = d.attempt;
  out.state = to_abi(d.state);
  out.http_status = d.http_status.value_or(0);
  out.detail = d.detail.c_str();
  try {
    p.on_delivery(p.user_data, &out);
  } catch (...) {
    // a host callback that throws (C++ hosts) must not unwind through us
  }
}

store::OutboxPolicy policy_for(const store::OutboxPolicy& base, const exchange::ClientOptions& options) {
  store::OutboxPolicy policy = base;
  // The lease must outlast one whole send, or a slow send could be claimed twice.
  policy.lease = std::max<std::chrono::milliseconds>(std::chrono::minutes(5), options.timeouts.operation + std::chrono::minutes(1));
  return policy;
}

}  // namespace

extern "C" {

MFR_API mfr_status mfr_exchange_open_store(mfr_context* ctx, const char* path) {
  return guard([&] {
    mfr_context& c = context(ctx);
    const std::string file = text_or_empty(path);
    try {
      state_of(c).store.emplace(store::Store::open(file));
    } catch (const std::exception& e) {
      fail(MFR_ERR_IO, "Cannot open the store \"" + file + "\": " + e.what());
    }
    log(c, MFR_LOG_INFO, file.empty() ? "Opened an in-memory store." : "Opened the store \"" + file + "\".");
  });
}

MFR_API mfr_status mfr_exchange_add_partner(mfr_context* ctx, const mfr_partner_options* options) {
  return guard([&] {
    mfr_context& c = context(ctx);
    require_struct(options, options ? options->struct_size : 0, kPartnerOptionsV1, "options");
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

    auto p = std::make_unique<Partner>();
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
    p->policy = policy_for(p->policy, co);
    p->on_delivery = o.on_delivery;
    p->user_data = o.user_data;
    exchange_call([&] { p->client = std::make_unique<exchange::Client>(co); });
    log(c, MFR_LOG_INFO, "Partner \"" + p->name + "\" configured" + (co.smart ? " (SMART Backend Services)." : "."));
    const std::string name = p->name;
    state_of(c).partners[name] = std::move(p);
  });
}

MFR_API mfr_status mfr_exchange_push(mfr_push_result* out, char** outcome, mfr_context* ctx, const char* partner,
                                     const mfr_session* const* sessions, size_t count, mfr_push_mode mode,
                                     uint32_t timeout_ms) {
  return guard([&] {
    if (outcome) *outcome = nullptr;
    if (out) require_struct(out, out->struct_size, sizeof(mfr_push_result), "out");
    mfr_context& c = context(ctx);
    Partner& p = partner_of(c, partner);
    if (mode != MFR_PUSH_SEND_NOW && mode != MFR_PUSH_QUEUE_ONLY) fail(MFR_ERR_INVALID_ARGUMENT, "mode is not an mfr_push_mode.");
    if (count == 0) fail(MFR_ERR_INVALID_ARGUMENT, "count is 0: there is nothing to push.");
    if (!sessions) fail(MFR_ERR_INVALID_ARGUMENT, "sessions is NULL but count is " + std::to_string(count) + ".");
    const std::vector<mfr::Session> copies = sessions_for_export(sessions, count);
    const json::Value bundle =
        mfr::codec::export_bundle(copies, mfr::codec::BundleType::Transaction, mfr::codec::ExportOptions{c.identifier_system});
    const json::Value* entries = bundle.find("entry");
    const int entry_count = entries && entries->is_array() ? static_cast<int>(entries->size()) : 0;
    const std::string text = bundle.dump();
    const std::string key = idempotency_key(text);

    mfr_push_result result{};
    result.struct_size = sizeof(mfr_push_result);
    result.entries = entry_count;
    std::optional<mfr_status> refusal;
    std::string message;
    std::string answer;
    exchange_call([&] {
      store::Outbox outbox = store_of(c).outbox(p.policy);
      const store::Enqueued queued = outbox.enqueue(p.name, text, key);
      result.outbox_id = queued.id;
      result.inserted = queued.inserted ? 1 : 0;
      std::optional<store::OutboxEntry> row = outbox.get(queued.id);
      log(c, MFR_LOG_INFO,
          (queued.inserted ? "Queued a transaction of " : "Found in the outbox a transaction of ") + std::to_string(entry_count) +
              " entries for partner \"" + p.name + "\" as outbox row " + std::to_string(queued.id) + ".");
      if (mode == MFR_PUSH_SEND_NOW && row && row->state == store::OutboxState::dead) {
        refusal = MFR_ERR_REFUSED;
        message = "This Bundle was refused before (outbox row " + std::to_string(queued.id) + ": " +
                  row->last_error.value_or("dead") + "); mfr_exchange_outbox_retry() queues it again.";
      } else if (mode == MFR_PUSH_SEND_NOW && row && row->state != store::OutboxState::sent) {
        // Asked to send now: a row waiting out a backoff is due now.
        if (row->state == store::OutboxState::failed) outbox.retry(queued.id);
        std::unique_ptr<exchange::Client> own;
        exchange::Client* client = p.client.get();
        store::OutboxPolicy policy = p.policy;
        if (timeout_ms) {
          exchange::ClientOptions options = p.options;
          options.timeouts.operation = std::chrono::milliseconds(timeout_ms);
          own = std::make_unique<exchange::Client>(options);
          client = own.get();
          policy = policy_for(p.policy, options);
        }
        exchange::OutboxSender sender(store_of(c).outbox(policy), *client, p.name);
        std::optional<exchange::Delivery> mine, last;
        const exchange::FlushReport report = sender.flush([&](const exchange::Delivery& d) {
          report_delivery(p, d);
          last = d;
          if (d.outbox_id == queued.id) mine = d;
        });
        log(c, MFR_LOG_INFO,
            "Sent " + std::to_string(report.sent) + " Bundles to \"" + p.name + "\"; " + std::to_string(report.failed) +
                " failed, " + std::to_string(report.dead) + " refused.");
        if (mine) {
          result.http_status = mine->http_status.value_or(0);
          answer = mine->response_body;
          if (mine->state == store::OutboxState::dead) {
            refusal = MFR_ERR_REFUSED;
            message = "The partner \"" + p.name + "\" refused the Bundle (outbox row " + std::to_string(queued.id) + "): " + mine->detail + ".";
          } else if (mine->state != store::OutboxState::sent) {
            refusal = mine->error ? status_of(*mine->error) : status_of_http(mine->http_status.value_or(0));
            message = "The Bundle was not sent and stays queued as outbox row " + std::to_string(queued.id) + ": " + mine->detail;
          }
        } else if (last) {
          refusal = last->error ? status_of(*last->error) : status_of_http(last->http_status.value_or(0));
          message = "The Bundle was not sent and stays queued as outbox row " + std::to_string(queued.id) +
                    ": an older Bundle for the partner failed first: " + last->detail;
        }
        // Neither: another sender holds the row (in flight elsewhere); its state says so.
        row = outbox.get(queued.id);
      } else if (row && row->state == store::OutboxState::sent) {
        result.http_status = row->response_status.value_or(0);
      }
      if (row) result.state = to_abi(row->state);
    });
    if (out) *out = result;
    if (outcome && !answer.empty()) *outcome = to_host_buffer(answer, nullptr);
    if (refusal) {
      log(c, MFR_LOG_WARNING, message);
      fail(*refusal, message);
    }
  });
}

MFR_API mfr_status mfr_exchange_flush(mfr_flush_report* out, mfr_context* ctx, const char* partner) {
  return guard([&] {
    if (out) require_struct(out, out->struct_size, sizeof(mfr_flush_report), "out");
    mfr_context& c = context(ctx);
    Partner& p = partner_of(c, partner);
    mfr_flush_report report{};
    report.struct_size = sizeof(mfr_flush_report);
    exchange_call([&] {
      exchange::OutboxSender sender(store_of(c).outbox(p.policy), *p.client, p.name);
      std::string reason;
      const exchange::FlushReport r = sender.flush([&](const exchange::Delivery& d) {
        report_delivery(p, d);
        if (d.state != store::OutboxState::sent) reason = d.detail;
      });
      report.sent = r.sent;
      report.failed = r.failed;
      report.dead = r.dead;
      report.stopped_early = r.stopped_early ? 1 : 0;
      const store::Outbox outbox = store_of(c).outbox(p.policy);
      const std::size_t limit = 1'000'000;
      report.remaining = static_cast<int32_t>(outbox.list(store::OutboxState::queued, p.name, limit).size() +
                                              outbox.list(store::OutboxState::failed, p.name, limit).size());
      log(c, r.stopped_early ? MFR_LOG_WARNING : MFR_LOG_INFO,
          "Flushed the outbox to \"" + p.name + "\": " + std::to_string(r.sent) + " sent, " + std::to_string(r.failed) +
              " failed, " + std::to_string(r.dead) + " refused, " + std::to_string(report.remaining) + " waiting" +
              (r.stopped_early ? "; stopped: " + reason : "."));
    });
    if (out) *out = report;
  });
}

MFR_API mfr_status mfr_exchange_fetch(mfr_import_result** out, mfr_context* ctx, const char* partner,
                                      const char* patient_reference) {
  std::vector<std::string> pages;
  std::vector<std::string> names;
  const mfr_status searched = guard([&] {
    require(out, "out");
    mfr_context& c = context(ctx);
    Partner& p = partner_of(c, partner);
    if (!patient_reference || !*patient_reference)
      fail(MFR_ERR_INVALID_ARGUMENT, "patient_reference is required, e.g. \"Patient/123\".");
    const exchange::SearchParams params{{"patient", patient_reference}};
    exchange_call([&] {
      for (const char* type : {"Procedure", "Observation"}) {
        int page_number = 0;
        p.client->search(type, params, [&](const json::Value& page) {
          pages.push_back(page.dump());
          names.push_back(std::string(type) + " search, page " + std::to_string(++page_number));
          return true;
        });
      }
    });
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
    require_struct(out, out ? out->struct_size : 0, sizeof(mfr_outbox_counts), "out");
    mfr_context& c = context(ctx);
    exchange_call([&] {
      const store::Outbox outbox = store_of(c).outbox();
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
    json::Value rows = json::Value::array();
    exchange_call([&] {
      for (const store::OutboxEntry& e : store_of(c).outbox().list(filter, partner ? partner : "", 1'000'000)) {
        json::Value row = json::Value::object();
        row["id"] = static_cast<long long>(e.id);
        row["partner"] = e.partner;
        row["state"] = std::string(store::to_string(e.state));
        row["attempts"] = e.attempts;
        row["createdAt"] = iso_utc(e.created_at);
        row["updatedAt"] = iso_utc(e.updated_at);
        if (e.state == store::OutboxState::queued || e.state == store::OutboxState::failed)
          row["nextAttemptAt"] = iso_utc(e.next_attempt_at);
        if (e.last_error) row["lastError"] = *e.last_error;
        if (e.response_status) row["responseStatus"] = *e.response_status;
        if (e.response_summary) row["responseSummary"] = *e.response_summary;
        row["idempotencyKey"] = e.idempotency_key;
        rows.push_back(std::move(row));
      }
    });
    *out_json = to_host_buffer(rows.dump(true) + "\n", out_len);
  });
}

MFR_API mfr_status mfr_exchange_outbox_retry(mfr_context* ctx, int64_t outbox_id) {
  return guard([&] {
    mfr_context& c = context(ctx);
    bool done = false;
    exchange_call([&] { done = store_of(c).outbox().retry(outbox_id); });
    if (!done) fail(MFR_ERR_NOT_FOUND, "No failed or dead outbox row has id " + std::to_string(outbox_id) + ".");
    log(c, MFR_LOG_INFO, "Outbox row " + std::to_string(outbox_id) + " queued again.");
  });
}

MFR_API mfr_status mfr_exchange_outbox_purge_dead(size_t* removed, mfr_context* ctx) {
  return guard([&] {
    mfr_context& c = context(ctx);
    std::size_t n = 0;
    exchange_call([&] { n = store_of(c).outbox().purge_dead(); });
    if (removed) *removed = n;
    log(c, MFR_LOG_INFO, "Purged " + std::to_string(n) + " dead outbox rows.");
  });
}

}  // extern "C"
