#include "legacy/note/segment.hpp"

#include <string>
#include <vector>

#include "legacy/legacy_date.hpp"
#include "legacy/note/dates.hpp"
#include "legacy/note/fold.hpp"
#include "legacy/note/lexicon.hpp"
#include "legacy/note_lexer.hpp"

namespace mfr::legacy::note {
namespace {

constexpr std::size_t kMaxDateStart = 8;  // tokens before the date
constexpr int kMaxHeadingWords = 12;

bool punct(const std::vector<Token>& t, std::size_t k, char c) noexcept {
  return k < t.size() && t[k].kind == TokenKind::Punct && t[k].punct == c;
}

}  // namespace

HeaderDate visit_header_date(std::string_view line) {
  thread_local std::vector<Token> t;
  if (line.size() > 400) return {};
  // every date has digits; most lines of prose have none
  if (line.find_first_of("0123456789") == std::string_view::npos) return {};
  tokenize(line, t);
  int words = 0;
  for (const Token& tok : t) words += tok.kind == TokenKind::Word;
  char buf[32];
  std::string written;
  bool other = false;  // the next date is a date of birth, an appointment...
  for (std::size_t k = 0; k < t.size() && k <= kMaxDateStart + 8; ++k) {
    if (t[k].kind == TokenKind::Word &&
        is_other_date_word(fold_word(line.substr(t[k].offset, t[k].length), buf, sizeof buf))) {
      other = true;
      continue;
    }
    const std::size_t end = date_span(line, t, k, written, /*compact=*/true);
    if (end == k || !read_legacy_date(written, DateOrder::DayFirst)) continue;
    if (other) {  // "DOB: 14/07/1965    Date: 22/09/2022": skip it, look further
      other = false;
      k = end - 1;
      continue;
    }
    if (k > kMaxDateStart && !(k >= 2 && punct(t, k - 1, ':'))) return {};  // far on: only after a key
    if (words > kMaxHeadingWords && k > 0) return {};
    const auto b = t[k].offset, e = t[end - 1].offset + t[end - 1].length;
    return {line.substr(b, e - b)};
  }
  return {};
}

}  // namespace mfr::legacy::note
