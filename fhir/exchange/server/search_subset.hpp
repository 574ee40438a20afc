#pragma once
// Subsetted search results (_summary=true|text|data, _elements): which top-level elements of a
// Procedure or Observation a subset keeps, and the subset itself, tagged SUBSETTED as R4 asks.
//
// Kept always: resourceType, id, meta, the mandatory elements (min 1: status and code of an
// Observation, status and subject of a Procedure) and the modifiers (implicitRules,
// modifierExtension), so a subset never changes what the kept elements mean.
#include <string>
#include <string_view>
#include <vector>

#include "exchange/server/query.hpp"

namespace mfr::server {

// "code,subject,value" -> the names; throws QueryError ("invalid", parameter _elements) for a
// name that is no top-level element of `type` (a choice is named "value" or "valueQuantity").
std::vector<std::string> parse_elements(std::string_view type, std::string_view list);

// True when the search asks for less than whole resources.
bool subsets(const SearchRequest& search) noexcept;

// The resource's JSON text reduced as `search` asks (its summary or elements), with meta.tag
// {v3-ObservationValue, SUBSETTED}. `type` is the resource's type; `elements` applies only when
// it is the searched type (an included resource of another type comes whole, or in summary).
std::string subset_resource(std::string_view type, std::string_view json_text, const SearchRequest& search);

}  // namespace mfr::server
