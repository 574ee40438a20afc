#include "validate/primitives.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>
#include <string>

namespace mfr::validate {
namespace {

using r4::Kind;

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
constexpr bool is_lower_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); }

// Reads exactly `n` digits at `p` into `out`.
bool digits(std::string_view s, std::size_t& p, int n, int& out) {
  if (p + n > s.size()) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    if (!is_digit(s[p + i])) return false;
    v = v * 10 + (s[p + i] - '0');
  }
  out = v;
  p += n;
  return true;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0)) return 29;
  return kDays[month - 1];
}

// hh:mm:ss(.f+)? ; returns the reason or empty.
std::string_view time_part(std::string_view s, std::size_t& p) {
  int h, m, sec;
  if (!digits(s, p, 2, h) || p >= s.size() || s[p] != ':') return "the time must be hh:mm:ss";
  ++p;
  if (!digits(s, p, 2, m) || p >= s.size() || s[p] != ':') return "the time must be hh:mm:ss";
  ++p;
  if (!digits(s, p, 2, sec)) return "the time must be hh:mm:ss";
  if (h > 23 || m > 59 || sec > 60) return "the time is out of range";
  if (p < s.size() && s[p] == '.') {
    ++p;
    const std::size_t start = p;
    while (p < s.size() && is_digit(s[p])) ++p;
    if (p == start) return "a fraction of a second needs digits after '.'";
  }
  return {};
}

std::string_view zone_part(std::string_view s, std::size_t& p) {
  if (p >= s.size()) return "a time needs a time zone (Z or +hh:mm)";
  if (s[p] == 'Z') {
    ++p;
    return {};
  }
  if (s[p] != '+' && s[p] != '-') return "the time zone must be Z or +hh:mm";
  ++p;
  int h, m;
  if (!digits(s, p, 2, h) || p >= s.size() || s[p] != ':') return "the time zone must be Z or +hh:mm";
  ++p;
  if (!digits(s, p, 2, m)) return "the time zone must be Z or +hh:mm";
  if (m > 59 || h > 14 || (h == 14 && m != 0)) return "the time zone is out of range";
  return {};
}

// date, dateTime and instant: `min_parts` 1 (year), `max_parts` 3 (day) or 4 (time).
std::string_view date_time(std::string_view s, bool allow_time, bool require_time, bool allow_partial) {
  std::size_t p = 0;
  int year, month = 1, day = 1;
  if (!digits(s, p, 4, year)) return "the year must have four digits";
  if (year == 0) return "the year 0000 does not exist";
  if (p == s.size()) return allow_partial ? std::string_view{} : "a full date and time is required";
  if (s[p] != '-') return "'-' must follow the year";
  ++p;
  if (!digits(s, p, 2, month) || month < 1 || month > 12) return "the month must be 01-12";
  if (p == s.size()) return allow_partial ? std::string_view{} : "a full date and time is required";
  if (s[p] != '-') return "'-' must follow the month";
  ++p;
  if (!digits(s, p, 2, day) || day < 1) return "the day must be two digits 01-31";
  if (day > days_in_month(year, month)) return "the day does not exist in that month";
  if (p == s.size()) return require_time ? "an instant needs a time and a time zone" : std::string_view{};
  if (!allow_time) return "a date has no time part";
  if (s[p] != 'T') return "'T' must separate the date and the time";
  ++p;
  if (auto why = time_part(s, p); !why.empty()) return why;
  if (auto why = zone_part(s, p); !why.empty()) return why;
  if (p != s.size()) return "unexpected text after the time zone";
  return {};
}

std::string_view uuid_text(std::string_view s, std::size_t p) {
  static constexpr int kGroups[] = {8, 4, 4, 4, 12};
  for (int g = 0; g < 5; ++g) {
    if (g > 0) {
      if (p >= s.size() || s[p] != '-') return "a uuid is urn:uuid: and 8-4-4-4-12 lowercase hex digits";
      ++p;
    }
    for (int i = 0; i < kGroups[g]; ++i, ++p)
      if (p >= s.size() || !is_lower_hex(s[p])) return "a uuid is urn:uuid: and 8-4-4-4-12 lowercase hex digits";
  }
  return p == s.size() ? std::string_view{} : "a uuid is urn:uuid: and 8-4-4-4-12 lowercase hex digits";
}

}  // namespace

namespace {

// RFC 6838 restricted-name: a letter or digit, then up to 126 of letters, digits and !#$&-^_.+
std::size_t restricted_name(std::string_view s, std::size_t p) {
  const std::size_t start = p;
  const auto alnum = [](char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (p >= s.size() || !alnum(s[p])) return 0;
  for (++p; p < s.size() && p - start < 127; ++p) {
    const char c = s[p];
    if (!alnum(c) && c != '!' && c != '#' && c != '$' && c != '&' && c != '-' && c != '^' && c != '_' && c != '.' && c != '+') break;
  }
  return p - start;
}

// RFC 2045 token: printable ASCII except space and tspecials.
bool token_char(char c) {
  return c > 0x20 && c < 0x7f && std::string_view("()<>@,;:\\\"/[]?=").find(c) == std::string_view::npos;
}

}  // namespace

std::string_view check_mime_type(std::string_view s) noexcept {
  constexpr std::string_view kShape = "a MIME type is type/subtype, optionally followed by ; name=value parameters";
  std::size_t p = 0;
  std::size_t n = restricted_name(s, p);
  if (n == 0 || p + n >= s.size() || s[p + n] != '/') return kShape;
  p += n + 1;
  n = restricted_name(s, p);
  if (n == 0) return kShape;
  p += n;
  while (p < s.size()) {
    while (p < s.size() && s[p] == ' ') ++p;
    if (p >= s.size() || s[p] != ';') return kShape;
    ++p;
    while (p < s.size() && s[p] == ' ') ++p;
    const std::size_t name = p;
    while (p < s.size() && token_char(s[p])) ++p;
    if (p == name || p >= s.size() || s[p] != '=') return "a MIME type parameter is name=value";
    ++p;
    if (p < s.size() && s[p] == '"') {  // quoted-string
      for (++p; p < s.size() && s[p] != '"'; ++p)
        if (s[p] == '\\') ++p;
      if (p >= s.size()) return "a quoted MIME type parameter needs its closing quote";
      ++p;
    } else {
      const std::size_t value = p;
      while (p < s.size() && token_char(s[p])) ++p;
      if (p == value) return "a MIME type parameter is name=value";
    }
  }
  return {};
}

std::optional<long long> whole_number(std::string_view t) noexcept {
  if (t.size() > 18 || t.empty()) return std::nullopt;
  const bool negative = t[0] == '-';
  long long v = 0;
  for (std::size_t i = negative ? 1 : 0; i < t.size(); ++i) {
    if (!is_digit(t[i])) return std::nullopt;  // '.', 'e', 'E' (the text is JSON)
    v = v * 10 + (t[i] - '0');
  }
  return negative ? -v : v;
}

// strtod of a text that is not NUL-terminated (a JSON number inside the DOM).
static double strtod_of(std::string_view t) noexcept {
  char buf[128];
  if (t.size() < sizeof buf) {
    std::memcpy(buf, t.data(), t.size());
    buf[t.size()] = '\0';
    return std::strtod(buf, nullptr);
  }
  try {
    return std::strtod(std::string(t).c_str(), nullptr);
  } catch (const std::bad_alloc&) {
    return std::numeric_limits<double>::quiet_NaN();
  }
}

double number_value(std::string_view t) noexcept {
  // digits / 10^fraction_digits: both exact in a double, so the one rounding of the division
  // gives the correctly rounded value, as strtod does.
  static constexpr double kPowers[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  const bool negative = !t.empty() && t[0] == '-';
  std::uint64_t digits = 0;
  int count = 0, fraction = -1;
  for (std::size_t i = negative ? 1 : 0; i < t.size(); ++i) {
    const char c = t[i];
    if (c == '.' && fraction < 0) {
      fraction = 0;
      continue;
    }
    if (!is_digit(c) || ++count > 15) return strtod_of(t);
    digits = digits * 10 + static_cast<std::uint64_t>(c - '0');
    if (fraction >= 0) ++fraction;
  }
  if (count == 0) return strtod_of(t);
  const double v = static_cast<double>(digits) / kPowers[fraction < 0 ? 0 : fraction];
  return negative ? -v : v;
}

bool has_control_characters(std::string_view text) noexcept {
  for (const char c : text)
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\r' && c != '\n') return true;
  return false;
}

std::string_view check_string_primitive(Kind kind, std::string_view s) noexcept {
  switch (kind) {
    case Kind::String:
    case Kind::Markdown:
      // [ \r\n\t\S]+ : vertical tab and form feed are the whitespace it leaves out.
      if (!has_bytes_below(s, 0x20)) return {};
      for (const char c : s)
        if (c == '\f' || c == '\v') return "form feed and vertical tab are not allowed";
      return {};
    case Kind::Code: {
      // [^\s]+(\s[^\s]+)*
      if (!has_bytes_below(s, 0x21)) return {};
      if (is_space(s.front()) || is_space(s.back())) return "a code has no leading or trailing whitespace";
      for (std::size_t i = 1; i < s.size(); ++i)
        if (is_space(s[i]) && is_space(s[i - 1])) return "a code has no runs of whitespace";
      return {};
    }
    case Kind::Id:
      if (s.size() > 64) return "an id has at most 64 characters";
      for (const char c : s)
        if (!(is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' || c == '.'))
          return "an id has only letters, digits, '-' and '.'";
      return {};
    case Kind::Uri:
    case Kind::Url:
    case Kind::Canonical:
      if (!has_bytes_below(s, 0x21)) return {};
      for (const char c : s)
        if (is_space(c)) return "a URI has no whitespace";
      return {};
    case Kind::Oid: {
      if (s.substr(0, 8) != "urn:oid:") return "an oid is urn:oid: and dotted numbers";
      std::size_t p = 8;
      if (p >= s.size() || s[p] < '0' || s[p] > '2') return "an oid starts with 0, 1 or 2";
      ++p;
      if (p == s.size()) return "an oid has at least two arcs";
      while (p < s.size()) {
        if (s[p] != '.') return "an oid is urn:oid: and dotted numbers";
        ++p;
        const std::size_t start = p;
        while (p < s.size() && is_digit(s[p])) ++p;
        if (p == start) return "an oid is urn:oid: and dotted numbers";
        if (s[start] == '0' && p - start > 1) return "an oid arc has no leading zero";
      }
      return {};
    }
    case Kind::Uuid:
      if (s.substr(0, 9) != "urn:uuid:") return "a uuid is urn:uuid: and 8-4-4-4-12 lowercase hex digits";
      return uuid_text(s, 9);
    case Kind::Base64Binary: {
      std::size_t n = 0;
      for (const char c : s) {
        if (is_space(c)) continue;
        if (!(is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '+' || c == '/' || c == '='))
          return "base64 has only A-Z, a-z, 0-9, '+', '/' and '='";
        ++n;
      }
      if (n == 0 || n % 4 != 0) return "base64 comes in groups of four characters";
      return {};
    }
    case Kind::Instant: return date_time(s, true, true, false);
    case Kind::DateTime: return date_time(s, true, false, true);
    case Kind::Date: return date_time(s, false, false, true);
    case Kind::Time: {
      std::size_t p = 0;
      if (auto why = time_part(s, p); !why.empty()) return why;
      return p == s.size() ? std::string_view{} : "a time has no time zone or other text after it";
    }
    case Kind::Xhtml: {
      std::size_t p = 0;
      while (p < s.size() && is_space(s[p])) ++p;
      if (s.substr(p, 4) != "<div") return "the narrative must be an XHTML <div> element";
      return {};
    }
    default:
      return {};
  }
}

namespace {

// Seconds since 0001-01-01T00:00:00Z (as a double with the fraction) of a full dateTime/instant.
double to_utc_seconds(std::string_view s) {
  auto num = [&](std::size_t at, int n) {
    int v = 0;
    for (int i = 0; i < n; ++i) v = v * 10 + (s[at + i] - '0');
    return v;
  };
  const int year = num(0, 4), month = num(5, 2), day = num(8, 2);
  long long days = 0;
  const int y = year - 1;
  days = 365LL * y + y / 4 - y / 100 + y / 400;
  for (int m = 1; m < month; ++m) days += days_in_month(year, m);
  days += day - 1;
  double secs = static_cast<double>(days) * 86400.0 + num(11, 2) * 3600.0 + num(14, 2) * 60.0 + num(17, 2);
  std::size_t p = 19;
  if (p < s.size() && s[p] == '.') {
    double scale = 0.1;
    for (++p; p < s.size() && is_digit(s[p]); ++p, scale /= 10) secs += (s[p] - '0') * scale;
  }
  if (p < s.size() && s[p] != 'Z') {
    const int sign = s[p] == '-' ? -1 : 1;
    secs -= sign * (num(p + 1, 2) * 3600.0 + num(p + 4, 2) * 60.0);
  }
  return secs;
}

}  // namespace

int compare_date_times(std::string_view a, std::string_view b) noexcept {
  const bool a_full = a.size() > 10, b_full = b.size() > 10;
  if (a_full && b_full) {
    const double x = to_utc_seconds(a), y = to_utc_seconds(b);
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  // Partial dates: compare on the common precision; equal prefixes cannot be ordered.
  const std::size_t n = std::min(std::min(a.size(), b.size()), std::size_t{10});
  const int c = a.substr(0, n).compare(b.substr(0, n));
  if (c != 0) return c < 0 ? -1 : 1;
  return (a.size() == b.size()) ? 0 : 2;
}

}  // namespace mfr::validate
