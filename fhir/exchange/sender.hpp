#pragma once
// Drains the durable outbox to one partner: claims each due Bundle, posts it with the Client
// (renewing the claim's lease every few seconds while the send lasts, lease_heartbeat.hpp),
// and records the outcome — sent (with the partner's answer in short), failed with a backoff,
// or dead (a 4xx refusal, or the last allowed attempt). A partner that cannot be reached ends
// the flush: the rest stay queued for the next one. A partner that is rate-limiting (429 or
// 503 with Retry-After) defers the row to the time it gave, without using up one of the
// Bundle's attempts (store::Outbox::mark_deferred), and ends the flush too: nothing more is sent
// to it before then.
#include <climits>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "exchange/client.hpp"
#include "store/outbox.hpp"

namespace mfr::exchange {

// One delivery attempt, as reported to the caller (no body, no token in it).
struct Delivery {
  std::int64_t outbox_id = 0;
  std::string idempotency_key;
  int attempt = 0;
  // sent, failed or dead after this attempt; queued when the partner deferred it (Retry-After)
  store::OutboxState state = store::OutboxState::queued;
  std::optional<int> http_status;
  std::string detail;  // the response summary when sent, else why it failed
  // What the partner answered (a transaction-response, an OperationOutcome), as received, for
  // the caller to hand on; never logged. Empty when no answer came.
  std::string response_body;
  std::optional<ErrorKind> error;  // why no answer came (network, TLS, time, auth...)
  std::optional<store::Clock::time_point> retry_at;  // deferred: when the partner takes it again
};

struct FlushReport {
  int sent = 0;
  int failed = 0;
  int dead = 0;
  int deferred = 0;            // rows the partner asked to be sent later (Retry-After)
  bool stopped_early = false;  // the partner could not be reached, kept failing, or asked to wait
  std::optional<store::Clock::time_point> retry_at;  // set when it asked to wait: until when
};

class OutboxSender {
 public:
  // `client` must outlive the sender; it talks to the partner named `partner` in the outbox.
  // The outbox lease must outlast the client's whole-operation time limit, or a slow send could
  // be claimed by a second sender while the first still waits: that is refused here.
  OutboxSender(store::Outbox outbox, Client& client, std::string partner);

  FlushReport flush(const std::function<void(const Delivery&)>& on_delivery = {}, int max_deliveries = INT_MAX);

 private:
  void defer(const store::OutboxClaim& claim, const Response& response, Delivery& delivery, FlushReport& report);

  store::Outbox outbox_;
  Client& client_;
  std::string partner_;
};

// "200: 3 entries (201 Created x1, 200 OK x2)": statuses only, nothing from the resources.
std::string summarize_transaction_response(const Response& response);

}  // namespace mfr::exchange
