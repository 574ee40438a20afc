#include "store/resource_index.hpp"

#include "codec/elements.hpp"

namespace mfr::store::detail {
namespace {

// A logical reference by identifier is indexed as its conditional form "Patient?identifier=s|v",
// what the server stores in place of a transaction's conditional reference.
std::optional<std::string> reference_at(const json::Value& resource, std::string_view member) {
  if (const json::Value* ref = resource.find(member))
    if (std::string text = codec::reference_text(ref); !text.empty()) return text;
  return std::nullopt;
}

// "system|value" and the bare value, so a search may give either.
void add_token(std::vector<std::string>& out, const json::Value& item, std::string_view value_key) {
  const auto value = item.string_at(value_key);
  if (!value) return;
  const auto system = item.string_at("system");
  out.push_back(std::string(system.value_or("")) + "|" + std::string(*value));
  out.emplace_back(*value);
}

// The first date element the resource has (Observation.effective, Procedure.performed,
// AuditEvent.recorded, ...): what its date search parameter reads.
std::optional<DateRange> clinical_date(const json::Value& resource) {
  for (const char* key : {"effectiveDateTime", "effectiveInstant", "performedDateTime", "date", "issued", "recorded"})
    if (auto text = resource.string_at(key)) return date_range(*text);
  for (const char* key : {"effectivePeriod", "performedPeriod", "period"})
    if (const json::Value* period = resource.find(key)) return period_range(period->string_at("start"), period->string_at("end"));
  return std::nullopt;
}

}  // namespace

IndexTerms index_terms(const json::Value& resource) {
  IndexTerms terms;
  terms.patient = reference_at(resource, "subject");
  if (!terms.patient) terms.patient = reference_at(resource, "patient");

  terms.date = clinical_date(resource);

  if (const json::Value* ids = resource.find("identifier"); ids && ids->is_array())
    for (const json::Value& id : ids->as_array()) add_token(terms.identifiers, id, "value");

  if (const json::Value* code = resource.find("code"))
    if (const json::Value* codings = code->find("coding"); codings && codings->is_array())
      for (const json::Value& coding : codings->as_array()) add_token(terms.codes, coding, "code");

  if (const json::Value* parts = resource.find("partOf"); parts && parts->is_array())
    for (const json::Value& part : parts->as_array())
      if (auto ref = part.string_at("reference")) terms.part_of.emplace_back(*ref);
  return terms;
}

}  // namespace mfr::store::detail
