#pragma once
// UTF-8, once for the whole core: what a well-formed sequence is (RFC 3629: no overlong forms,
// no surrogates, nothing past U+10FFFF), the encoder, and the two repairs the edges need.
// Inline where a scan calls it per character (the JSON reader's strings).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mfr::base::utf8 {

// The length a sequence starting with byte `lead` has: 1 for ASCII, 2 to 4, or 0 when `lead`
// cannot start a sequence (a continuation byte, 0xC0, 0xC1, 0xF5 and above).
constexpr std::size_t lead_length(unsigned char lead) noexcept {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

// The length (1 to 4) of the well-formed sequence at text[at], or 0 when the bytes there are not
// one (a bad lead byte, a missing continuation, truncated, overlong, a surrogate, past U+10FFFF).
// `at` < text.size().
constexpr std::size_t sequence_length(std::string_view text, std::size_t at) noexcept {
  const auto u = [&](std::size_t k) { return static_cast<unsigned char>(text[at + k]); };
  const std::size_t n = lead_length(u(0));
  if (n <= 1) return n;
  if (text.size() - at < n) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((u(k) & 0xC0) != 0x80) return 0;
  // The second byte's range is narrower after E0 (overlong), ED (surrogates), F0 (overlong) and F4.
  if ((u(0) == 0xE0 && u(1) < 0xA0) || (u(0) == 0xED && u(1) > 0x9F) || (u(0) == 0xF0 && u(1) < 0x90) ||
      (u(0) == 0xF4 && u(1) > 0x8F))
    return 0;
  return n;
}

bool is_valid(std::string_view text) noexcept;

// Appends code point `cp` (at most U+10FFFF, not a surrogate) as UTF-8.
void append(std::string& out, char32_t cp);

// `text` with each byte that is not part of a well-formed sequence replaced by U+FFFD, so what a
// client or a file sent can be quoted in JSON or XML.
std::string replace_invalid(std::string_view text);

// Characters in `text`, each byte of an ill-formed sequence counting as one.
std::size_t length(std::string_view text) noexcept;

}  // namespace mfr::base::utf8
