#include "store/date_range.hpp"

#include "model/calendar.hpp"

namespace mfr::store {
namespace {

using calendar::days_from_civil;
using calendar::days_in_month;

constexpr std::int64_t kSecond = 1000;
constexpr std::int64_t kMinute = 60 * kSecond;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;

// Reads the fixed-width number at `at` and moves past it; -1 when a digit is missing.
int digits(std::string_view text, std::size_t& at, std::size_t width) {
  if (at + width > text.size()) return -1;
  int n = 0;
  for (std::size_t i = 0; i < width; ++i) {
    const char c = text[at + i];
    if (c < '0' || c > '9') return -1;
    n = n * 10 + (c - '0');
  }
  at += width;
  return n;
}

bool next_is(std::string_view text, std::size_t at, char c) { return at < text.size() && text[at] == c; }

std::optional<DateRange> fail(const char** why, const char* reason) {
  if (why) *why = reason;
  return std::nullopt;
}

}  // namespace

std::optional<DateRange> date_range(std::string_view text, const char** why) {
  constexpr const char* kShape = "it is not YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss[.fff]][Z|+hh:mm|-hh:mm]";
  std::size_t at = 0;
  const int year = digits(text, at, 4);
  if (year < 0) return fail(why, kShape);
  if (at == text.size()) {
    const std::int64_t low = days_from_civil(year, 1, 1) * kDay;
    return DateRange{low, days_from_civil(year + 1, 1, 1) * kDay - 1};
  }
  if (!next_is(text, at++, '-')) return fail(why, kShape);
  const int month = digits(text, at, 2);
  if (month < 0) return fail(why, kShape);
  if (month < 1 || month > 12) return fail(why, "its month is not 01 to 12");
  if (at == text.size()) {
    const std::int64_t low = days_from_civil(year, month, 1) * kDay;
    return DateRange{low, low + days_in_month(year, month) * kDay - 1};
  }
  if (!next_is(text, at++, '-')) return fail(why, kShape);
  const int day = digits(text, at, 2);
  if (day < 0) return fail(why, kShape);
  if (day < 1 || static_cast<unsigned>(day) > days_in_month(year, month)) return fail(why, "that day does not exist");
  const std::int64_t midnight = days_from_civil(year, month, day) * kDay;
  if (at == text.size()) return DateRange{midnight, midnight + kDay - 1};

  if (!next_is(text, at++, 'T')) return fail(why, kShape);
  const int hour = digits(text, at, 2);
  if (!next_is(text, at++, ':')) return fail(why, kShape);
  const int minute = digits(text, at, 2);
  if (hour < 0 || minute < 0) return fail(why, kShape);
  if (hour > 23 || minute > 59) return fail(why, "its time of day is not 00:00 to 23:59");
  std::int64_t local = midnight + hour * kHour + minute * kMinute;
  std::int64_t width = kMinute;
  if (next_is(text, at, ':')) {
    ++at;
    const int second = digits(text, at, 2);
    if (second < 0) return fail(why, kShape);
    if (second > 60) return fail(why, "its seconds are not 00 to 60");  // 60: a leap second
    local += second * kSecond;
    width = kSecond;
    if (next_is(text, at, '.')) {
      ++at;
      const std::size_t first = at;
      std::int64_t scale = kSecond;
      while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
        if (scale > 1) {
          scale /= 10;
          local += (text[at] - '0') * scale;
        }
        ++at;
      }
      if (at == first) return fail(why, kShape);
      width = scale;
    }
  }
  std::int64_t offset = 0;
  if (next_is(text, at, 'Z')) {
    ++at;
  } else if (next_is(text, at, '+') || next_is(text, at, '-')) {
    const bool east = text[at++] == '+';
    const int hours = digits(text, at, 2);
    if (!next_is(text, at++, ':')) return fail(why, kShape);
    const int minutes = digits(text, at, 2);
    if (hours < 0 || minutes < 0) return fail(why, kShape);
    if (hours > 14 || minutes > 59) return fail(why, "its offset from UTC is not within -14:00 to +14:00");
    offset = (east ? 1 : -1) * (hours * kHour + minutes * kMinute);
  }
  if (at != text.size()) return fail(why, kShape);
  const std::int64_t low = local - offset;
  return DateRange{low, low + width - 1};
}

std::optional<DateRange> period_range(std::optional<std::string_view> start, std::optional<std::string_view> end) {
  if (!start && !end) return std::nullopt;
  DateRange range{DateRange::kOpenLow, DateRange::kOpenHigh};
  if (start) {
    const auto from = date_range(*start);
    if (!from) return std::nullopt;
    range.low = from->low;
  }
  if (end) {
    const auto to = date_range(*end);
    if (!to) return std::nullopt;
    range.high = to->high;
  }
  return range;
}

}  // namespace mfr::store
