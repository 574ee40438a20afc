#pragma once
// Plain-text exports: one note per file, or many notes per file split at dated header lines.
//
// Header rule (TextSplit::DatedHeaders): a line opens a new note when it is a visit heading as
// note/segment.hpp defines it ("=== 2019-03-04 ===", "Date: 04/03/2019", "Séance du 14/03/2023",
// "Behandlung am 03.02.2020:", "Visit 2 - 10 Feb 2020", a log line "2019-01-07<TAB>SR ...").
// The heading line belongs to the note it opens. Text before the first heading belongs to the
// first note (a file's title, the patient's name line); when no heading is found the file is one
// note. Origins: "<source>#note=<n>" (1-based, in file order); "<source>" for
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
