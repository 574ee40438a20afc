#pragma once
// A partner's R4 Subscription in the Subscriptions R5 Backport IG's form, read and checked:
// criteria = our topic (topic.hpp) with `backport-filter-criteria` filters, a rest-hook channel
// to an https:// endpoint (http:// only to a loopback address, when the server allows it),
// `channel.header` lines, payload application/fhir+json with `backport-payload-content`, and an
// optional `backport-heartbeat-period`. Every departure is one issue naming its element.
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "exchange/subscription/topic.hpp"
#include "json/json.hpp"
#include "validate/validate.hpp"

namespace mfr::subscription {

inline constexpr std::string_view kBackport = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/";
inline constexpr std::string_view kFilterCriteria =
    "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-filter-criteria";
inline constexpr std::string_view kPayloadContent =
    "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-payload-content";
inline constexpr std::string_view kHeartbeatPeriod =
    "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-heartbeat-period";
inline constexpr std::string_view kSubscriptionProfile =
    "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription";

// What a notification carries of each resource (backport-content-value-set).
enum class Content { Empty, IdOnly, FullResource };
std::string_view to_code(Content content) noexcept;  // "empty", "id-only", "full-resource"

struct EndpointRules {
  bool allow_http_loopback = false;  // mfr serve --allow-http-subscribers
};

// Limits on what a partner may ask us to send: each header line, and how many.
inline constexpr std::size_t kMaxHeaders = 10;
inline constexpr std::size_t kMaxHeaderLength = 4096;
inline constexpr std::size_t kMaxEndpointLength = 2048;
inline constexpr unsigned kMaxHeartbeatSeconds = 86400;

struct SubscriptionRequest {
  std::vector<Filter> filters;
  std::string endpoint;                                       // "https://partner.example.org/hook"
  std::vector<std::pair<std::string, std::string>> headers;  // from "Name: value" lines
  Content content = Content::IdOnly;  // without backport-payload-content: id-only
  unsigned heartbeat_seconds = 0;     // 0: no heartbeats
};

// Reads a Subscription a partner POSTs. Returns the request, or the issues (at least one error)
// when the resource is not one this server takes.
std::variant<SubscriptionRequest, std::vector<validate::Issue>> read_subscription(const json::Value& resource,
                                                                                   const EndpointRules& rules);

// True for an http(s) URL whose host is 127.0.0.0/8, [::1] or localhost.
bool loopback_url(std::string_view url) noexcept;

}  // namespace mfr::subscription
