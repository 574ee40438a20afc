#include "exchange/subscription/delivery.hpp"

#include <cstdio>
#include <ctime>
#include <variant>

#include "exchange/client.hpp"
#include "exchange/subscription/notification.hpp"
#include "exchange/subscription/subscription.hpp"

namespace mfr::subscription {
namespace {

using Steady = std::chrono::steady_clock;

std::string partner_of(const store::SubscriptionRow& row) { return "subscription/" + row.id; }

std::string instant_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(millis));
  return text;
}

// The oldest notification of this outbox partner not yet sent, if any.
std::optional<store::OutboxEntry> unsent(const store::Outbox& outbox, const std::string& partner) {
  std::optional<store::OutboxEntry> oldest;
  for (auto state : {store::OutboxState::in_flight, store::OutboxState::failed, store::OutboxState::queued})
    for (auto& entry : outbox.list(state, partner, 1))
      if (!oldest || entry.id < oldest->id) oldest = std::move(entry);
  return oldest;
}

}  // namespace

Delivery::Delivery(std::shared_ptr<store::Store> store, DeliveryOptions options)
    : store_(std::move(store)), options_(std::move(options)), thread_([this] { run(); }) {}

Delivery::~Delivery() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void Delivery::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

void Delivery::run() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, options_.idle_poll, [this] { return woken_ || stopping_; });
      if (stopping_) return;
      woken_ = false;
    }
    try {
      pass();
    } catch (const std::exception&) {
      // A store error (disk full): the rows stay where they were; the next pass tries again.
    }
  }
}

void Delivery::pass() {
  store::SubscriptionStore subscriptions = store_->subscriptions();
  bool busy = true;
  // Each Subscription in turn, one notification each per round, until none has anything to do.
  for (int round = 0; busy && round < 1000; ++round) {
    busy = false;
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    for (const auto& row : subscriptions.live()) busy = step(row) || busy;
  }
  subscriptions.prune_journal();
}

bool Delivery::step(const store::SubscriptionRow& row) {
  store::Outbox outbox = store_->outbox(options_.outbox);
  store::SubscriptionStore subscriptions = store_->subscriptions();
  const std::string partner = partner_of(row);
  if (const auto pending = unsent(outbox, partner)) {
    if (auto claim = outbox.claim_next(partner)) {
      send(row, *claim);
      return true;
    }
    return false;  // waiting for its backoff (or another sender's lease)
  }
  auto read = read_subscription(json::Value::parse(row.json), {.allow_http_loopback = options_.allow_http_loopback});
  if (!std::holds_alternative<SubscriptionRequest>(read)) {
    subscriptions.set_status(row.id, "error", "the Subscription is no longer one this server takes");
    return false;
  }
  const auto& request = std::get<SubscriptionRequest>(read);
  StatusFacts facts;
  facts.base_url = row.base_url;
  facts.subscription_id = row.id;
  facts.status = row.status;
  facts.now = instant_now();
  if (row.status == "requested") {
    facts.type = NotificationType::Handshake;
    facts.events_since_start = row.events;
    const auto queued = outbox.enqueue(partner, notification_bundle(facts, {}, request.content), "handshake");
    // Sent before a crash kept the status from following: follow now.
    if (const auto entry = outbox.get(queued.id); !queued.inserted && entry && entry->state == store::OutboxState::sent)
      subscriptions.set_status(row.id, "active", std::nullopt);
    return queued.inserted;
  }
  // Active: the next journal change, matching or not.
  if (auto change = subscriptions.next_change(row.cursor)) {
    Event event;
    event.number = row.events + 1;
    event.timestamp = change->committed_at;
    for (const auto& r : change->resources)
      if (auto stored = store_->read_version(r.type, r.id, r.version_id))
        if (matches(request.filters, stored->type, json::Value::parse(stored->json))) event.focus.push_back(std::move(*stored));
    if (!event.focus.empty()) {
      facts.type = NotificationType::EventNotification;
      facts.events_since_start = event.number;
      outbox.enqueue(partner, notification_bundle(facts, {event}, request.content), "event-" + std::to_string(change->txn));
    }
    subscriptions.advance(row.id, change->txn, !event.focus.empty());
    return true;
  }
  if (request.heartbeat_seconds > 0) {
    const auto now = Steady::now();
    auto [last, fresh] = last_sent_.try_emplace(row.id, now);
    if (!fresh && now - last->second >= std::chrono::seconds(request.heartbeat_seconds)) {
      facts.type = NotificationType::Heartbeat;
      facts.events_since_start = row.events;
      last->second = now;
      outbox.enqueue(partner, notification_bundle(facts, {}, Content::Empty),
                     "heartbeat-" + std::to_string(row.events) + "-" + facts.now);
      return true;
    }
  }
  return false;
}

void Delivery::send(const store::SubscriptionRow& row, const store::OutboxClaim& claim) {
  store::Outbox outbox = store_->outbox(options_.outbox);
  store::SubscriptionStore subscriptions = store_->subscriptions();
  const bool handshake = claim.idempotency_key == "handshake";
  std::string failure;
  bool refused = false;  // an answer no retry changes (a 4xx)
  try {
    auto read = read_subscription(json::Value::parse(row.json), {.allow_http_loopback = options_.allow_http_loopback});
    const auto& request = std::get<SubscriptionRequest>(read);
    exchange::ClientOptions client;
    client.base_url = request.endpoint;
    client.allow_insecure_http = request.endpoint.starts_with("http://");
    client.tls.ca_file = options_.subscriber_ca_file;
    client.headers = request.headers;
    client.timeouts.connect = client.timeouts.tls_handshake = client.timeouts.request = client.timeouts.operation =
        options_.request_timeout;
    client.retry.max_attempts = 1;  // the outbox retries, with its backoff
    exchange::Client sender(client);
    const exchange::Response response = sender.post_transaction(claim.bundle_json);
    if (response.status >= 200 && response.status < 300) {
      outbox.mark_sent(claim, response.status, std::to_string(response.status));
      last_sent_[row.id] = Steady::now();
      if (handshake) subscriptions.set_status(row.id, "active", std::nullopt);
      return;
    }
    failure = "the endpoint answered " + std::to_string(response.status);
    refused = response.status >= 400 && response.status < 500 && response.status != 408 && response.status != 429;
  } catch (const std::exception& e) {
    failure = e.what();
  }
  if (handshake) {  // the endpoint refused the handshake: the Subscription is in error
    outbox.mark_dead(claim, failure);
    subscriptions.set_status(row.id, "error", "handshake failed: " + failure);
    return;
  }
  const auto state = refused ? (outbox.mark_dead(claim, failure), std::optional(store::OutboxState::dead))
                             : outbox.mark_failed(claim, failure);
  if (state == store::OutboxState::dead)
    subscriptions.set_status(row.id, "error", "a notification could not be delivered: " + failure);
  else
    subscriptions.set_status(row.id, row.status, failure);
}

}  // namespace mfr::subscription
