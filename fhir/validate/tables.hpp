#pragma once
// Look-ups over the generated R4 tables.
#include <span>
#include <string_view>

#include "validate/r4_tables.hpp"

namespace mfr::validate::r4 {

inline std::span<const Element> elements_of(std::uint16_t structure) noexcept {
  const Structure& s = kStructures[structure];
  return {kElements + s.first, s.count};
}

// The row of `json_name` in `structure`, or nullptr when the structure has no such element.
const Element* find_element(std::uint16_t structure, std::string_view json_name) noexcept;

// True when `code` is in the value set (any system: a `code` element carries no system).
bool value_set_has(std::uint16_t value_set, std::string_view code) noexcept;

// The structure of a resource we validate in depth, or kNone.
std::uint16_t resource_structure(std::string_view resource_type) noexcept;

// True for any R4 resource type name.
bool is_resource_type(std::string_view name) noexcept;

}  // namespace mfr::validate::r4
