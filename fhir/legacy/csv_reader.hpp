#pragma once
// CSV exports (RFC 4180): quoted fields with embedded delimiters, line breaks and doubled
// quotes; CRLF or LF rows; an optional UTF-8 byte order mark. Columns are mapped by header
// name (case-insensitive) or by position.
//
// Origins are "<source>#row=<n>", n counting records as a spreadsheet shows them (the header
// is row 1 when there is one). A bad row (unterminated quote, a stray character after a
// closing quote, too few columns, an empty note) is reported with its row and line, and
// reading goes on: after an unterminated quote the lines after the row's first line are read
// again as rows, so one stray quote costs one row.
#include <cstddef>
#include <istream>
#include <string>
#include <string_view>

#include "legacy/raw_note.hpp"

namespace mfr::legacy {

struct CsvColumn {
  std::string name;  // header name; empty: unused (unless index is set)
  int index = -1;    // 0-based position; used when >= 0 (and always without a header row)
};

struct CsvOptions {
  char delimiter = ',';
  bool has_header = true;
  CsvColumn patient{"patient"};
  CsvColumn date{"date"};
  CsvColumn practitioner{"practitioner"};
  CsvColumn note{"note"};  // required
  CsvColumn id{"id"};      // optional: the export's own key, used for session ids
  std::size_t max_record_bytes = 8u << 20;
};

void read_csv_notes(std::istream& in, std::string_view source_name, const CsvOptions& options, const NoteSink& sink);

}  // namespace mfr::legacy
