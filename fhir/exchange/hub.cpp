#include "exchange/hub.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <stdexcept>

namespace mfr::exchange {

std::string outbox_key(std::string_view bundle_json) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bundle_json.data(), bundle_json.size(), digest, &length, EVP_sha256(), nullptr) != 1)
    throw std::logic_error("SHA-256 of the Bundle failed in OpenSSL.");
  static const char* kHex = "0123456789abcdef";
  std::string key = "sha256:";
  for (unsigned int i = 0; i < length; ++i) {
    key += kHex[digest[i] >> 4];
    key += kHex[digest[i] & 15];
  }
  return key;
}

store::OutboxPolicy lease_policy(store::OutboxPolicy base, const ClientOptions& options) {
  base.lease = std::max<std::chrono::milliseconds>(std::chrono::minutes(5), options.timeouts.operation + std::chrono::minutes(1));
  return base;
}

ErrorKind kind_of_status(int status) noexcept {
  if (status == 401 || status == 403) return ErrorKind::authorization;
  if (status == 408) return ErrorKind::timeout;
  if (status >= 400 && status < 500 && status != 429) return ErrorKind::http_status;
  return ErrorKind::unavailable;
}

void Hub::open_store(const std::string& path) { store_.emplace(store::Store::open(path)); }

store::Store& Hub::store() {
  if (!store_) store_.emplace(store::Store::open(""));
  return *store_;
}

Partner& Hub::add_partner(std::unique_ptr<Partner> p) {
  p->policy = lease_policy(p->policy, p->options);
  p->client = std::make_unique<Client>(p->options);
  const std::string name = p->name;
  Partner& added = *p;
  partners_[name] = std::move(p);
  return added;
}

Partner* Hub::find(std::string_view name) {
  const auto found = partners_.find(name);
  return found == partners_.end() ? nullptr : found->second.get();
}

PushOutcome Hub::push(Partner& p, const std::string& text, int entries, PushMode mode, std::chrono::milliseconds timeout) {
  PushOutcome result;
  result.entries = entries;
  const std::string key = outbox_key(text);
  store::Outbox outbox = store().outbox(p.policy);
  const store::Enqueued queued = outbox.enqueue(p.name, text, key);
  result.outbox_id = queued.id;
  result.inserted = queued.inserted;
  std::optional<store::OutboxEntry> row = outbox.get(queued.id);
  log(LogLevel::info, (queued.inserted ? "Queued a transaction of " : "Found in the outbox a transaction of ") +
                          std::to_string(entries) + " entries for partner \"" + p.name + "\" as outbox row " +
                          std::to_string(queued.id) + ".");
  const std::string row_name = "outbox row " + std::to_string(queued.id);
  if (mode == PushMode::send_now && row && row->state == store::OutboxState::dead) {
    result.error = ErrorKind::http_status;
    result.message = "This Bundle was refused before (" + row_name + ": " + row->last_error.value_or("dead") +
                     "); mfr_exchange_outbox_retry() queues it again.";
  } else if (mode == PushMode::send_now && row && row->state != store::OutboxState::sent) {
    // Asked to send now: a row waiting out a backoff is due now.
    if (row->state == store::OutboxState::failed) outbox.retry(queued.id);
    std::unique_ptr<Client> own;
    Client* client = p.client.get();
    store::OutboxPolicy policy = p.policy;
    if (timeout.count() > 0) {
      ClientOptions options = p.options;
      options.timeouts.operation = timeout;
      own = std::make_unique<Client>(options);
      client = own.get();
      policy = lease_policy(p.policy, options);
    }
    OutboxSender sender(store().outbox(policy), *client, p.name);
    std::optional<Delivery> mine, last;
    const FlushReport report = sender.flush([&](const Delivery& d) {
      if (p.on_delivery) p.on_delivery(d);
      last = d;
      if (d.outbox_id == queued.id) mine = d;
    });
    log(LogLevel::info, "Sent " + std::to_string(report.sent) + " Bundles to \"" + p.name + "\"; " +
                            std::to_string(report.failed) + " failed, " + std::to_string(report.dead) + " refused.");
    if (mine) {
      result.http_status = mine->http_status.value_or(0);
      result.answer = mine->response_body;
      if (mine->state == store::OutboxState::dead) {
        result.error = ErrorKind::http_status;
        result.message = "The partner \"" + p.name + "\" refused the Bundle (" + row_name + "): " + mine->detail + ".";
      } else if (mine->state != store::OutboxState::sent) {
        result.error = mine->error ? *mine->error : kind_of_status(mine->http_status.value_or(0));
        result.message = "The Bundle was not sent and stays queued as " + row_name + ": " + mine->detail;
      }
    } else if (last) {
      result.error = last->error ? *last->error : kind_of_status(last->http_status.value_or(0));
      result.message = "The Bundle was not sent and stays queued as " + row_name +
                       ": an older Bundle for the partner failed first: " + last->detail;
    }
    // Neither: another sender holds the row (in flight elsewhere; its state says so), or the
    // partner deferred it and it is not due before the time the partner gave.
    row = outbox.get(queued.id);
    if (!mine && !last && row && row->state == store::OutboxState::queued && row->deferrals > 0 &&
        row->next_attempt_at > p.policy.clock()) {
      result.error = ErrorKind::unavailable;
      result.message = "The Bundle was not sent and stays queued as " + row_name +
                       ": the partner asked to wait until " + iso_utc(row->next_attempt_at) + ".";
    }
  } else if (row && row->state == store::OutboxState::sent) {
    result.http_status = row->response_status.value_or(0);
  }
  if (row) result.state = row->state;
  if (result.error) log(LogLevel::warning, result.message);
  return result;
}

FlushOutcome Hub::flush(Partner& p) {
  FlushOutcome out;
  OutboxSender sender(store().outbox(p.policy), *p.client, p.name);
  out.report = sender.flush([&](const Delivery& d) {
    if (p.on_delivery) p.on_delivery(d);
    if (d.state != store::OutboxState::sent) out.reason = d.detail;
  });
  const store::Outbox outbox = store().outbox(p.policy);
  const std::size_t limit = 1'000'000;
  // Rows another sender holds are unsent too: a flush never says "0 waiting" while they are.
  out.in_flight = static_cast<int>(outbox.list(store::OutboxState::in_flight, p.name, limit).size());
  out.remaining = static_cast<int>(outbox.list(store::OutboxState::queued, p.name, limit).size() +
                                   outbox.list(store::OutboxState::failed, p.name, limit).size()) +
                  out.in_flight;
  const FlushReport& r = out.report;
  const std::string stopped = r.retry_at ? "; stopped: the partner asked to wait until " + iso_utc(*r.retry_at) + "."
                              : "; stopped: " + out.reason;
  log(r.stopped_early ? LogLevel::warning : LogLevel::info,
      "Flushed the outbox to \"" + p.name + "\": " + std::to_string(r.sent) + " sent, " + std::to_string(r.failed) +
          " failed, " + std::to_string(r.dead) + " refused, " + std::to_string(out.remaining) + " waiting" +
          (out.in_flight ? " (" + std::to_string(out.in_flight) + " in flight with another sender)" : "") +
          (r.stopped_early ? stopped : "."));
  return out;
}

json::Value Hub::outbox_rows(std::optional<store::OutboxState> state, std::string_view partner) {
  json::Value rows = json::Value::array();
  for (const store::OutboxEntry& e : store().outbox().list(state, partner, 1'000'000)) {
    json::Value row = json::Value::object();
    row["id"] = static_cast<long long>(e.id);
    row["partner"] = e.partner;
    row["state"] = std::string(store::to_string(e.state));
    row["attempts"] = e.attempts;
    if (e.deferrals) row["deferrals"] = e.deferrals;
    row["createdAt"] = iso_utc(e.created_at);
    row["updatedAt"] = iso_utc(e.updated_at);
    if (e.state == store::OutboxState::queued || e.state == store::OutboxState::failed)
      row["nextAttemptAt"] = iso_utc(e.next_attempt_at);
    if (e.state == store::OutboxState::in_flight) {
      if (e.holder) {
        json::Value holder = json::Value::object();
        holder["host"] = e.holder->host;
        holder["pid"] = static_cast<long long>(e.holder->pid);
        // Known gone only on the same machine; elsewhere the lease has to run out.
        holder["gone"] = store::Outbox::holder_gone(e);
        row["holder"] = std::move(holder);
      }
      if (e.lease_until) row["leaseUntil"] = iso_utc(*e.lease_until);
    }
    if (e.last_error) row["lastError"] = *e.last_error;
    if (e.response_status) row["responseStatus"] = *e.response_status;
    if (e.response_summary) row["responseSummary"] = *e.response_summary;
    row["idempotencyKey"] = e.idempotency_key;
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace mfr::exchange
