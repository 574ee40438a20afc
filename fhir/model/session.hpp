#pragma once
// The one internal currency: a skin-rolling treatment session and its findings.
// Plain values, no I/O; FHIR JSON exists only in fhir/codec, which keeps what import received
// beside the session (codec/received.hpp), never in it.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "model/date_time.hpp"
#include "model/grades.hpp"
#include "model/site.hpp"

namespace mfr {

// Where in a legacy note a finding was read, so a reviewer can check it.
struct SourceSpan {
  std::size_t offset = 0;  // byte offset in the note text
  std::size_t length = 0;
  friend bool operator==(const SourceSpan&, const SourceSpan&) = default;
};

struct Finding {
  Site site;
  std::optional<RestrictionGrade> restriction;  // absent: not graded
  std::optional<int> pain_nrs;                  // 0..10
  std::optional<Decimal> pain_vas_mm;           // 0..100 mm, as written (never converted)
  std::optional<bool> tender;
  ReleaseResponse released = ReleaseResponse::Unknown;
  FindingStatus status = FindingStatus::Final;
  std::string note;
  std::optional<SourceSpan> source_span;  // set by the legacy importer
  std::string id;                         // FHIR Observation.id when imported, else empty
  // Which received Observation this finding was read from, when imported: 1 + its index in the
  // import's record of its session (codec::Received::observations); 0 when not imported. It
  // travels with the finding, so one the host edits, moves or copies is still matched to it.
  std::size_t received = 0;

  friend bool operator==(const Finding&, const Finding&) = default;
};

// A verbatim legacy note behind an imported session (becomes a DocumentReference).
struct LegacySource {
  std::string text;      // UTF-8, exactly as read (after charset conversion)
  std::string origin;    // where it came from, e.g. "notes/2019.txt#3"; no patient data
  std::string id;        // DocumentReference.id when imported
  friend bool operator==(const LegacySource&, const LegacySource&) = default;
};

struct Session {
  std::string id;             // business key, unique within the clinic's identifier system
  std::string identifier_system;  // overrides the context's system when set (imported data)
  std::string patient;        // "Patient/123" or "Patient?identifier=system|value"
  std::string practitioner;   // "Practitioner/9", optional
  std::string encounter;      // "Encounter/77", optional
  DateTime start;
  std::optional<DateTime> end;
  SessionStatus status = SessionStatus::Completed;
  std::vector<BodyRegion> regions;  // treated
  std::string note;
  std::optional<int> planned_sessions;  // course length
  std::optional<int> session_number;    // 1-based position in the course
  std::vector<Finding> findings;
  std::optional<LegacySource> source;
  std::string resource_id;    // FHIR Procedure.id when imported, else empty
  // Built from Observations (or a note) whose Procedure was not in the input: the Procedure is
  // someone else's, so export writes only the findings and the note (still pointing at it) and
  // never invents it.
  bool procedure_elsewhere = false;

  friend bool operator==(const Session&, const Session&) = default;
};

// Adds the two findings "bilateral" means: same values, left and right.
void add_bilateral(Session& session, Finding finding);

}  // namespace mfr
