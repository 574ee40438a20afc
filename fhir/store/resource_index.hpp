#pragma once
// What the store indexes about a resource: the search columns, read from its JSON once.
#include <optional>
#include <string>
#include <vector>

#include "json/json.hpp"

namespace mfr::store::detail {

struct IndexTerms {
  std::optional<std::string> patient;   // subject.reference or patient.reference
  std::optional<std::string> date;      // the clinical date: effective[x], performed[x], date, issued
  std::vector<std::string> identifiers; // "system|value" and "value"
  std::vector<std::string> codes;       // "system|code" and "code" of code.coding[]
  std::vector<std::string> part_of;     // partOf[].reference
};

IndexTerms index_terms(const json::Value& resource);

}  // namespace mfr::store::detail
