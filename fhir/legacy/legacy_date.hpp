#pragma once
// Dates as legacy systems wrote them, read into FHIR date text.
#include <optional>
#include <string>
#include <string_view>

#include "model/date_time.hpp"

namespace mfr::legacy {

// How "04/03/2019" is read: 4 March (day first, UK/EU/AU) or April 3 (month first, US).
enum class DateOrder : unsigned char { DayFirst, MonthFirst };

struct DateReading {
  DateTime date;
  // Set when the text would mean another valid date under the other order ("04/03/2019"). The
  // date is still read in the configured order; the caller reports this as a warning. When only
  // one order gives a date ("13/03/2019", "05/14/2018") that one is read and there is no doubt;
  // dotted dates ("04.03.2019") are always day first.
  std::string doubt;
};

// Reads one date (surrounding spaces allowed): ISO "2019-03-04", "04/03/2019", "4.3.19",
// "4 Mar 2019", "4th March 2019", "1er mars 2019", "March 4, 2019", "Mar 4 2019", HL7 TS "20190304[1030[00]][+0100]".
// Two-digit years: 00-69 are 20xx, 70-99 are 19xx. A time is kept only with a time zone
// (FHIR requires one), otherwise the date alone is kept. nullopt when it is not a date.
std::optional<DateReading> read_legacy_date(std::string_view text, DateOrder order);

// 1..12 for an English month name or its 3-letter (or "Sept") abbreviation, any case; 0 otherwise.
int month_from_name(std::string_view word) noexcept;

}  // namespace mfr::legacy
