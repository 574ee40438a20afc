#include <catch2/catch.hpp>

#include <ctime>

#include "store/date_range.hpp"

using mfr::store::date_range;
using mfr::store::DateRange;
using mfr::store::period_range;

namespace {

// The expected instants come from the C library's timegm, not from the code under test.
std::int64_t utc_ms(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) {
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<std::int64_t>(timegm(&tm)) * 1000;
}

}  // namespace

TEST_CASE("a dateTime with an offset is the UTC instant it names, across midnight and year ends", "[store][date]") {
  const auto west = date_range("2026-03-01T23:30:00-05:00");
  REQUIRE(west);
  CHECK(west->low == utc_ms(2026, 3, 2, 4, 30));
  CHECK(west->high == west->low + 999);  // to the second: the whole second

  const auto east = date_range("2026-01-01T00:30:00+02:00");
  REQUIRE(east);
  CHECK(east->low == utc_ms(2025, 12, 31, 22, 30));
  CHECK(date_range("2026-03-02T04:30:00Z") == west);
  CHECK(date_range("2026-03-02T04:30:00+00:00") == west);
  CHECK(date_range("2026-03-02T10:00:00+05:30")->low == utc_ms(2026, 3, 2, 4, 30));
}

TEST_CASE("a partial date is the whole year, month or day it names", "[store][date]") {
  CHECK(date_range("2026") == DateRange{utc_ms(2026, 1, 1), utc_ms(2027, 1, 1) - 1});
  CHECK(date_range("2026-02") == DateRange{utc_ms(2026, 2, 1), utc_ms(2026, 3, 1) - 1});
  CHECK(date_range("2024-02") == DateRange{utc_ms(2024, 2, 1), utc_ms(2024, 3, 1) - 1});  // leap year
  CHECK(date_range("2026-12-31") == DateRange{utc_ms(2026, 12, 31), utc_ms(2027, 1, 1) - 1});
  CHECK(date_range("2026-03-01T10:15") == DateRange{utc_ms(2026, 3, 1, 10, 15), utc_ms(2026, 3, 1, 10, 16) - 1});
  CHECK(date_range("2026-03-01T10:15:30.5Z") ==
        DateRange{utc_ms(2026, 3, 1, 10, 15, 30) + 500, utc_ms(2026, 3, 1, 10, 15, 30) + 599});
  CHECK(date_range("2026-03-01T10:15:30.25Z")->high == utc_ms(2026, 3, 1, 10, 15, 30) + 259);
  // Past milliseconds the digits are cut: the range is that millisecond.
  CHECK(date_range("2026-03-01T10:15:30.123456Z") ==
        DateRange{utc_ms(2026, 3, 1, 10, 15, 30) + 123, utc_ms(2026, 3, 1, 10, 15, 30) + 123});
  CHECK(date_range("1969-12-31T23:59:59Z")->low == -1000);
}

TEST_CASE("a time without an offset is read as UTC", "[store][date]") {
  CHECK(date_range("2026-03-01T10:00:00") == date_range("2026-03-01T10:00:00Z"));
}

TEST_CASE("a text that is not a FHIR date, or a day that does not exist, has no range and a reason", "[store][date]") {
  const char* why = nullptr;
  for (const char* bad : {"", "26", "2026-3", "2026-03-1", "2026/03/01", "2026-03-01T10", "2026-03-01 10:00:00Z",
                          "2026-03-01T10:00:00+0200", "2026-03-01T10:00:00.Z", "2026-03-01T10:00:00Zjunk", "tomorrow"}) {
    why = nullptr;
    CHECK_FALSE(date_range(bad, &why));
    CHECK(why != nullptr);
  }
  CHECK_FALSE(date_range("2026-02-29", &why));
  CHECK(std::string(why) == "that day does not exist");
  CHECK(date_range("2024-02-29"));
  CHECK_FALSE(date_range("2026-13", &why));
  CHECK(std::string(why) == "its month is not 01 to 12");
  CHECK_FALSE(date_range("2026-03-01T24:00:00Z", &why));
  CHECK_FALSE(date_range("2026-03-01T10:00:00+15:00", &why));
}

TEST_CASE("a period runs from its start's first instant to its end's last, open where a bound is missing",
          "[store][date]") {
  CHECK(period_range("2026-03-01T10:00:00+01:00", "2026-03-01") ==
        DateRange{utc_ms(2026, 3, 1, 9), utc_ms(2026, 3, 2) - 1});
  CHECK(period_range("2026-03-01", std::nullopt) == DateRange{utc_ms(2026, 3, 1), DateRange::kOpenHigh});
  CHECK(period_range(std::nullopt, "2026-03") == DateRange{DateRange::kOpenLow, utc_ms(2026, 4, 1) - 1});
  CHECK_FALSE(period_range(std::nullopt, std::nullopt));
  CHECK_FALSE(period_range("2026-03-01", "soon"));
}
