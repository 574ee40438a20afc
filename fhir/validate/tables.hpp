#pragma once
// Look-ups over the generated R4 tables.
#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#include "base/bytes.hpp"
#include "validate/fast.hpp"
#include "validate/r4_tables.hpp"

namespace mfr::validate::r4 {

inline std::span<const Element> elements_of(std::uint16_t structure) noexcept {
  const Structure& s = kStructures[structure];
  return {kElements + s.first, s.count};
}

namespace detail {

// The hash generate_tables.py placed rows by: the first and last 8 bytes (little-endian, zero
// padded), the length and the structure, mixed by multiplication; no per-byte loop.
inline std::uint64_t member_hash(std::uint16_t structure, std::string_view name) noexcept {
  const std::size_t n = name.size();
  const std::uint64_t a = base::load_le_upto8(name.data(), n < 8 ? n : 8);
  const std::uint64_t b = n > 8 ? base::load_le64(name.data() + n - 8) : 0;
  const std::uint64_t h = a * 0x9E3779B97F4A7C15ull + b * 0xC2B2AE3D27D4EB4Full + n + structure * 0x165667B19E3779F9ull;
  return h ^ (h >> 32);
}

}  // namespace detail

// The row of `json_name` in `structure`, or nullptr when the structure has no such element.
// Inline: it runs once per member of every object validated.
inline const Element* find_element(std::uint16_t structure, std::string_view json_name) noexcept {
  // One probe almost always: the table is at most a quarter full.
  const Structure& s = kStructures[structure];
  constexpr std::uint32_t kMask = kMemberSlotCount - 1;
  for (std::uint32_t slot = static_cast<std::uint32_t>(detail::member_hash(structure, json_name)) & kMask;; slot = (slot + 1) & kMask) {
    const std::uint16_t i = kMemberSlots[slot];
    if (i == kNone) return nullptr;
    if (i >= s.first && i < s.first + s.count && fast::eq(kElements[i].name, json_name)) return &kElements[i];
  }
}

// True when `code` is in the value set (any system: a `code` element carries no system).
bool value_set_has(std::uint16_t value_set, std::string_view code) noexcept;

// The index of the value set with this url (no |version), or kNone.
std::uint16_t value_set_index(std::string_view url) noexcept;

// The structure of a resource we validate in depth, or kNone.
std::uint16_t resource_structure(std::string_view resource_type) noexcept;

// True for any R4 resource type name.
bool is_resource_type(std::string_view name) noexcept;

}  // namespace mfr::validate::r4
