#pragma once
// The dates clinicians write, found on a line's tokens: one recogniser for the visit headings
// (note/segment) and for the reader's dates (headings, mentions). It finds where a date is and
// what text to read; the caller reads it with read_legacy_date in the order it knows.
//
// Shapes: 2019-03-04, 04/03/2019, 04.03.19, 04-03-2019 (separators glued, year of 2 or 4
// digits); "2019 -06 -03" (a year first, typed with spaces: read as 2019-06-03);
// 17-Jul-2019, 17/Jul/2019; 4 Mar 2019, 4th March 2019, 3. April 2023, 3.April 2023,
// 1er mars 2019 ("er"), 4 Mar, 19; March 4, 2019, Mar. 4th 2019. With `compact`, also 20190304
// (visit headings only: in prose eight digits are as often a record number).
// Month names are read_legacy_date's (English, French, German).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "legacy/note_lexer.hpp"

namespace mfr::legacy::note {

// The token after a date starting at token k of `text` (the tokens' offsets are into `text`), and
// in `written` the text to read; k when no date starts there.
std::size_t date_span(std::string_view text, const std::vector<Token>& t, std::size_t k, std::string& written,
                      bool compact = false);

}  // namespace mfr::legacy::note
