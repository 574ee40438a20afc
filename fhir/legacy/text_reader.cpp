#include "legacy/text_reader.hpp"

#include <string>

#include "legacy/charset.hpp"
#include "legacy/line_reader.hpp"
#include "legacy/note/segment.hpp"

namespace mfr::legacy {
namespace {

bool blank(std::string_view s) noexcept { return s.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos; }

}  // namespace

void read_text_notes(std::istream& in, std::string_view source_name, const TextOptions& options,
                     const NoteSink& sink) {
  LineReader lines(in);
  Line line;
  RawNote note;
  bool open = false;
  bool oversized = false;
  int count = 0;
  bool any_byte = false;
  const bool split = options.split == TextSplit::DatedHeaders;

  auto origin = [&](int n) {
    return split ? std::string(source_name) + "#note=" + std::to_string(n) : std::string(source_name);
  };
  // Hands on the open note; false when the sink asked to stop.
  auto finish = [&]() -> bool {
    if (!open) return true;
    open = false;
    if (oversized) {
      sink.error({"the note is longer than " + std::to_string(options.max_note_bytes) + " bytes and was not read",
                  note.origin, note.byte_offset, note.line});
      return true;
    }
    if (blank(note.text)) {
      if (!split || count == 1) {
        sink.error({"the note is empty", note.origin, note.byte_offset, note.line});
      }
      return true;
    }
    if (const auto nul = note.text.find('\0'); nul != std::string::npos) {
      sink.error({"the note holds binary data (a NUL byte " + std::to_string(nul) +
                      " bytes in), not text; it was not read",
                  note.origin, note.byte_offset, note.line});
      return true;
    }
    note.converted_from_windows_1252 = ensure_utf8(note.text);
    return sink.note(note);
  };
  auto start = [&](const Line& l, std::string_view date) {
    note = RawNote{};
    ++count;
    note.origin = origin(count);
    note.byte_offset = l.offset;
    note.line = l.number;
    note.date = std::string(date);
    open = true;
    oversized = false;
  };

  while (lines.next(line)) {
    any_byte = true;
    const std::string_view date = split ? note::visit_header_date(line.text).text : std::string_view{};
    if (!date.empty() && open && count == 1 && note.date.empty()) {
      // The first visit's heading after a preamble ("Fiche de suivi", "PATIENT: Lopez"): the
      // preamble belongs to that visit, so its patient and practitioner lines are read with it.
      note.date = std::string(date);
    } else if (!date.empty()) {
      if (!finish()) return;
      start(line, date);
    } else if (!open) {
      start(line, {});
    }
    if (oversized) continue;
    if (note.text.size() + line.text.size() + line.terminator.size() > options.max_note_bytes || line.too_long) {
      oversized = true;
      note.text.clear();
      note.text.shrink_to_fit();
      continue;
    }
    note.text.append(line.text);
    note.text.append(line.terminator);
  }
  if (!any_byte) {
    sink.error({"the file is empty", std::string(source_name), 0, 0});
    return;
  }
  if (open && split && count > 1 && blank(note.text)) return;
  finish();
}

}  // namespace mfr::legacy
