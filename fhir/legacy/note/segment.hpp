#pragma once
// Stage 1 of reading notes: where one visit ends and the next begins inside a plain-text file.
//
// A line opens a visit when it holds a full date (any style read_legacy_date knows, with month
// names in English, French or German) that starts within its first 8 tokens, nothing before the
// date says it is another kind of date (a date of birth, a next appointment, a referral: see
// is_other_date_word in note/lexicon.hpp: the tables list them), and the line is a heading rather than prose: at most 12 words, or the date
// comes first. Examples: "=== 2019-03-04 ===", "Date: 04/03/2019", "Séance du 14/03/2023",
// "Behandlung am 03.02.2020:", "Termin 2 (13.07.2021)", "Visit 2 - 10 Feb 2020",
// "2019-01-07<TAB>SR<TAB>T4-6 L mod" (a log: one visit a line).
// Not: "DOB 1979-11-02", "Nächster Termin: 05.09.2017.", "Plan: appt booked 09 Nov 2018.",
// "... whom I saw today, 8 October 2019." (prose: the reader still takes that date).
#include <cstddef>
#include <string_view>

namespace mfr::legacy::note {

struct HeaderDate {
  std::string_view text;  // the date as written, inside the line; empty: not a visit header
};

HeaderDate visit_header_date(std::string_view line);

}  // namespace mfr::legacy::note
