#include "exchange/subscription/notification.hpp"

#include "codec/uuid5.hpp"

namespace mfr::subscription {
namespace {

json::Value part(std::string_view name, std::string_view value_key, json::Value value) {
  json::Value p = json::Value::object();
  p["name"] = name;
  p[value_key] = std::move(value);
  return p;
}

json::Value reference(std::string reference) {
  json::Value r = json::Value::object();
  r["reference"] = std::move(reference);
  return r;
}

std::string full_url(const StatusFacts& facts, const store::StoredResource& r) {
  return facts.base_url + "/" + r.type + "/" + r.id;
}

}  // namespace

std::string_view to_code(NotificationType type) noexcept {
  switch (type) {
    case NotificationType::Handshake: return "handshake";
    case NotificationType::Heartbeat: return "heartbeat";
    case NotificationType::EventNotification: return "event-notification";
    case NotificationType::QueryStatus: return "query-status";
  }
  return "event-notification";
}

json::Value status_parameters(const StatusFacts& facts, const std::vector<Event>& events) {
  json::Value p = json::Value::object();
  p["resourceType"] = "Parameters";
  p["meta"]["profile"].push_back(kStatusProfile);
  json::Value& list = p["parameter"];
  list.push_back(part("subscription", "valueReference",
                      reference(facts.base_url + "/Subscription/" + facts.subscription_id)));
  list.push_back(part("topic", "valueCanonical", kTopicUrl));
  list.push_back(part("status", "valueCode", facts.status));
  list.push_back(part("type", "valueCode", to_code(facts.type)));
  // R4 has no integer64: the IG carries the event counts as strings.
  list.push_back(part("events-since-subscription-start", "valueString", std::to_string(facts.events_since_start)));
  for (const Event& event : events) {
    json::Value notification = json::Value::object();
    notification["name"] = "notification-event";
    json::Value& parts = notification["part"];
    parts.push_back(part("event-number", "valueString", std::to_string(event.number)));
    parts.push_back(part("timestamp", "valueInstant", event.timestamp));
    for (const auto& focus : event.focus) parts.push_back(part("focus", "valueReference", reference(full_url(facts, focus))));
    list.push_back(std::move(notification));
  }
  if (!facts.error.empty()) {
    json::Value error = json::Value::object();
    error["text"] = facts.error;
    list.push_back(part("error", "valueCodeableConcept", std::move(error)));
  }
  return p;
}

std::string notification_bundle(const StatusFacts& facts, const std::vector<Event>& events, Content content) {
  const std::string name = "mfr-subscription|" + facts.subscription_id + "|" + std::string(to_code(facts.type)) + "|" +
                           std::to_string(events.empty() ? facts.events_since_start : events.front().number);
  json::Value bundle = json::Value::object();
  bundle["resourceType"] = "Bundle";
  bundle["id"] = codec::uuid5(name);
  bundle["meta"]["lastUpdated"] = facts.now;
  bundle["type"] = "history";
  json::Value status = json::Value::object();
  status["fullUrl"] = "urn:uuid:" + codec::uuid5(name + "|status");
  status["resource"] = status_parameters(facts, events);
  status["request"]["method"] = "GET";
  status["request"]["url"] = facts.base_url + "/Subscription/" + facts.subscription_id + "/$status";
  status["response"]["status"] = "200";
  bundle["entry"].push_back(std::move(status));
  if (content != Content::Empty)
    for (const Event& event : events)
      for (const auto& focus : event.focus) {
        json::Value entry = json::Value::object();
        entry["fullUrl"] = full_url(facts, focus);
        if (content == Content::FullResource) entry["resource"] = json::Value::parse(focus.json);
        entry["request"]["method"] = focus.version == 1 ? "POST" : "PUT";
        entry["request"]["url"] = focus.version == 1 ? focus.type : focus.type + "/" + focus.id;
        entry["response"]["status"] = focus.version == 1 ? "201" : "200";
        bundle["entry"].push_back(std::move(entry));
      }
  return bundle.dump();
}

}  // namespace mfr::subscription
