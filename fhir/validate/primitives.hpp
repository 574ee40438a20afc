#pragma once
// Hand-written checkers for the R4 primitive formats (the regexes of the specification, plus
// calendar validity of dates), one per kind; no std::regex, no allocation.
#include <string_view>

#include "validate/schema.hpp"

namespace mfr::validate {

// For a string-valued primitive kind: an empty view when `text` is valid, else why not
// (a static sentence fragment: "the day does not exist in that month").
std::string_view check_string_primitive(r4::Kind kind, std::string_view text) noexcept;

// True when any byte is below `limit`; branch-free so the compiler vectorises it (the fast path
// of string and URI checks: almost no text has such bytes).
inline bool has_bytes_below(std::string_view text, unsigned char limit) noexcept {
  unsigned found = 0;
  for (const char c : text) found |= static_cast<unsigned>(static_cast<unsigned char>(c) < limit);
  return found != 0;
}

// True when the string has control characters other than tab, CR and LF (a SHOULD NOT of R4).
bool has_control_characters(std::string_view text) noexcept;

// Compares two dateTime/instant/date texts already known valid: -1, 0, 1; or 2 when the order
// cannot be told (different precision overlapping, e.g. "2020" and "2020-03-01").
int compare_date_times(std::string_view a, std::string_view b) noexcept;

}  // namespace mfr::validate
