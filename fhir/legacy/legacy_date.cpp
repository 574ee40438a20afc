#include "legacy/legacy_date.hpp"

#include "legacy/note/fold.hpp"

#include <array>
#include <cstdio>

namespace mfr::legacy {
namespace {

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
// A letter of a month name: ASCII, or a byte of a UTF-8 letter ("März", "févr."), which
// month_from_name folds.
bool is_alpha(char c) noexcept { return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || static_cast<unsigned char>(c) >= 0x80; }

bool leap(int y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int days_in(int y, int m) noexcept {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[static_cast<std::size_t>(m - 1)];
}
bool valid(int y, int m, int d) noexcept { return y >= 1800 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= days_in(y, m); }

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

// Splits into up to 4 parts: numbers and words, skipping separators / . - , and spaces.
struct Part {
  std::string_view text;
  bool number = false;
};

int to_int(std::string_view s) noexcept {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

int full_year(std::string_view s) noexcept {
  const int v = to_int(s);
  if (s.size() == 2) return v < 70 ? 2000 + v : 1900 + v;
  return s.size() == 4 ? v : -1;
}

std::optional<DateReading> make(int y, int m, int d, std::string doubt = {}) {
  if (!valid(y, m, d)) return std::nullopt;
  // valid() bounds the values, so fixed-width digits are enough (snprintf showed in profiles)
  char buf[10];
  auto put = [](char* at, int v, int width) {
    for (int k = width - 1; k >= 0; --k, v /= 10) at[k] = static_cast<char>('0' + v % 10);
  };
  put(buf, y, 4);
  buf[4] = '-';
  put(buf + 5, m, 2);
  buf[7] = '-';
  put(buf + 8, d, 2);
  auto parsed = DateTime::parse(std::string_view(buf, 10));
  if (!parsed) return std::nullopt;
  return DateReading{*parsed, std::move(doubt)};
}

std::optional<DateReading> read_hl7_ts(std::string_view s) {
  // YYYYMMDD[HHMM[SS[.S+]]][+/-ZZZZ]
  std::size_t i = 0;
  while (i < s.size() && is_digit(s[i])) ++i;
  std::string_view digits = s.substr(0, i);
  if (digits.size() < 8) return std::nullopt;
  std::size_t j = i;
  if (j < s.size() && s[j] == '.') { ++j; while (j < s.size() && is_digit(s[j])) ++j; }
  std::string_view zone = s.substr(j);
  if (!zone.empty() && !((zone[0] == '+' || zone[0] == '-') && zone.size() == 5)) return std::nullopt;
  const int y = to_int(digits.substr(0, 4)), m = to_int(digits.substr(4, 2)), d = to_int(digits.substr(6, 2));
  auto date = make(y, m, d);
  if (!date) return std::nullopt;
  if (digits.size() >= 12 && !zone.empty()) {
    const int hh = to_int(digits.substr(8, 2)), mm = to_int(digits.substr(10, 2));
    const int ss = digits.size() >= 14 ? to_int(digits.substr(12, 2)) : 0;
    if (hh > 23 || mm > 59 || ss > 59) return date;
    char buf[80];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%.2s:%.2s", y, m, d, hh, mm, ss, zone[0],
                  zone.data() + 1, zone.data() + 3);
    if (auto full = DateTime::parse(buf)) return DateReading{*full, {}};
  }
  return date;
}

}  // namespace

int month_from_name(std::string_view w) noexcept {
  // English, French and German names, folded (no accents), and their usual abbreviations.
  static constexpr std::array<std::array<std::string_view, 6>, 12> kNames = {{
      {"january", "janvier", "januar", "janv", "jan", "jan"},
      {"february", "fevrier", "februar", "fevr", "feb", "fev"},
      {"march", "mars", "marz", "maerz", "mar", "mrz"},
      {"april", "avril", "avr", "apr", "apr", "apr"},
      {"may", "mai", "mai", "may", "may", "may"},
      {"june", "juin", "juni", "jun", "jun", "jun"},
      {"july", "juillet", "juli", "juil", "jul", "jul"},
      {"august", "aout", "aug", "aug", "aug", "aug"},
      {"september", "septembre", "sept", "sep", "sep", "sep"},
      {"october", "octobre", "oktober", "oct", "okt", "oct"},
      {"november", "novembre", "nov", "nov", "nov", "nov"},
      {"december", "decembre", "dezember", "dec", "dez", "dec"},
  }};
  if (w.size() < 3 || w.size() > 12) return 0;
  char buf[16];
  std::string_view lw = note::fold_word(w, buf, sizeof buf);
  if (lw.size() > 1 && lw.back() == '.') lw.remove_suffix(1);
  for (std::size_t m = 0; m < kNames.size(); ++m)
    for (std::string_view name : kNames[m])
      if (lw == name) return static_cast<int>(m) + 1;
  return 0;
}

std::optional<DateReading> read_legacy_date(std::string_view text, DateOrder order) {
  const std::string_view s = trim(text);
  if (s.empty()) return std::nullopt;
  if (s.size() >= 8 && is_digit(s[0]) && is_digit(s[7]) && s.find_first_not_of("0123456789") >= 8)
    return read_hl7_ts(s);

  std::array<Part, 4> parts{};
  std::size_t count = 0;
  char sep = 0;
  for (std::size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (is_digit(c) || is_alpha(c)) {
      if (count == parts.size()) return std::nullopt;
      std::size_t j = i;
      const bool num = is_digit(c);
      while (j < s.size() && (num ? is_digit(s[j]) : is_alpha(s[j]))) ++j;
      // ordinal suffixes: 4th, 1st, 2nd, 3rd, and the French 1er
      if (num && j + 2 <= s.size() && is_alpha(s[j])) {
        const std::string_view suf = s.substr(j, 2);
        if (suf == "st" || suf == "nd" || suf == "rd" || suf == "th" || suf == "er") {
          parts[count++] = {s.substr(i, j - i), true};
          i = j + 2;
          continue;
        }
      }
      parts[count++] = {s.substr(i, j - i), num};
      i = j;
    } else if (c == '/' || c == '.' || c == '-' || c == ',' || c == ' ') {
      if (c != ' ' && c != ',') {
        if (sep != 0 && sep != c) return std::nullopt;
        sep = c;
      }
      ++i;
    } else {
      return std::nullopt;
    }
  }
  if (count != 3) return std::nullopt;
  const Part &a = parts[0], &b = parts[1], &c = parts[2];
  if (a.number && b.number && c.number) {
    if (a.text.size() == 4) {  // ISO-like Y-M-D
      return make(to_int(a.text), to_int(b.text), to_int(c.text));
    }
    if (a.text.size() > 2 || b.text.size() > 2) return std::nullopt;
    const int y = full_year(c.text);
    if (y < 0) return std::nullopt;
    const int x = to_int(a.text), z = to_int(b.text);
    // Dotted dates ("05.04.2022", "15.04.19") are written day first wherever dots are used.
    const bool day_first = order == DateOrder::DayFirst || sep == '.';
    const int d = day_first ? x : z, m = day_first ? z : x;
    auto primary = make(y, m, d);
    auto other = make(y, d, m);
    if (primary && other && x != z && sep != '.') {
      primary->doubt = "the date '" + std::string(s) + "' is ambiguous; read " +
                       (day_first ? "day first" : "month first") + " as configured, giving " + primary->date.text();
      return primary;
    }
    if (primary) return primary;
    if (other && sep != '.') return other;  // only one reading is a date: settled ("05/14/2018")
    return std::nullopt;
  }
  if (a.number && !b.number && c.number) {  // 4 Mar 2019
    const int m = month_from_name(b.text);
    const int y = full_year(c.text);
    if (m == 0 || y < 0 || a.text.size() > 2) return std::nullopt;
    return make(y, m, to_int(a.text));
  }
  if (!a.number && b.number && c.number) {  // March 4, 2019
    const int m = month_from_name(a.text);
    const int y = full_year(c.text);
    if (m == 0 || y < 0 || b.text.size() > 2) return std::nullopt;
    return make(y, m, to_int(b.text));
  }
  return std::nullopt;
}

}  // namespace mfr::legacy
