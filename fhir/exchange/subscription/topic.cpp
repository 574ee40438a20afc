#include "exchange/subscription/topic.hpp"

#include <algorithm>

namespace mfr::subscription {
namespace {

bool topic_type(std::string_view type) { return type == "Procedure" || type == "Observation"; }

// "Patient/123", an absolute ".../Patient/123" or a bare "123" -> "Patient/123"; "" when the
// reference names something other than a Patient or carries no id.
std::string patient_reference(std::string_view reference) {
  if (const auto at = reference.rfind("Patient/"); at != std::string_view::npos &&
                                                   (at == 0 || reference[at - 1] == '/'))
    reference.remove_prefix(at + 8);
  else if (reference.find('/') != std::string_view::npos)
    return {};
  if (reference.empty() || reference.find_first_of("/?#") != std::string_view::npos) return {};
  return "Patient/" + std::string(reference);
}

}  // namespace

std::variant<Filter, std::string> parse_filter(std::string_view text) {
  Filter filter;
  if (const auto question = text.find('?'); question != std::string_view::npos) {
    filter.resource_type = std::string(text.substr(0, question));
    text.remove_prefix(question + 1);
    if (!topic_type(filter.resource_type))
      return "the filter names '" + filter.resource_type +
             "'; the topic skin-rolling-record carries Procedure and Observation";
  }
  const auto equals = text.find('=');
  if (equals == std::string_view::npos || text.find('&') != std::string_view::npos)
    return std::string("a filter is one parameter=value, such as Observation?patient=Patient/123");
  if (text.substr(0, equals) != "patient")
    return "the filter parameter '" + std::string(text.substr(0, equals)) +
           "' is not supported; the topic skin-rolling-record filters by patient";
  filter.patient = patient_reference(text.substr(equals + 1));
  if (filter.patient.empty())
    return "the patient filter '" + std::string(text.substr(equals + 1)) + "' is not Patient/[id] or [id]";
  return filter;
}

bool matches(const std::vector<Filter>& filters, std::string_view type, const json::Value& resource) {
  if (!topic_type(type)) return false;
  const bool typed = std::any_of(filters.begin(), filters.end(), [](const Filter& f) { return !f.resource_type.empty(); });
  if (typed && std::none_of(filters.begin(), filters.end(), [&](const Filter& f) { return f.resource_type == type; }))
    return false;
  std::string patient;
  if (const json::Value* subject = resource.find("subject"))
    if (auto reference = subject->string_at("reference")) patient = patient_reference(*reference);
  return std::all_of(filters.begin(), filters.end(), [&](const Filter& f) {
    return (!f.resource_type.empty() && f.resource_type != type) || (!patient.empty() && f.patient == patient);
  });
}

}  // namespace mfr::subscription
