#pragma once
// Hand-written checkers for the R4 primitive formats (the regexes of the specification, plus
// calendar validity of dates), one per kind; no std::regex, no allocation.
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "base/bytes.hpp"
#include "validate/schema.hpp"

namespace mfr::validate {

// For a string-valued primitive kind: an empty view when `text` is valid, else why not
// (a static sentence fragment: "the day does not exist in that month").
std::string_view check_string_primitive(r4::Kind kind, std::string_view text) noexcept;

// True when any byte is below `limit` (at most 128): sixteen bytes at a time with SSE2, else
// eight with the classic "has a byte less than n" word trick; the fast path of string and URI
// checks, since almost no text has such bytes.
inline bool has_bytes_below(std::string_view text, unsigned char limit) noexcept {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull;
  constexpr std::uint64_t kHighs = 0x8080808080808080ull;
  const std::uint64_t under = kOnes * limit;
  const auto below = [&](const char* p) {
    const std::uint64_t w = base::load_le64(p);
    return ((w - under) & ~w & kHighs) != 0;
  };
  const char* p = text.data();
  const std::size_t n = text.size();
#if defined(__SSE2__)
  // Sixteen bytes at a time (URLs and displays are mostly 20-60 bytes): limit - byte, saturated,
  // is zero exactly for the bytes at or above the limit.
  if (n >= 16) {
    const __m128i lim = _mm_set1_epi8(static_cast<char>(limit));
    const auto below16 = [&](const char* q) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
      return _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_subs_epu8(lim, x), _mm_setzero_si128())) != 0xFFFF;
    };
    for (std::size_t i = 0; i + 16 <= n; i += 16)
      if (below16(p + i)) return true;
    return below16(p + n - 16);
  }
#endif
  if (n >= 8) {
    // Whole words, then the last word again (overlapping) for the tail.
    for (std::size_t i = 0; i + 8 <= n; i += 8)
      if (below(p + i)) return true;
    return below(p + n - 8);
  }
  for (std::size_t i = 0; i < n; ++i)
    if (static_cast<unsigned char>(p[i]) < limit) return true;
  return false;
}

// A MIME type as BCP 13 (RFC 6838, RFC 2045) spells it: type/subtype with optional parameters
// ("text/plain; charset=utf-8"); an empty view when it is one, else why not. The required
// binding of Attachment.contentType (value set mimetypes) cannot be listed, only checked so.
std::string_view check_mime_type(std::string_view text) noexcept;

// A JSON number's text as a whole number, as json::Value::as_integer() reads it (nullopt for
// "6.0", "1e2" or more than 18 characters), without strtoll.
std::optional<long long> whole_number(std::string_view json_number) noexcept;

// A JSON number's text as a double, the same value strtod gives; plain decimals of up to 15
// digits ("37", "12.5") are read without strtod, which cost as much as the rest of a component.
double number_value(std::string_view json_number) noexcept;

// True when the string has control characters other than tab, CR and LF (a SHOULD NOT of R4).
bool has_control_characters(std::string_view text) noexcept;

// Compares two dateTime/instant/date texts already known valid: -1, 0, 1; or 2 when the order
// cannot be told (different precision overlapping, e.g. "2020" and "2020-03-01").
int compare_date_times(std::string_view a, std::string_view b) noexcept;

}  // namespace mfr::validate
