#include "validate/tables.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

#include "validate/fast.hpp"

namespace mfr::validate::r4 {
namespace {

// The hash generate_tables.py placed rows by: the first and last 8 bytes (little-endian, zero
// padded), the length and the structure, mixed by multiplication; no per-byte loop.
// Bytes [0, n) of p (n <= 8) as a little-endian word, zero padded, without a variable-length copy.
std::uint64_t load8(const char* p, std::size_t n) noexcept {
  std::uint64_t w = 0;
  if constexpr (std::endian::native != std::endian::little) {
    for (std::size_t i = n; i-- > 0;) w = (w << 8) | static_cast<unsigned char>(p[i]);
    return w;
  }
  if (n == 8) {
    std::memcpy(&w, p, 8);
  } else if (n >= 4) {
    std::uint32_t lo, hi;
    std::memcpy(&lo, p, 4);
    std::memcpy(&hi, p + n - 4, 4);
    w = static_cast<std::uint64_t>(lo) | (static_cast<std::uint64_t>(hi) << ((n - 4) * 8));
  } else if (n > 0) {
    const auto byte = [&](std::size_t i) { return static_cast<std::uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i); };
    w = byte(0) | byte(n / 2) | byte(n - 1);
  }
  return w;
}

std::uint64_t member_hash(std::uint16_t structure, std::string_view name) noexcept {
  const std::size_t n = name.size();
  const std::uint64_t a = load8(name.data(), n < 8 ? n : 8);
  const std::uint64_t b = n > 8 ? load8(name.data() + n - 8, 8) : 0;
  const std::uint64_t h = a * 0x9E3779B97F4A7C15ull + b * 0xC2B2AE3D27D4EB4Full + n + structure * 0x165667B19E3779F9ull;
  return h ^ (h >> 32);
}

}  // namespace

const Element* find_element(std::uint16_t structure, std::string_view json_name) noexcept {
  // One probe almost always: the table is at most a quarter full.
  const Structure& s = kStructures[structure];
  constexpr std::uint32_t kMask = kMemberSlotCount - 1;
  for (std::uint32_t slot = static_cast<std::uint32_t>(member_hash(structure, json_name)) & kMask;; slot = (slot + 1) & kMask) {
    const std::uint16_t i = kMemberSlots[slot];
    if (i == kNone) return nullptr;
    if (i >= s.first && i < s.first + s.count && fast::eq(kElements[i].name, json_name)) return &kElements[i];
  }
}

bool value_set_has(std::uint16_t value_set, std::string_view code) noexcept {
  const ValueSet& vs = kValueSets[value_set];
  const Code* first = kCodes + vs.first;
  const Code* last = first + vs.count;
  const Code* it = std::lower_bound(first, last, code, [](const Code& c, std::string_view v) { return c.code < v; });
  return it != last && it->code == code;
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
