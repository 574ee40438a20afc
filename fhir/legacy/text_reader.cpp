#include "legacy/text_reader.hpp"

#include <string>

#include "legacy/charset.hpp"
#include "legacy/line_reader.hpp"

namespace mfr::legacy {
namespace {

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iprefix(std::string_view s, std::string_view p) noexcept {
  if (s.size() < p.size()) return false;
  for (std::size_t i = 0; i < p.size(); ++i)
    if ((s[i] | 0x20) != p[i] && s[i] != p[i]) return false;
  return true;
}

// The date text when `line` is a note header, else empty.
std::string_view header_date(std::string_view line, DateOrder order) {
  std::string_view s = trim(line);
  if (s.size() >= 3 && (s[0] == '=' || s[0] == '-' || s[0] == '*' || s[0] == '#')) {
    const char d = s[0];
    std::size_t i = 0;
    while (i < s.size() && s[i] == d) ++i;
    if (i < 3) return {};
    std::string_view rest = s.substr(i);
    while (!rest.empty() && rest.back() == d) rest.remove_suffix(1);
    rest = trim(rest);
    return read_legacy_date(rest, order) ? rest : std::string_view{};
  }
  static constexpr std::string_view kKeys[] = {"date of service:", "visit date:", "date:", "dos:"};
  for (auto key : kKeys) {
    if (iprefix(s, key)) {
      std::string_view rest = trim(s.substr(key.size()));
      // the date may be followed by other words ("Date: 04/03/2019 10:30")
      const std::size_t sp = rest.find_first_of(" \t");
      if (read_legacy_date(rest, order)) return rest;
      if (sp != std::string_view::npos && read_legacy_date(rest.substr(0, sp), order)) return rest.substr(0, sp);
      return {};
    }
  }
  return {};
}

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
    const std::string_view date = split ? header_date(line.text, options.date_order) : std::string_view{};
    if (!date.empty()) {
      if (open && blank(note.text) && count > 0 && note.date.empty()) {
        // blank preamble: not a note
        open = false;
        --count;
      }
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
