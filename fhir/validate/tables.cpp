#include "validate/tables.hpp"

#include <algorithm>

namespace mfr::validate::r4 {

bool value_set_has(std::uint16_t value_set, std::string_view code) noexcept {
  const ValueSet& vs = kValueSets[value_set];
  const Code* first = kCodes + vs.first;
  const Code* last = first + vs.count;
  const Code* it = std::lower_bound(first, last, code, [](const Code& c, std::string_view v) { return c.code < v; });
  return it != last && it->code == code;
}

std::uint16_t value_set_index(std::string_view url) noexcept {
  for (std::size_t i = 0; i < kValueSetCount; ++i)
    if (kValueSets[i].url == url) return static_cast<std::uint16_t>(i);
  return kNone;
}

std::uint16_t resource_structure(std::string_view resource_type) noexcept {
  for (const auto& r : kValidatedResources)
    if (r.name == resource_type) return r.structure;
  return kNone;
}

bool is_resource_type(std::string_view name) noexcept {
  return std::binary_search(std::begin(kResourceTypes), std::end(kResourceTypes), name);
}

}  // namespace mfr::validate::r4
