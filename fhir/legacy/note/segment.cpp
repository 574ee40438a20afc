#include "legacy/note/segment.hpp"

#include <array>
#include <string>
#include <vector>

#include "legacy/legacy_date.hpp"
#include "legacy/note/fold.hpp"
#include "legacy/note_lexer.hpp"

namespace mfr::legacy::note {
namespace {

constexpr std::size_t kMaxDateStart = 8;  // tokens before the date
constexpr int kMaxHeadingWords = 12;

bool glued(const std::vector<Token>& t, std::size_t k) noexcept { return k < t.size() && !t[k].space_before; }
bool punct(const std::vector<Token>& t, std::size_t k, char c) noexcept {
  return k < t.size() && t[k].kind == TokenKind::Punct && t[k].punct == c;
}
bool number(const std::vector<Token>& t, std::size_t k) noexcept { return k < t.size() && t[k].kind == TokenKind::Number; }
bool word(const std::vector<Token>& t, std::size_t k) noexcept { return k < t.size() && t[k].kind == TokenKind::Word; }

// The tokens [k, end) of a date starting at token k, or k when there is none.
std::size_t date_at(std::string_view line, const std::vector<Token>& t, std::size_t k) {
  auto text = [&](std::size_t a, std::size_t b) {
    return line.substr(t[a].offset, t[b - 1].offset + t[b - 1].length - t[a].offset);
  };
  auto valid = [&](std::size_t a, std::size_t b) { return read_legacy_date(text(a, b), DateOrder::DayFirst).has_value(); };
  char buf[32];
  if (number(t, k)) {
    if (t[k].length == 8 && valid(k, k + 1)) return k + 1;  // 20190304
    // "2019 -06 -03": a year first, spaces around its separators
    if (t[k].length == 4 && k + 4 < t.size() && number(t, k + 2) && number(t, k + 4) &&
        t[k + 1].kind == t[k + 3].kind && t[k + 1].punct == t[k + 3].punct &&
        (t[k + 1].kind == TokenKind::Dash || punct(t, k + 1, '/') || punct(t, k + 1, '.'))) {
      const std::string iso = std::string(line.substr(t[k].offset, 4)) + "-" +
                              std::string(line.substr(t[k + 2].offset, t[k + 2].length)) + "-" +
                              std::string(line.substr(t[k + 4].offset, t[k + 4].length));
      if (read_legacy_date(iso, DateOrder::DayFirst)) return k + 5;
    }
    const bool sep3 = k + 4 < t.size() && glued(t, k + 1) && glued(t, k + 2) && glued(t, k + 3) && glued(t, k + 4);
    if (sep3 && number(t, k + 2) && number(t, k + 4) &&
        ((punct(t, k + 1, '/') && punct(t, k + 3, '/')) || (punct(t, k + 1, '.') && punct(t, k + 3, '.')) ||
         (t[k + 1].kind == TokenKind::Dash && t[k + 3].kind == TokenKind::Dash)) &&
        valid(k, k + 5))
      return k + 5;
    // 17-Jul-2019, 17/Jul/2019
    auto sep = [&](std::size_t x) { return x < t.size() && glued(t, x) && (t[x].kind == TokenKind::Dash || punct(t, x, '/') || punct(t, x, '.')); };
    if (sep(k + 1) && word(t, k + 2) && month_from_name(line.substr(t[k + 2].offset, t[k + 2].length)) != 0 &&
        sep(k + 3) && number(t, k + 4) && valid(k, k + 5))
      return k + 5;
    // 4 Mar 2019, 4th March 2019, 3. April 2023
    std::size_t j = k + 1;
    if (punct(t, j, '.')) ++j;
    if (word(t, j) && glued(t, j)) {
      const auto w = fold_word(line.substr(t[j].offset, t[j].length), buf, sizeof buf);
      if (w == "st" || w == "nd" || w == "rd" || w == "th" || w == "er") ++j;
    }
    if (word(t, j) && month_from_name(line.substr(t[j].offset, t[j].length)) != 0) {
      std::size_t y = j + 1;
      if (punct(t, y, '.') || punct(t, y, ',')) ++y;
      if (number(t, y) && valid(k, y + 1)) return y + 1;
    }
    return k;
  }
  if (word(t, k) && month_from_name(line.substr(t[k].offset, t[k].length)) != 0) {  // March 4, 2019
    std::size_t j = k + 1;
    if (number(t, j)) {
      std::size_t y = j + 1;
      if (word(t, y) && glued(t, y)) ++y;  // 4th
      if (punct(t, y, ',')) ++y;
      if (number(t, y) && valid(k, y + 1)) return y + 1;
    }
  }
  return k;
}

}  // namespace

bool is_other_date_word(std::string_view w) noexcept {
  static constexpr std::array<std::string_view, 24> kWords = {
      "dob",     "d.o.b",  "born",    "birth",    "ne",       "nee",       "naissance", "geb",
      "geboren", "geburtsdatum", "next", "nachster", "nachste", "prochain", "prochaine", "booked",
      "rdv",     "referral", "referred", "letter", "sent", "printed", "received", "until"};
  for (std::string_view k : kWords)
    if (w == k) return true;
  return false;
}

HeaderDate visit_header_date(std::string_view line) {
  thread_local std::vector<Token> t;
  if (line.size() > 400) return {};
  // every date has digits; most lines of prose have none
  if (line.find_first_of("0123456789") == std::string_view::npos) return {};
  tokenize(line, t);
  int words = 0;
  for (const Token& tok : t) words += tok.kind == TokenKind::Word;
  char buf[32];
  bool other = false;  // the next date is a date of birth, an appointment...
  for (std::size_t k = 0; k < t.size() && k <= kMaxDateStart + 8; ++k) {
    if (t[k].kind == TokenKind::Word &&
        is_other_date_word(fold_word(line.substr(t[k].offset, t[k].length), buf, sizeof buf))) {
      other = true;
      continue;
    }
    const std::size_t end = date_at(line, t, k);
    if (end == k) continue;
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
