#pragma once
// The generated narrative (Resource.text) of every resource codec writes: status "generated" and an
// XHTML div in FHIR's narrative subset (txt-1: only p, b, ul, li, table… and the lang attributes;
// txt-2: never empty), in the language asked for ("en", "fr", "de"; terminology::labels_for's
// reading, anything else English). Deterministic: the same model and language give the same bytes.
// Every text from the model (a note, an origin, a reference) is escaped (&, <, >, quotes) and a
// control character XML cannot hold becomes a space. Built as one string, no DOM.
//
// The encoders put it on what they generate; on a resource received from elsewhere they keep the
// received `text` as it was unless the model changed (then they write ours in its place).
#include <span>
#include <string>
#include <string_view>

#include "json/json.hpp"
#include "model/session.hpp"

namespace mfr::codec {

struct ProvenanceInfo;

namespace narrative {

// A finding: its site and side on one line, then grade in words and number, pain, tenderness,
// release, status and note in one paragraph.
json::Value finding(const Finding& finding, std::string_view language);
// A session: date, practitioner, regions, a table of its findings by site and side, the plan
// (course position and length) and its note.
json::Value session(const Session& session, std::string_view language);
// A legacy note's DocumentReference: what it is, its origin label and size; never its text.
json::Value document(const LegacySource& source, std::string_view language);
// An import's Provenance: what was written (`targets`) from what (`document`), by whom, when.
json::Value provenance(std::span<const std::string> targets, std::string_view document, const ProvenanceInfo& info,
                       std::string_view language);

// Appends `text` to `out` escaped for XHTML text and attribute values.
void append_escaped(std::string& out, std::string_view text);

}  // namespace narrative
}  // namespace mfr::codec
