// Hub::push: a transaction Bundle cut to the partner's limits, each part an outbox row, sent now
// or queued. What the caller hears of it is the first part that was not sent, else the last one.
#include <map>
#include <set>

#include "exchange/hub.hpp"

namespace mfr::exchange {
namespace {

struct QueuedPart {
  std::int64_t id = 0;
  std::string name;  // "outbox row 7", or "part 2 of 3 (outbox row 8)"
  bool dead_before = false;
  std::optional<store::OutboxState> state;
  // What became of it.
  int http_status = 0;
  std::string answer;
  std::optional<ErrorKind> error;
  std::string message;
};

}  // namespace

PushOutcome Hub::push(Partner& p, const json::Value& bundle, PushMode mode, std::chrono::milliseconds timeout) {
  const std::vector<BundlePart> cut = split_transaction(bundle, p.limits);
  PushOutcome result;
  result.parts = static_cast<int>(cut.size());
  store::Outbox outbox = store().outbox(p.policy);
  std::vector<QueuedPart> parts;
  for (std::size_t k = 0; k < cut.size(); ++k) {
    const store::Enqueued queued = outbox.enqueue(p.name, cut[k].json, outbox_key(cut[k].json));
    QueuedPart part;
    part.id = queued.id;
    part.name = "outbox row " + std::to_string(queued.id);
    if (cut.size() > 1) part.name = "part " + std::to_string(k + 1) + " of " + std::to_string(cut.size()) + " (" + part.name + ")";
    log(LogLevel::info, (queued.inserted ? "Queued a transaction of " : "Found in the outbox a transaction of ") +
                            std::to_string(cut[k].entries) + " entries for partner \"" + p.name + "\" as " + part.name + ".");
    result.entries += cut[k].entries;
    result.inserted = result.inserted || queued.inserted;
    parts.push_back(std::move(part));
  }
  result.outbox_id = parts.front().id;
  result.last_outbox_id = parts.back().id;

  std::map<std::int64_t, Delivery> mine;
  std::optional<Delivery> last;
  if (mode == PushMode::send_now) {
    recut(p);  // older rows queued before the limits were set go out cut to them too
    bool to_send = false;
    for (QueuedPart& part : parts) {
      const std::optional<store::OutboxEntry> row = outbox.get(part.id);
      if (!row || row->state == store::OutboxState::sent) continue;
      if (row->state == store::OutboxState::dead) {
        part.dead_before = true;
        part.error = ErrorKind::http_status;
        part.message = "This Bundle was refused before (" + part.name + ": " + row->last_error.value_or("dead") +
                       "); mfr_exchange_outbox_retry() queues it again.";
        continue;
      }
      // Asked to send now: a row waiting out a backoff is due now.
      if (row->state == store::OutboxState::failed) outbox.retry(part.id);
      to_send = true;
    }
    if (to_send) {
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
      std::set<std::int64_t> ids;
      for (const QueuedPart& part : parts) ids.insert(part.id);
      OutboxSender sender(store().outbox(policy), *client, p.name);
      const FlushReport report = sender.flush([&](const Delivery& d) {
        if (p.on_delivery) p.on_delivery(d);
        last = d;
        if (ids.count(d.outbox_id)) mine[d.outbox_id] = d;
      });
      log(LogLevel::info, "Sent " + std::to_string(report.sent) + " Bundles to \"" + p.name + "\"; " +
                              std::to_string(report.failed) + " failed, " + std::to_string(report.dead) + " refused.");
    }
  }

  for (QueuedPart& part : parts) {
    const std::optional<store::OutboxEntry> row = outbox.get(part.id);
    const auto delivered = mine.find(part.id);
    if (part.dead_before) {
      // said above
    } else if (delivered != mine.end()) {
      const Delivery& d = delivered->second;
      part.http_status = d.http_status.value_or(0);
      part.answer = d.response_body;
      if (d.state == store::OutboxState::dead) {
        part.error = ErrorKind::http_status;
        part.message = "The partner \"" + p.name + "\" refused the Bundle (" + part.name + "): " + d.detail + ".";
      } else if (d.state != store::OutboxState::sent) {
        part.error = d.error ? *d.error : kind_of_status(d.http_status.value_or(0));
        part.message = "The Bundle was not sent and stays queued as " + part.name + ": " + d.detail;
      }
    } else if (mode == PushMode::send_now && row && row->state != store::OutboxState::sent && last &&
               !mine.count(last->outbox_id)) {
      part.error = last->error ? *last->error : kind_of_status(last->http_status.value_or(0));
      part.message = "The Bundle was not sent and stays queued as " + part.name +
                     ": an older Bundle for the partner failed first: " + last->detail;
    } else if (mode == PushMode::send_now && row && row->state == store::OutboxState::queued && row->deferrals > 0 &&
               row->next_attempt_at > p.policy.clock()) {
      // Deferred by the partner and not due before the time it gave.
      part.error = ErrorKind::unavailable;
      part.message = "The Bundle was not sent and stays queued as " + part.name +
                     ": the partner asked to wait until " + iso_utc(row->next_attempt_at) + ".";
    } else if (row && row->state == store::OutboxState::sent) {
      part.http_status = row->response_status.value_or(0);
    }
    // Neither: another sender holds the row (in flight elsewhere; its state says so).
    if (row) part.state = row->state;
  }
  const QueuedPart* reported = nullptr;  // the first part with an error, else the first unsent, else the last
  for (const QueuedPart& part : parts)
    if (part.error) {
      reported = &part;
      break;
    }
  for (const QueuedPart& part : parts)
    if (!reported && part.state != store::OutboxState::sent) reported = &part;
  if (!reported) reported = &parts.back();
  result.state = reported->state;
  result.http_status = reported->http_status;
  result.answer = reported->answer;
  result.error = reported->error;
  result.message = reported->message;
  if (result.error) log(LogLevel::warning, result.message);
  return result;
}

}  // namespace mfr::exchange
