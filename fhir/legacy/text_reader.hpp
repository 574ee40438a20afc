#pragma once
// Plain-text exports: one note per file, or many notes per file split at dated header lines.
//
// Header rule (TextSplit::DatedHeaders): a line starts a new note when, after optional spaces,
//  (a) it is a run of 3+ '=', '-', '*' or '#', a date, and optionally the same run again:
//      "=== 2019-03-04 ===", "--- 4 Mar 2019 ---", "### 04/03/2019";
//  (b) or it begins "Date:", "DOS:", "Date of service:" or "Visit date:" (any case) followed by a date:
//      "Date: 04/03/2019".
// The header line belongs to the note it opens. Text before the first header is a note of its own
// when it is not blank. Origins: "<source>#note=<n>" (1-based, in file order); "<source>" for
// TextSplit::WholeFile.
#include <cstddef>
#include <istream>
#include <string_view>

#include "legacy/legacy_date.hpp"
#include "legacy/raw_note.hpp"

namespace mfr::legacy {

enum class TextSplit : unsigned char { WholeFile, DatedHeaders };

struct TextOptions {
  TextSplit split = TextSplit::DatedHeaders;
  DateOrder date_order = DateOrder::DayFirst;  // only to recognise header dates
  std::size_t max_note_bytes = 8u << 20;       // a longer note is reported, not read
};

// Reads notes from `in` incrementally; `source_name` (a file name, no patient data) starts
// each origin. Errors (empty input, binary data, an oversized note) go to sink.error.
void read_text_notes(std::istream& in, std::string_view source_name, const TextOptions& options,
                     const NoteSink& sink);

}  // namespace mfr::legacy
