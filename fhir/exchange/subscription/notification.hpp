#pragma once
// The notification Bundles of the Subscriptions R5 Backport IG, R4 form: a Bundle of type
// history whose first entry is the SubscriptionStatus as a Parameters resource (profile
// backport-subscription-status-r4), then one entry per resource the event is about, with the
// resource (full-resource), only its fullUrl (id-only) or nothing (empty).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "exchange/subscription/subscription.hpp"
#include "json/json.hpp"
#include "store/store.hpp"

namespace mfr::subscription {

inline constexpr std::string_view kStatusProfile =
    "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription-status-r4";

enum class NotificationType { Handshake, Heartbeat, EventNotification, QueryStatus };
std::string_view to_code(NotificationType type) noexcept;  // "handshake", "heartbeat", ...

// One event: its number in the subscription's sequence (1, 2, ... without gaps), when it was
// committed, and the resources it is about (one transaction: all its matching resources).
struct Event {
  std::int64_t number = 0;
  std::string timestamp;                      // FHIR instant
  std::vector<store::StoredResource> focus;  // as stored
};

struct StatusFacts {
  std::string base_url;         // "https://clinic.example.org/fhir"
  std::string subscription_id;  // "3f2c..."
  std::string status;           // "requested", "active", "error", "off"
  NotificationType type = NotificationType::EventNotification;
  std::int64_t events_since_start = 0;  // the number of the last event generated so far
  std::string error;                     // the last delivery error, for $status (no patient data)
  std::string now;                       // FHIR instant: the Bundle's meta.lastUpdated
};

// The Parameters SubscriptionStatus for these facts and events (notification-event parts).
json::Value status_parameters(const StatusFacts& facts, const std::vector<Event>& events);

// The whole notification Bundle, as text: status first, then the events' resources. Its ids are
// UUID v5 of the subscription, the type and the first event number, so the same notification
// sent again (a retry) is recognisably the same.
std::string notification_bundle(const StatusFacts& facts, const std::vector<Event>& events, Content content);

}  // namespace mfr::subscription
