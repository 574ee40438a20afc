#pragma once
// Our one SubscriptionTopic (Subscriptions R5 Backport IG, R4 form): a Procedure or Observation of
// ours created or updated, narrowed by `backport-filter-criteria` filters such as
// "Observation?patient=Patient/123". R4 has no SubscriptionTopic resource; the topic is known by
// its canonical URL, which a Subscription names in `criteria`.
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "json/json.hpp"

namespace mfr::subscription {

inline constexpr std::string_view kTopicUrl = "https://mfr-fhir.org/fhir/SubscriptionTopic/skin-rolling-record";

// One filter: the resource type it applies to ("" for both) and the patient it asks for.
struct Filter {
  std::string resource_type;  // "Procedure", "Observation" or ""
  std::string patient;        // "Patient/123"
  bool operator==(const Filter&) const = default;
};

// "Observation?patient=Patient/123", "Procedure?patient=123" or "patient=Patient/123" -> the
// filter; otherwise a sentence saying what is wrong (the only parameter is patient).
std::variant<Filter, std::string> parse_filter(std::string_view text);

// True when a resource of `type` belongs to the topic and passes the filters: the filters that
// name a type limit the topic to the types they name, and every filter that applies to `type`
// must hold (the IG's logical AND).
bool matches(const std::vector<Filter>& filters, std::string_view type, const json::Value& resource);

}  // namespace mfr::subscription
