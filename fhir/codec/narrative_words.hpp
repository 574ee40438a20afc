#pragma once
// The words of the narratives codec writes (codec/narrative.hpp) that no chart shows, per
// language; the words both show are terminology's Labels (terminology/labels.hpp).
#include <string_view>

namespace mfr::codec {

struct NarrativeWords {
  std::string_view finding_title;    // "Skin rolling finding"
  std::string_view session_title;    // "Skin rolling session"
  std::string_view site;             // table header: "Site"
  std::string_view not_tender;       // "not tender"
  std::string_view not_released;     // "not released"
  std::string_view note;             // "Note"
  std::string_view status;           // "Status"
  std::string_view practitioner;     // "Practitioner"
  std::string_view regions;          // "Regions treated"
  std::string_view findings;         // "Findings"
  std::string_view plan;             // "Plan"
  std::string_view of;               // "Session 3 of 6"
  std::string_view planned;          // "6 sessions planned" (after the number)
  std::string_view unknown_date;     // the session's date is not known
  std::string_view document_title;   // "Legacy treatment note"
  std::string_view origin;           // "Origin"
  std::string_view size;             // "Size"
  std::string_view bytes;            // "bytes"
  std::string_view text_not_shown;   // the note's text is in the attachment, not in the narrative
  std::string_view provenance_title; // "Import of a legacy note"
  std::string_view imported_by;      // "Imported by"
  std::string_view from;             // "from"
  std::string_view hl7v2_message;    // what it was read from: an HL7 v2 message
  std::string_view text_note;        // ... or a plain-text or CSV note
  std::string_view recorded;         // "Recorded"
  std::string_view resources;        // "Resources written"
};

// The words for `language` ("en", "fr", "de", as terminology::labels_for reads it); any other
// value gives English.
const NarrativeWords& narrative_words(std::string_view language) noexcept;

}  // namespace mfr::codec
