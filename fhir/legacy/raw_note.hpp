#pragma once
// What every input format (plain text, CSV, HL7 v2) hands on: one note's text and what the
// export said about it, plus where it was found. Readers stream: they call the sink once per
// note or per bad note and hold at most one note in memory.
#include <cstdint>
#include <functional>
#include <string>

namespace mfr::legacy {

struct RawNote {
  std::string text;            // UTF-8 (converted from Windows-1252 when it was not UTF-8)
  std::string patient;         // the patient's identifier value as exported ("12345"), may be empty
  std::string patient_system;  // its identifier system when the source names one (HL7 PID-3.4)
  std::string date;            // as exported: "04/03/2019", "2019-03-04", HL7 "201903041030"
  std::string practitioner;    // as exported: an id or a name
  std::string id;              // the source's own key: CSV id column, HL7 "<MSH-3>|<MSH-10>"
  std::string origin;          // "notes.csv#row=12", "feed.hl7#msg=3", "2019.txt#note=4"; no patient data
  std::uint64_t byte_offset = 0;  // where the note starts in the file
  std::uint64_t line = 0;         // 1-based line where it starts
  bool converted_from_windows_1252 = false;
};

// A note or row that could not be read; the reader goes on with the next one.
struct ReadError {
  std::string message;  // a sentence: what is wrong (no patient data)
  std::string origin;   // as RawNote::origin
  std::uint64_t byte_offset = 0;
  std::uint64_t line = 0;
};

struct NoteSink {
  // Return false to stop reading (cancel). The note may be moved from.
  std::function<bool(RawNote&)> note;
  std::function<void(const ReadError&)> error;
};

}  // namespace mfr::legacy
