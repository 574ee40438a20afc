#pragma once
// Splits a note into tokens over the original bytes: no copy, no regex, one pass.
// Tokens keep their byte offset so findings can quote the span they came from.
#include <cstdint>
#include <string_view>
#include <vector>

namespace mfr::legacy {

enum class TokenKind : std::uint8_t {
  Word,     // starts with a letter: "T4", "bilat", "x3", "mm"; bytes >= 0x80 count as letters
  Number,   // digits only: "6", "2019"
  Dash,     // '-', en dash U+2013, em dash U+2014
  Punct,    // any other single ASCII punctuation character
  Newline,  // one or more line breaks; `blank` when a blank line separates paragraphs
};

struct Token {
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
  TokenKind kind = TokenKind::Word;
  bool space_before = false;  // whitespace (not a line break) between this and the previous token
  bool blank = false;         // Newline only: two or more line breaks
  char punct = 0;             // Punct only: the character
};

// Appends the tokens of `text` to `out` (cleared first); reuse `out` across notes to avoid
// allocating per note.
void tokenize(std::string_view text, std::vector<Token>& out);

}  // namespace mfr::legacy
