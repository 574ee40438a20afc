#include "legacy/csv_reader.hpp"

#include <deque>
#include <optional>
#include <vector>

#include "legacy/charset.hpp"
#include "legacy/line_reader.hpp"

namespace mfr::legacy {
namespace {

struct OwnedLine {
  std::string text;
  std::string terminator;
  std::uint64_t offset = 0;
  std::uint64_t number = 0;
};

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

enum class RecordStatus { Ok, Unterminated, StrayAfterQuote, TooLong };

class CsvParser {
 public:
  CsvParser(std::istream& in, const CsvOptions& o) : lines_(in), o_(o) {}

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
            else if (c == o_.delimiter) fields.emplace_back();
            else { f += c; st = Unquoted; }
            break;
          case Unquoted:
            if (c == o_.delimiter) { fields.emplace_back(); st = FieldStart; }
            else f += c;  // a quote inside an unquoted field is kept as written
            break;
          case Quoted:
            if (c == '"') st = AfterQuote;
            else f += c;
            break;
          case AfterQuote:
            if (c == '"') { f += '"'; st = Quoted; }
            else if (c == o_.delimiter) { fields.emplace_back(); st = FieldStart; }
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
};

}  // namespace

void read_csv_notes(std::istream& in, std::string_view source_name, const CsvOptions& options, const NoteSink& sink) {
  CsvParser parser(in, options);
  std::vector<std::string> fields;
  RecordStatus status;
  OwnedLine first;
  std::size_t stray = 0;
  int row = 0;
  struct Map {
    int patient = -1, date = -1, practitioner = -1, note = -1, id = -1;
  } map;
  auto origin = [&] { return std::string(source_name) + "#row=" + std::to_string(row); };

  auto by_index = [](const CsvColumn& c) { return c.index; };
  map = {by_index(options.patient), by_index(options.date), by_index(options.practitioner), by_index(options.note),
         by_index(options.id)};
  bool any = false;
  if (options.has_header) {
    // the first non-blank record is the header
    while (parser.next(fields, status, first, stray)) {
      any = true;
      ++row;
      if (fields.size() == 1 && trim(fields[0]).empty()) continue;
      auto find = [&](const CsvColumn& c, int& slot) {
        if (c.index >= 0 || c.name.empty()) return;
        for (std::size_t i = 0; i < fields.size(); ++i)
          if (iequals(trim(fields[i]), c.name)) slot = static_cast<int>(i);
      };
      find(options.patient, map.patient);
      find(options.date, map.date);
      find(options.practitioner, map.practitioner);
      find(options.note, map.note);
      find(options.id, map.id);
      break;
    }
    if (!any) {
      sink.error({"the file is empty", std::string(source_name), 0, 0});
      return;
    }
    if (map.note < 0) {
      sink.error({"the header row has no column named '" + options.note.name + "' for the note text; nothing was read",
                  origin(), first.offset, first.number});
      return;
    }
  } else if (map.note < 0) {
    sink.error({"no column is mapped to the note text; nothing was read", std::string(source_name), 0, 0});
    return;
  }

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
    if (static_cast<int>(fields.size()) <= map.note) {
      fail("the row has " + std::to_string(fields.size()) + " columns; the note is column " +
           std::to_string(map.note + 1));
      continue;
    }
    RawNote note;
    bool converted = false;
    auto take = [&](int idx, std::string& out) {
      if (idx < 0 || idx >= static_cast<int>(fields.size())) return;
      out = std::move(fields[static_cast<std::size_t>(idx)]);
      converted = ensure_utf8(out) || converted;
    };
    take(map.note, note.text);
    if (trim(note.text).find_first_not_of("\r\n") == std::string_view::npos) {
      fail("the note column is empty");
      continue;
    }
    if (note.text.find('\0') != std::string::npos) {
      fail("the note holds binary data (a NUL byte), not text");
      continue;
    }
    take(map.patient, note.patient);
    take(map.date, note.date);
    take(map.practitioner, note.practitioner);
    take(map.id, note.id);
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
