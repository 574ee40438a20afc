#pragma once
// What the store indexes about a resource: the search columns, read from its JSON once.
#include <optional>
#include <string>
#include <vector>

#include "json/json.hpp"
#include "store/date_range.hpp"

namespace mfr::store::detail {

struct IndexTerms {
  std::optional<std::string> patient;   // subject.reference or patient.reference
  // The clinical date as a UTC range: effective[x], performed[x], date, issued, recorded, period;
  // none when the resource has none or its text is not a FHIR date.
  std::optional<DateRange> date;
  std::vector<std::string> identifiers; // "system|value" and "value"
  std::vector<std::string> codes;       // "system|code" and "code" of code.coding[]
  std::vector<std::string> part_of;     // partOf[].reference
};

IndexTerms index_terms(const json::Value& resource);

}  // namespace mfr::store::detail
