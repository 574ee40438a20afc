#include "model/date_time.hpp"

#include <cstdlib>

#include "model/calendar.hpp"

namespace mfr {
namespace {

// Reads exactly `n` digits at `pos`; -1 when they are not all digits.
int digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

}  // namespace

std::optional<DateTime> DateTime::parse(std::string_view s) {
  const int year = digits(s, 0, 4);
  if (year < 1) return std::nullopt;
  int month = 1, day = 1, hour = 0, minute = 0, second = 0, offset_min = 0;
  std::size_t pos = 4;
  if (pos < s.size()) {
    if (s[pos] != '-' || (month = digits(s, pos + 1, 2)) < 1 || month > 12) return std::nullopt;
    pos += 3;
  }
  if (pos < s.size()) {
    if (s[pos] != '-' || (day = digits(s, pos + 1, 2)) < 1 || day > static_cast<int>(calendar::days_in_month(year, static_cast<unsigned>(month)))) return std::nullopt;
    pos += 3;
  }
  if (pos < s.size()) {
    // A time needs seconds and a zone in R4 dateTime.
    if (s[pos] != 'T') return std::nullopt;
    hour = digits(s, pos + 1, 2);
    minute = (pos + 3 < s.size() && s[pos + 3] == ':') ? digits(s, pos + 4, 2) : -1;
    second = (pos + 6 < s.size() && s[pos + 6] == ':') ? digits(s, pos + 7, 2) : -1;
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return std::nullopt;
    pos += 9;
    if (pos < s.size() && s[pos] == '.') {
      std::size_t frac = pos + 1;
      while (frac < s.size() && s[frac] >= '0' && s[frac] <= '9') ++frac;
      if (frac == pos + 1) return std::nullopt;
      pos = frac;
    }
    if (pos >= s.size()) return std::nullopt;
    if (s[pos] == 'Z') {
      ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
      const int oh = digits(s, pos + 1, 2);
      const int om = (pos + 3 < s.size() && s[pos + 3] == ':') ? digits(s, pos + 4, 2) : -1;
      if (oh < 0 || om < 0 || om > 59 || oh > 14 || (oh == 14 && om != 0)) return std::nullopt;
      offset_min = (s[pos] == '-' ? -1 : 1) * (oh * 60 + om);
      pos += 6;
    } else {
      return std::nullopt;
    }
    if (pos != s.size()) return std::nullopt;
  }
  DateTime dt;
  dt.text_ = std::string(s);
  dt.epoch_ = calendar::days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 + hour * 3600 + minute * 60 + second -
              static_cast<std::int64_t>(offset_min) * 60;
  return dt;
}

std::optional<Decimal> Decimal::parse(std::string_view s) {
  // FHIR decimal: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  std::size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  if (i >= s.size()) return std::nullopt;
  if (s[i] == '0') {
    ++i;
  } else if (s[i] >= '1' && s[i] <= '9') {
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  } else {
    return std::nullopt;
  }
  if (i < s.size() && s[i] == '.') {
    const std::size_t start = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start) return std::nullopt;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    const std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start) return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  return Decimal{std::string(s)};
}

double Decimal::value() const { return std::strtod(text.c_str(), nullptr); }

}  // namespace mfr
