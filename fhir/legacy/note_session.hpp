#pragma once
// Turns one RawNote (from any input format) into a Session: the note reader's findings plus
// what the export said (patient, date, practitioner), a deterministic id and the verbatim text.
//
// Session id rule (so a re-run gives the same ids, and the FHIR identifiers stay stable):
//   key = id_namespace + "\n" + ("id:" + RawNote::id   when the source has its own key:
//                                                       the CSV id column, HL7 "<MSH-3>|<MSH-10>")
//                              ("origin:" + RawNote::origin otherwise: file name + position,
//                                                       "2019.txt#note=4", "export.csv#row=12")
//   id  = "legacy-" + the first 32 hex digits of SHA-256(key)
// With the source's own key the id does not depend on the file name; without it, renaming or
// re-splitting a file changes the ids (the origin is all there is to go by).
//
// Precedence: the export's patient/date/practitioner win over lines found in the note text;
// a disagreement between the exported date and the note's date is a warning.
// Thread-safety: session_from_note() is safe to call concurrently with distinct NoteReader objects.
#include <string>
#include <string_view>

#include "legacy/note_reader.hpp"
#include "legacy/raw_note.hpp"

namespace mfr::legacy {

struct ImportOptions {
  NoteOptions note;           // date order, patient/practitioner identifier systems
  std::string id_namespace;   // e.g. the clinic's legacy system name; part of every session id
};

std::string session_id_for(const RawNote& raw, std::string_view id_namespace);

NoteResult session_from_note(const RawNote& raw, const ImportOptions& options, NoteReader& reader);

}  // namespace mfr::legacy
