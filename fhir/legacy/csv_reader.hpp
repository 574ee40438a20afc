#pragma once
// CSV exports (RFC 4180) as clinics' spreadsheets write them: quoted fields with embedded
// delimiters, line breaks and doubled quotes; CRLF or LF rows (Excel: CRLF between records, LF
// inside a quoted cell); an optional UTF-8 byte order mark; UTF-8 or Windows-1252.
//
// Delimiter: `delimiter`, or when it is 0 sniffed from the first record's first line: the most
// frequent of ',' ';' and tab outside quotes (',' when none is there, as for a one-column file).
// Columns: by position (`index`), else by the header name given (`name`, as --csv-columns does),
// else by the field's known header names in English, French and German (legacy/csv_header.hpp).
// Names match without regard to case, accents or punctuation. A name given that no header has,
// or no note column at all, stops the file with one error naming the headers seen and the
// --csv-columns that would read it.
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
  std::string name;         // header name; empty: the field's known names, or unused
  int index = -1;           // 0-based position; used when >= 0 (and always without a header row)
  bool known_names = true;  // with no name or index: match the field's known header names
};

struct CsvOptions {
  char delimiter = 0;  // 0: sniffed (',' ';' or tab)
  bool has_header = true;
  CsvColumn patient;
  CsvColumn date;
  CsvColumn practitioner;
  CsvColumn note;  // required
  CsvColumn id;    // optional: the export's own key, used for session ids
  std::size_t max_record_bytes = 8u << 20;
};

void read_csv_notes(std::istream& in, std::string_view source_name, const CsvOptions& options, const NoteSink& sink);

}  // namespace mfr::legacy
