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
