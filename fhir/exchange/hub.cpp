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

Recut Hub::recut(Partner& p) {
  Recut out;
  if (!p.limits.any()) return out;
  store::Outbox outbox = store().outbox(p.policy);
  const std::size_t limit = 1'000'000;
  std::vector<store::OutboxEntry> rows;
  for (const store::OutboxState state :
       {store::OutboxState::queued, store::OutboxState::failed, store::OutboxState::in_flight})
    for (store::OutboxEntry& e : outbox.list(state, p.name, limit)) rows.push_back(std::move(e));
  // Oldest first, so the parts keep the order in which the sessions were queued.
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  for (const store::OutboxEntry& row : rows) {
    if (row.state == store::OutboxState::in_flight && !store::Outbox::holder_gone(row) &&
        (!row.lease_until || *row.lease_until > p.policy.clock()))
      continue;  // a live sender has it
    if (p.limits.max_entries <= 0 && row.bundle_json.size() <= p.limits.max_bytes) continue;
    json::Value bundle;
    try {
      bundle = json::Value::parse(row.bundle_json);
    } catch (const json::ParseError&) {
      continue;  // sent as it is; the partner says what it thinks of it
    }
    BundleCut cut = cut_transaction(bundle, p.limits);
    const std::string name = "outbox row " + std::to_string(row.id);
    if (cut.oversized) {
      const std::string reason = "Cannot send " + name + " to the partner \"" + p.name + "\": " + *cut.oversized +
                                 "; a session travels whole, so the row is dead (raise the limit and retry it: "
                                 "`mfr outbox retry " + std::to_string(row.id) + "`, mfr_exchange_outbox_retry())";
      if (!outbox.bury(row.id, reason)) continue;  // a sender took it meanwhile
      ++out.dead;
      log(LogLevel::warning, reason + ".");
      if (p.on_delivery) {
        Delivery d;
        d.outbox_id = row.id;
        d.idempotency_key = row.idempotency_key;
        d.attempt = row.attempts;
        d.state = store::OutboxState::dead;
        d.detail = reason;
        p.on_delivery(d);
      }
      continue;
    }
    if (cut.parts.size() < 2) continue;
    std::vector<store::OutboxPart> parts;
    int entries = 0;
    for (BundlePart& part : cut.parts) {
      entries += part.entries;
      const std::string key = outbox_key(part.json);
      parts.push_back(store::OutboxPart{std::move(part.json), key});
    }
    const auto replaced = outbox.replace(row.id, parts);
    if (!replaced) continue;  // a sender took it meanwhile
    ++out.rows;
    out.parts += static_cast<int>(replaced->size());
    std::string ids;
    for (const store::Enqueued& e : *replaced) ids += (ids.empty() ? "" : ", ") + std::to_string(e.id);
    log(LogLevel::info, "Cut " + name + " (" + std::to_string(entries) + " entries) into " +
                            std::to_string(replaced->size()) + " Bundles for the limits of partner \"" + p.name +
                            "\": outbox rows " + ids + ".");
  }
  return out;
}

FlushOutcome Hub::flush(Partner& p) {
  FlushOutcome out;
  out.recut = recut(p);
  OutboxSender sender(store().outbox(p.policy), *p.client, p.name);
  out.report = sender.flush([&](const Delivery& d) {
    if (p.on_delivery) p.on_delivery(d);
    if (d.state != store::OutboxState::sent) out.reason = d.detail;
  });
  out.report.dead += out.recut.dead;
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
      "Flushed the outbox to \"" + p.name + "\": " +
          (out.recut.rows ? std::to_string(out.recut.rows) + " rows cut into " + std::to_string(out.recut.parts) +
                                " Bundles for its limits, "
                          : std::string()) +
          std::to_string(r.sent) + " sent, " + std::to_string(r.failed) +
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
    if (e.split_from) row["splitFrom"] = static_cast<long long>(*e.split_from);
    row["idempotencyKey"] = e.idempotency_key;
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace mfr::exchange
