#include "legacy/note/dates.hpp"

#include "legacy/legacy_date.hpp"
#include "legacy/note/fold.hpp"

namespace mfr::legacy::note {
namespace {

struct Tokens {
  std::string_view text;
  const std::vector<Token>& t;

  bool has(std::size_t k) const noexcept { return k < t.size(); }
  bool number(std::size_t k) const noexcept { return has(k) && t[k].kind == TokenKind::Number; }
  bool word(std::size_t k) const noexcept { return has(k) && t[k].kind == TokenKind::Word; }
  bool punct(std::size_t k, char c) const noexcept { return has(k) && t[k].kind == TokenKind::Punct && t[k].punct == c; }
  bool dash(std::size_t k) const noexcept { return has(k) && t[k].kind == TokenKind::Dash; }
  bool separator(std::size_t k) const noexcept { return dash(k) || punct(k, '/') || punct(k, '.'); }
  bool glued(std::size_t k) const noexcept { return has(k) && !t[k].space_before; }
  std::size_t length(std::size_t k) const noexcept { return has(k) ? t[k].length : 0; }
  std::string_view at(std::size_t k) const noexcept { return text.substr(t[k].offset, t[k].length); }
  bool month(std::size_t k) const noexcept { return word(k) && month_from_name(at(k)) != 0; }
  bool same_separator(std::size_t a, std::size_t b) const noexcept {
    return t[a].kind == t[b].kind && t[a].punct == t[b].punct;
  }
  bool ordinal(std::size_t k) const noexcept {  // "th" of 4th, "er" of 1er
    if (!word(k) || !glued(k) || length(k) != 2) return false;
    char buf[8];
    const std::string_view w = fold_word(at(k), buf, sizeof buf);
    return w == "st" || w == "nd" || w == "rd" || w == "th" || w == "er";
  }
  std::size_t span(std::size_t from, std::size_t to, std::string& written) const {
    written.assign(text.substr(t[from].offset, t[to - 1].offset + t[to - 1].length - t[from].offset));
    return to;
  }
};

}  // namespace

std::size_t date_span(std::string_view text, const std::vector<Token>& tokens, std::size_t k, std::string& written,
                      bool compact) {
  const Tokens d{text, tokens};
  if (d.number(k)) {
    if (compact && d.length(k) == 8) return d.span(k, k + 1, written);  // 20190304
    // "2019 -06 -03": a year first, spaces around its separators (typed in a hurry)
    if (d.length(k) == 4 && d.separator(k + 1) && d.number(k + 2) && d.length(k + 2) <= 2 && d.has(k + 4) &&
        d.same_separator(k + 1, k + 3) && d.number(k + 4) && d.length(k + 4) <= 2 &&
        !(d.glued(k + 1) && d.glued(k + 2) && d.glued(k + 3) && d.glued(k + 4))) {
      written.assign(d.at(k)).append("-").append(d.at(k + 2)).append("-").append(d.at(k + 4));
      return k + 5;
    }
    // 04/03/2019, 04.03.19, 2019-03-04, 04-03-2019
    if (d.separator(k + 1) && d.has(k + 3) && d.same_separator(k + 1, k + 3) && d.number(k + 2) && d.number(k + 4) &&
        d.glued(k + 1) && d.glued(k + 2) && d.glued(k + 3) && d.glued(k + 4) &&
        (d.length(k + 4) == 2 || d.length(k + 4) == 4))
      return d.span(k, k + 5, written);
    // 17-Jul-2019, 17/Jul/2019
    if (d.separator(k + 1) && d.month(k + 2) && d.separator(k + 3) && d.number(k + 4) && d.glued(k + 1) &&
        d.glued(k + 2) && d.glued(k + 3) && d.glued(k + 4))
      return d.span(k, k + 5, written);
    // 4 Mar 2019, 4th March 2019, 3. April 2023, 1er mars 2019
    if (d.length(k) > 2) return k;
    std::size_t j = k + 1;
    if (d.punct(j, '.')) ++j;
    if (d.ordinal(j)) ++j;
    if (!d.month(j)) return k;
    std::size_t y = j + 1;
    if (d.punct(y, '.') || d.punct(y, ',')) ++y;
    if (d.number(y) && (d.length(y) == 4 || d.length(y) == 2)) return d.span(k, y + 1, written);
    return k;
  }
  // March 4, 2019; Mar. 4th 2019
  if (d.length(k) < 3 || !d.month(k)) return k;
  std::size_t j = k + 1;
  if (d.punct(j, '.')) ++j;
  if (!d.number(j) || d.length(j) > 2) return k;
  std::size_t y = j + 1;
  if (d.ordinal(y)) ++y;
  if (d.punct(y, ',')) ++y;
  if (d.number(y) && d.length(y) == 4) return d.span(k, y + 1, written);
  return k;
}

}  // namespace mfr::legacy::note
