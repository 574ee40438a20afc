#pragma once
// Hand-written checkers for the R4 primitive formats (the regexes of the specification, plus
// calendar validity of dates), one per kind; no std::regex, no allocation.
#include <cstdint>
#include <cstring>
#include <string_view>

#include "validate/schema.hpp"

namespace mfr::validate {

// For a string-valued primitive kind: an empty view when `text` is valid, else why not
// (a static sentence fragment: "the day does not exist in that month").
std::string_view check_string_primitive(r4::Kind kind, std::string_view text) noexcept;

// True when any byte is below `limit` (at most 128): eight bytes at a time with the classic
// "has a byte less than n" word trick; the fast path of string and URI checks, since almost
// no text has such bytes.
inline bool has_bytes_below(std::string_view text, unsigned char limit) noexcept {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull;
  constexpr std::uint64_t kHighs = 0x8080808080808080ull;
  const std::uint64_t under = kOnes * limit;
  const char* p = text.data();
  std::size_t n = text.size();
  for (; n >= 8; n -= 8, p += 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    if ((w - under) & ~w & kHighs) return true;
  }
  for (; n > 0; --n, ++p)
    if (static_cast<unsigned char>(*p) < limit) return true;
  return false;
}

// True when the string has control characters other than tab, CR and LF (a SHOULD NOT of R4).
bool has_control_characters(std::string_view text) noexcept;

// Compares two dateTime/instant/date texts already known valid: -1, 0, 1; or 2 when the order
// cannot be told (different precision overlapping, e.g. "2020" and "2020-03-01").
int compare_date_times(std::string_view a, std::string_view b) noexcept;

}  // namespace mfr::validate
