#include "exchange/sender.hpp"

#include <map>

#include "exchange/lease_heartbeat.hpp"
#include "exchange/retry_policy.hpp"
#include "exchange/utc.hpp"

namespace mfr::exchange {
namespace {

// Why a partner refused a Bundle, from its OperationOutcome: severity, code and FHIRPath only;
// diagnostics may quote patient data and are left in the partner's logs.
std::string refusal_reason(const Response& response) {
  std::string reason = "HTTP " + std::to_string(response.status);
  if (response.body.string_at("resourceType") != "OperationOutcome") return reason;
  const json::Value* issues = response.body.find("issue");
  if (!issues || !issues->is_array() || issues->size() == 0) return reason;
  const json::Value& first = issues->as_array().front();
  reason += ": OperationOutcome " + std::string(first.string_at("severity").value_or("?")) + "/" +
            std::string(first.string_at("code").value_or("?"));
  if (const json::Value* expression = first.find("expression"); expression && expression->is_array())
    for (const json::Value& e : expression->as_array())
      if (e.is_string()) reason += " at " + std::string(e.as_string());
  if (issues->size() > 1) reason += " (+" + std::to_string(issues->size() - 1) + " more issues)";
  return reason;
}

}  // namespace

std::string summarize_transaction_response(const Response& response) {
  std::string out = std::to_string(response.status);
  const json::Value* entries = response.body.find("entry");
  if (!entries || !entries->is_array()) return out;
  std::map<std::string, int> statuses;
  for (const json::Value& entry : entries->as_array())
    if (const json::Value* r = entry.find("response"))
      ++statuses[std::string(r->string_at("status").value_or("?"))];
  out += ": " + std::to_string(entries->size()) + " entries (";
  bool first = true;
  for (const auto& [status, count] : statuses) {
    out += (first ? "" : ", ") + status + " x" + std::to_string(count);
    first = false;
  }
  return out + ")";
}

OutboxSender::OutboxSender(store::Outbox outbox, Client& client, std::string partner)
    : outbox_(std::move(outbox)), client_(client), partner_(std::move(partner)) {
  if (outbox_.policy().lease <= client_.options().timeouts.operation)
    throw ExchangeError(ErrorKind::configuration,
                        "the outbox lease must be longer than the client's operation time limit");
}

void OutboxSender::defer(const store::OutboxClaim& claim, const Response& response, Delivery& delivery,
                         FlushReport& report) {
  const std::string reason = refusal_reason(response);
  const auto deferral = outbox_.mark_deferred(claim, *response.retry_after, reason);
  if (!deferral) {
    delivery.detail = reason;
    delivery.state = store::OutboxState::in_flight;  // stale: another sender holds the row
    return;
  }
  delivery.state = deferral->state;
  const int cap = outbox_.policy().max_deferrals;
  if (deferral->state == store::OutboxState::queued) {
    delivery.retry_at = deferral->due;
    delivery.detail = reason + "; the partner asked to wait until " + iso_utc(deferral->due) + " (deferral " +
                      std::to_string(deferral->deferrals) + " of " + std::to_string(cap) + ")";
    ++report.deferred;
    report.retry_at = deferral->due;
  } else {
    delivery.detail = reason + "; deferred " + std::to_string(cap) +
                      " times already, so this answer counts as a failed attempt";
  }
}

FlushReport OutboxSender::flush(const std::function<void(const Delivery&)>& on_delivery, int max_deliveries) {
  FlushReport report;
  for (int done = 0; done < max_deliveries; ++done) {
    const auto claim = outbox_.claim_next(partner_);
    if (!claim) break;
    Delivery delivery{claim->id, claim->idempotency_key, claim->attempt, store::OutboxState::queued, {}, {}, {}, {}, {}};
    bool stop = false;
    try {
      const Response response = [&] {
        const LeaseHeartbeat heartbeat(outbox_, *claim, heartbeat_interval(outbox_.policy().lease));
        return client_.post_transaction(claim->bundle_json);
      }();
      delivery.http_status = response.status;
      delivery.response_body = response.body_text;
      if (response.status >= 200 && response.status < 300) {
        delivery.detail = summarize_transaction_response(response);
        // A stale claim (our lease ran out mid-send) leaves the row to whoever took it; the
        // partner already holds the records, and their resend will find them (ifNoneExist).
        delivery.state = outbox_.mark_sent(*claim, response.status, delivery.detail) ? store::OutboxState::sent
                                                                                     : store::OutboxState::in_flight;
      } else if (response.status >= 400 && response.status < 500 && !is_retryable_status(response.status) &&
                 response.status != 408 && response.status != 401 && response.status != 403) {
        // The partner read the Bundle and said no; sending it again cannot change that.
        delivery.detail = refusal_reason(response);
        if (response.status == 413)
          delivery.detail += "; the partner takes no transaction Bundle this large: set its limit with "
                             "max_bundle_entries or max_bundle_bytes (--max-bundle-entries N, --max-bundle-bytes N) "
                             "and retry this row (`mfr outbox retry " + std::to_string(claim->id) +
                             "`, mfr_exchange_outbox_retry()) and flush, or push the sessions again: either sends them as "
                             "several smaller Bundles";
        outbox_.mark_dead(*claim, delivery.detail);
        delivery.state = store::OutboxState::dead;
      } else if ((response.status == 429 || response.status == 503) && response.retry_after) {
        defer(*claim, response, delivery, report);
        stop = true;
      } else {
        delivery.detail = refusal_reason(response);
        delivery.state = outbox_.mark_failed(*claim, delivery.detail).value_or(store::OutboxState::in_flight);
        stop = true;
      }
    } catch (const ExchangeError& e) {
      delivery.detail = e.what();
      delivery.error = e.kind();
      delivery.state = outbox_.mark_failed(*claim, delivery.detail).value_or(store::OutboxState::in_flight);
      stop = true;
    }
    if (delivery.state == store::OutboxState::sent) ++report.sent;
    if (delivery.state == store::OutboxState::failed) ++report.failed;
    if (delivery.state == store::OutboxState::dead) ++report.dead;
    if (on_delivery) on_delivery(delivery);
    if (stop) {
      report.stopped_early = true;
      break;
    }
  }
  return report;
}

}  // namespace mfr::exchange
