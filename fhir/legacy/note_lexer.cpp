#include "legacy/note_lexer.hpp"

namespace mfr::legacy {
namespace {

bool is_letter(unsigned char c) noexcept { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
bool is_digit(unsigned char c) noexcept { return c >= '0' && c <= '9'; }

// U+2013 and U+2014 are E2 80 93 / E2 80 94 in UTF-8.
bool is_long_dash(std::string_view t, std::size_t i) noexcept {
  return i + 2 < t.size() && static_cast<unsigned char>(t[i]) == 0xE2 &&
         static_cast<unsigned char>(t[i + 1]) == 0x80 &&
         (static_cast<unsigned char>(t[i + 2]) == 0x93 || static_cast<unsigned char>(t[i + 2]) == 0x94);
}

// Bytes [i, i+len) that are not part of a word: no-break and thin spaces read as a space, quotes
// and bullets as one punctuation mark. 0 when the bytes at i are none of these.
std::size_t space_like(std::string_view t, std::size_t i) noexcept {
  const auto b = [&](std::size_t k) { return i + k < t.size() ? static_cast<unsigned char>(t[i + k]) : 0u; };
  if (b(0) == 0xC2 && b(1) == 0xA0) return 2;                                            // U+00A0
  if (b(0) == 0xEF && b(1) == 0xBB && b(2) == 0xBF) return 3;                            // U+FEFF (a BOM)
  if (b(0) == 0xE2 && b(1) == 0x80 && (b(2) == 0xAF || b(2) == 0x89 || b(2) == 0x8A)) return 3;  // U+202F, U+2009/200A
  return 0;
}
std::size_t punct_like(std::string_view t, std::size_t i) noexcept {
  const auto b = [&](std::size_t k) { return i + k < t.size() ? static_cast<unsigned char>(t[i + k]) : 0u; };
  if (b(0) == 0xC2 && (b(1) == 0xAB || b(1) == 0xBB)) return 2;                          // « »
  if (b(0) == 0xE2 && b(1) == 0x80 && (b(2) == 0x9C || b(2) == 0x9D || b(2) == 0x9E || b(2) == 0xA2)) return 3;  // “ ” „ •
  return 0;
}

}  // namespace

void tokenize(std::string_view text, std::vector<Token>& out) {
  out.clear();
  const std::size_t n = text.size();
  std::size_t i = 0;
  bool space = false;
  while (i < n) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n' || c == '\r') {
      Token tok{static_cast<std::uint32_t>(i), 0, TokenKind::Newline, space, false, 0};
      int breaks = 0;
      while (i < n) {
        const auto d = static_cast<unsigned char>(text[i]);
        if (d == '\n') { ++breaks; ++i; }
        else if (d == '\r') { if (i + 1 >= n || text[i + 1] != '\n') ++breaks; ++i; }
        else if (d == ' ' || d == '\t' || d == '\f' || d == '\v') ++i;
        else break;
      }
      tok.length = static_cast<std::uint32_t>(i - tok.offset);
      tok.blank = breaks >= 2;
      out.push_back(tok);
      space = false;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\f' || c == '\v') { space = true; ++i; continue; }
    if (const std::size_t w = space_like(text, i)) { space = true; i += w; continue; }
    if (const std::size_t w = punct_like(text, i)) {
      out.push_back(Token{static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(w), TokenKind::Punct, space, false, '"'});
      space = false;
      i += w;
      continue;
    }
    Token tok{static_cast<std::uint32_t>(i), 0, TokenKind::Word, space, false, 0};
    space = false;
    if (is_long_dash(text, i)) {
      tok.kind = TokenKind::Dash;
      i += 3;
    } else if (c == '-') {
      tok.kind = TokenKind::Dash;
      ++i;
    } else if (is_digit(c)) {
      tok.kind = TokenKind::Number;
      while (i < n && is_digit(static_cast<unsigned char>(text[i]))) ++i;
    } else if (is_letter(c) || c >= 0x80) {
      while (i < n) {
        const auto d = static_cast<unsigned char>(text[i]);
        if (is_letter(d) || is_digit(d) || d == '\'' ||
            (d >= 0x80 && !is_long_dash(text, i) && !space_like(text, i) && !punct_like(text, i)))
          ++i;
        else break;
      }
    } else {
      tok.kind = TokenKind::Punct;
      tok.punct = static_cast<char>(c);
      ++i;
    }
    tok.length = static_cast<std::uint32_t>(i - tok.offset);
    out.push_back(tok);
  }
}

}  // namespace mfr::legacy
