#pragma once
// FHIR dates as the UTC ranges that date search compares (FHIR R4 search, "date"): a value stands
// for every instant its precision leaves open, so "2026-03" is all of March and
// "2026-03-01T23:30:00-05:00" is the one second from 2026-03-02T04:30:00Z. Ranges are in
// milliseconds since 1970-01-01T00:00:00Z, both ends inclusive.
//
// A value with a time but no offset, and every date without a time, is read as UTC: FHIR lets a
// server assume its own time zone, and this one documents UTC as its own.
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

namespace mfr::store {

struct DateRange {
  // Open ends of a Period: no start is the dawn of time, no end is "still going on".
  static constexpr std::int64_t kOpenLow = std::numeric_limits<std::int64_t>::min();
  static constexpr std::int64_t kOpenHigh = std::numeric_limits<std::int64_t>::max();

  std::int64_t low = 0;   // first millisecond in the range
  std::int64_t high = 0;  // last millisecond in the range

  bool operator==(const DateRange&) const = default;
};

// The range of a FHIR date, dateTime or instant: YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDThh:mm,
// YYYY-MM-DDThh:mm:ss and YYYY-MM-DDThh:mm:ss.f+ (fractions past milliseconds are cut), each
// time optionally followed by Z or ±hh:mm. nullopt when `text` is none of these or names a day
// that does not exist; `why` (when given) then says what is wrong.
std::optional<DateRange> date_range(std::string_view text, const char** why = nullptr);

// A Period's range: from its start's low to its end's high; a missing end is open.
// nullopt when a given start or end does not parse, or when neither is given.
std::optional<DateRange> period_range(std::optional<std::string_view> start, std::optional<std::string_view> end);

}  // namespace mfr::store
