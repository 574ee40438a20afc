#include "legacy/csv_reader.hpp"

#include <deque>
#include <optional>
#include <vector>

#include "legacy/charset.hpp"
#include "legacy/csv_header.hpp"
#include "legacy/line_reader.hpp"

namespace mfr::legacy {
namespace {

struct OwnedLine {
  std::string text;
  std::string terminator;
  std::uint64_t offset = 0;
  std::uint64_t number = 0;
};

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

enum class RecordStatus { Ok, Unterminated, StrayAfterQuote, TooLong };

// The most frequent of ',' ';' and tab outside quotes in a record's first line; ',' for none.
char sniff_delimiter(std::string_view line) noexcept {
  std::size_t comma = 0, semicolon = 0, tab = 0;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    else if (!quoted) {
      comma += c == ',';
      semicolon += c == ';';
      tab += c == '\t';
    }
  }
  if (semicolon > comma && semicolon >= tab) return ';';
  if (tab > comma && tab > semicolon) return '\t';
  return ',';
}

class CsvParser {
 public:
  CsvParser(std::istream& in, const CsvOptions& o) : lines_(in), o_(o), delimiter_(o.delimiter) {}

  char delimiter() const noexcept { return delimiter_; }

  // Reads the next record into fields; false at the end of input.
  bool next(std::vector<std::string>& fields, RecordStatus& status, OwnedLine& first, std::size_t& stray_column) {
    OwnedLine l;
    if (!pull(l)) return false;
    first = l;
    fields.clear();
    fields.emplace_back();
    status = RecordStatus::Ok;
    std::vector<OwnedLine> consumed;  // the record's later lines, replayed after an unterminated quote
    std::size_t bytes = 0;
    enum { FieldStart, Unquoted, Quoted, AfterQuote } st = FieldStart;
    for (bool first_line = true;; first_line = false) {
      if (!first_line) {
        if (!pull(l)) {
          status = RecordStatus::Unterminated;
          replay(consumed);
          return true;
        }
        consumed.push_back(l);
      }
      if (first_line && first_record_ && l.text.size() >= 3 && l.text.compare(0, 3, "\xEF\xBB\xBF") == 0)
        l.text.erase(0, 3);
      if (first_line && delimiter_ == 0 && !trim(l.text).empty()) delimiter_ = sniff_delimiter(l.text);
      first_record_ = false;
      bytes += l.text.size() + l.terminator.size();
      if (bytes > o_.max_record_bytes) {
        status = RecordStatus::TooLong;
        replay(consumed);
        return true;
      }
      for (std::size_t i = 0; i < l.text.size(); ++i) {
        const char c = l.text[i];
        std::string& f = fields.back();
        switch (st) {
          case FieldStart:
            if (c == '"') st = Quoted;
            else if (c == delimiter_) fields.emplace_back();
            else { f += c; st = Unquoted; }
            break;
          case Unquoted:
            if (c == delimiter_) { fields.emplace_back(); st = FieldStart; }
            else f += c;  // a quote inside an unquoted field is kept as written
            break;
          case Quoted:
            if (c == '"') st = AfterQuote;
            else f += c;
            break;
          case AfterQuote:
            if (c == '"') { f += '"'; st = Quoted; }
            else if (c == delimiter_) { fields.emplace_back(); st = FieldStart; }
            else if (status == RecordStatus::Ok) {
              status = RecordStatus::StrayAfterQuote;
              stray_column = fields.size();
            }
            break;
        }
      }
      if (st != Quoted) {
        // A stray quote character in a row that ran over several lines is almost always a quote
        // that was never closed: read those lines again as rows of their own.
        if (status != RecordStatus::Ok && !consumed.empty()) {
          status = RecordStatus::Unterminated;
          replay(consumed);
        }
        return true;
      }
      fields.back() += l.terminator;  // a line break inside quotes is part of the field
    }
  }

 private:
  bool pull(OwnedLine& l) {
    if (!pending_.empty()) {
      l = std::move(pending_.front());
      pending_.pop_front();
      return true;
    }
    Line line;
    if (!lines_.next(line)) return false;
    l.text.assign(line.text);
    l.terminator.assign(line.terminator);
    l.offset = line.offset;
    l.number = line.number;
    return true;
  }
  void replay(std::vector<OwnedLine>& consumed) {
    for (auto it = consumed.rbegin(); it != consumed.rend(); ++it) pending_.push_front(std::move(*it));
  }

  LineReader lines_;
  const CsvOptions& o_;
  std::deque<OwnedLine> pending_;
  bool first_record_ = true;
  char delimiter_;
};

// 'A', 'B', 'C' as written, for the error that lists them.
std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "'" : ", '") + n + "'";
  return out;
}

// What --csv-columns would read this header: the fields found, and the note in the last column
// no field took (exports put the free text last).
std::string suggested_columns(const std::vector<std::string>& headers, const std::array<int, kCsvFieldCount>& map) {
  std::string spec;
  auto add = [&](CsvField f, int index) {
    if (index < 0) return;
    if (!spec.empty()) spec += ',';
    spec += std::string(csv_field_name(f)) + "=" + headers[static_cast<std::size_t>(index)];
  };
  int note = map[static_cast<std::size_t>(CsvField::Note)];
  for (int i = static_cast<int>(headers.size()) - 1; note < 0 && i >= 0; --i) {
    bool used = false;
    for (int m : map) used = used || m == i;
    if (!used && !headers[static_cast<std::size_t>(i)].empty()) note = i;
  }
  add(CsvField::Patient, map[static_cast<std::size_t>(CsvField::Patient)]);
  add(CsvField::Date, map[static_cast<std::size_t>(CsvField::Date)]);
  add(CsvField::Note, note);
  return spec;
}

}  // namespace

void read_csv_notes(std::istream& in, std::string_view source_name, const CsvOptions& options, const NoteSink& sink) {
  CsvParser parser(in, options);
  std::vector<std::string> fields;
  RecordStatus status;
  OwnedLine first;
  std::size_t stray = 0;
  int row = 0;
  const CsvColumn* columns[kCsvFieldCount] = {&options.patient, &options.date, &options.practitioner, &options.note,
                                               &options.id};
  std::array<int, kCsvFieldCount> map;
  for (std::size_t f = 0; f < kCsvFieldCount; ++f) map[f] = columns[f]->index;
  auto origin = [&] { return std::string(source_name) + "#row=" + std::to_string(row); };
  const auto note_slot = static_cast<std::size_t>(CsvField::Note);

  bool any = false;
  if (options.has_header) {
    // the first non-blank record is the header
    while (parser.next(fields, status, first, stray)) {
      any = true;
      ++row;
      if (fields.size() == 1 && trim(fields[0]).empty()) continue;
      std::vector<std::string> headers, normalised;
      for (std::string& f : fields) {
        ensure_utf8(f);
        headers.emplace_back(trim(f));
        normalised.push_back(normalise_header(f));
      }
      // Positions first, then the names given, then the known names for the rest.
      std::vector<bool> taken(headers.size(), false);
      std::array<bool, kCsvFieldCount> wanted{};
      std::string missing;  // a name given that no header has
      for (std::size_t f = 0; f < kCsvFieldCount; ++f) {
        if (map[f] >= 0) {
          if (static_cast<std::size_t>(map[f]) < taken.size()) taken[static_cast<std::size_t>(map[f])] = true;
          continue;
        }
        if (columns[f]->name.empty()) {
          wanted[f] = columns[f]->known_names;
          continue;
        }
        const std::string want = normalise_header(columns[f]->name);
        for (std::size_t i = 0; i < normalised.size() && map[f] < 0; ++i)
          if (!taken[i] && normalised[i] == want) map[f] = static_cast<int>(i);
        if (map[f] >= 0) taken[static_cast<std::size_t>(map[f])] = true;
        else if (missing.empty())
          missing = "the header row has no column named '" + columns[f]->name + "' for the " +
                    std::string(csv_field_name(static_cast<CsvField>(f)));
      }
      const auto known = map_known_headers(normalised, taken, wanted);
      for (std::size_t f = 0; f < kCsvFieldCount; ++f)
        if (wanted[f]) map[f] = known[f];
      if (missing.empty() && map[note_slot] < 0) missing = "the header row has no note column";
      if (!missing.empty()) {
        // The hint: what was found, and the known names for the fields that were named and missing.
        auto hint = map;
        std::array<bool, kCsvFieldCount> unmapped{};
        for (std::size_t f = 0; f < kCsvFieldCount; ++f) unmapped[f] = map[f] < 0;
        for (int m : map)
          if (m >= 0 && static_cast<std::size_t>(m) < taken.size()) taken[static_cast<std::size_t>(m)] = true;
        const auto more = map_known_headers(normalised, taken, unmapped);
        for (std::size_t f = 0; f < kCsvFieldCount; ++f)
          if (unmapped[f]) hint[f] = more[f];
        sink.error({missing + " (headers seen: " + quoted_list(headers) + "); nothing was read. Name the columns, e.g. " +
                        "--csv-columns \"" + suggested_columns(headers, hint) + "\"",
                    origin(), first.offset, first.number});
        return;
      }
      break;
    }
    if (!any) {
      sink.error({"the file is empty", std::string(source_name), 0, 0});
      return;
    }
  } else if (map[note_slot] < 0) {
    sink.error({"no column is mapped to the note text; nothing was read", std::string(source_name), 0, 0});
    return;
  }
  struct {
    int patient, date, practitioner, note, id;
  } const m{map[0], map[1], map[2], map[3], map[4]};

  while (parser.next(fields, status, first, stray)) {
    any = true;
    ++row;
    if (fields.size() == 1 && trim(fields[0]).empty() && status == RecordStatus::Ok) continue;  // blank line
    auto fail = [&](const std::string& what) { sink.error({what, origin(), first.offset, first.number}); };
    if (status == RecordStatus::Unterminated) {
      fail("a quoted field is not closed (it runs to the end of the file or into later rows); the row was skipped "
           "and the lines after its first line were read again");
      continue;
    }
    if (status == RecordStatus::TooLong) {
      fail("the row is longer than " + std::to_string(options.max_record_bytes) +
           " bytes (an unclosed quote?); it was skipped");
      continue;
    }
    if (status == RecordStatus::StrayAfterQuote) {
      fail("column " + std::to_string(stray) + " has text after its closing quote; the row was skipped");
      continue;
    }
    if (static_cast<int>(fields.size()) <= m.note) {
      fail("the row has " + std::to_string(fields.size()) + " columns; the note is column " +
           std::to_string(m.note + 1));
      continue;
    }
    RawNote note;
    bool converted = false;
    auto take = [&](int idx, std::string& out) {
      if (idx < 0 || idx >= static_cast<int>(fields.size())) return;
      out = std::move(fields[static_cast<std::size_t>(idx)]);
      converted = ensure_utf8(out) || converted;
    };
    take(m.note, note.text);
    if (trim(note.text).find_first_not_of("\r\n") == std::string_view::npos) {
      fail("the note column is empty");
      continue;
    }
    if (note.text.find('\0') != std::string::npos) {
      fail("the note holds binary data (a NUL byte), not text");
      continue;
    }
    take(m.patient, note.patient);
    take(m.date, note.date);
    take(m.practitioner, note.practitioner);
    take(m.id, note.id);
    note.patient = std::string(trim(note.patient));
    note.date = std::string(trim(note.date));
    note.practitioner = std::string(trim(note.practitioner));
    note.id = std::string(trim(note.id));
    note.origin = origin();
    note.byte_offset = first.offset;
    note.line = first.number;
    note.converted_from_windows_1252 = converted;
    if (!sink.note(note)) return;
  }
  if (!any) sink.error({"the file is empty", std::string(source_name), 0, 0});
}

}  // namespace mfr::legacy
