#pragma once
// Reads one legacy free-text note into a Session with its findings.
//
// What is read (DOMAIN.md §5): SOAP sections or prose; levels and ranges (C7, T3-T6, T3–6,
// T3 to T6, C7-T2, L4/5, chiropractic D11 = T11); regions (upper traps, shoulder shawl,
// rib cage, interscapular, scapular, lumbar, neck, shoulder, chest wall, thoracic/cervical spine);
// sides (L R Lt Rt left right bilat B/L bilateral L>R R>L); grades (no/nil restriction, WNL = 0,
// mild/slight/minimal = 1, moderate = 2, marked/severe/dense/thick = 3, + ++ +++, grade 2, 2/3);
// pain (NRS 6/10, 6/10, pain 6, VAS 60mm kept as written); TTP; release words; plan counts.
//
// How text becomes findings (the rules a reviewer needs to check a result):
//  - A clause ends at '.', ';', a line break or a section header. Within a clause each site
//    mention opens a group; the words after it describe it until the next site. Words before
//    the first site of a comma-separated segment describe the site that follows ("moderate
//    restriction T4"); a segment with no site continues the previous site ("T4 L, moderate, 6/10").
//    Sites joined only by "and", "&" or commas share what follows ("T4 and T6 marked").
//  - A site followed by ':' with nothing found at it is a heading ("L lumbar: dense L2-L4",
//    "MFR to lumbar spine: L3-L5 R marked"): its side carries on, it is no finding itself.
//  - A clause with no site but with a grade/pain/tenderness/side completes the previous clause
//    of the same section ("Skin rolling T3-T6. Marked, L>R."); a side of its own repeats those
//    sites on that side ("T4 R marked. L mild."). A release word in such a clause ("All
//    released.") speaks for every finding of the paragraph that has no response yet, except
//    levels found free (grade 0). A closing ", released" speaks for every site of its clause.
//  - A site gives a finding only when something was found there (a grade, "restriction",
//    pain, tenderness or a release word); a bare mention only adds to the regions treated.
//  - No side written: side is midline, unless that site already has sided findings in the note
//    ("TTP T4" after "T4 L marked" adds to T4 left). "bilat" gives left and right with the same
//    values. "L>R": left gets the stated grade, right one grade less (never below 0), both noted.
//  - Only O: and unsectioned text give findings: S: (subjective), A: (assessment, which restates)
//    and P: (plan) never do. Clauses naming another therapy (acupuncture, ultrasound, dry
//    needling, TENS, exercises…) never do. Other body areas (knee, ankle, wrist…) take the words
//    around them so they do not land on a spinal site. A clause in the patient's words ("reports",
//    "c/o", "complains") gives findings at vertebral levels only, not at regions; "overall" pain
//    is not given to any site.
//  - The same site and side seen twice: values are merged; a different grade is a warning and
//    the first grade is kept.
//  - The session date is the first date of a "Date:" line or header, else the first date
//    in the note. The note (Session::note) is the P: text as written, else the sentences with
//    plan words (f/u, review, rebook, continue, plan). planned_sessions only where a count is
//    written ("3 more sessions", "weekly x3", "2 further sessions"), never from "f/u 1/52".
// Known limits (seen in notes written blind, see tests/data/notes): sided responses split across
// a list ("released partially on L, fully on R"), "R side both grade 1" after two sites in
// different sentences, and prose pain at a region without a reporting verb.
// Thread-safety: read_note() and distinct NoteReader objects may run concurrently; one
// NoteReader is not for concurrent use (it reuses its buffers between calls).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "legacy/legacy_date.hpp"
#include "legacy/note/lexicon.hpp"
#include "legacy/note_lexer.hpp"
#include "model/session.hpp"

namespace mfr::legacy {

struct NoteOptions {
  DateOrder date_order = DateOrder::DayFirst;
  // Identifier system for a patient number read from the note ("MRN: 12345"): the session's
  // patient becomes "Patient?identifier=<system>|12345" ("Patient?identifier=12345" when empty).
  std::string patient_system;
  // When set, a practitioner line ("Therapist: JS") becomes
  // "Practitioner?identifier=<system>|JS"; otherwise the name is only returned in the result.
  std::string practitioner_system;
  // The note's language; unset: found per note from its words (note/lexicon.hpp).
  std::optional<note::Lang> language;
};

// A problem found while reading, as data: what and where (byte offset and length in the note
// text). NotUnderstood marks a clause that names a site and yielded no finding, and is neither
// negated, subjective, a plan nor another therapy: a migration team reviews exactly these spans.
enum class NoteWarningKind : unsigned char { Other, NotUnderstood };

struct NoteWarning {
  std::string message;
  std::size_t offset = 0;
  std::size_t length = 0;
  NoteWarningKind kind = NoteWarningKind::Other;
  friend bool operator==(const NoteWarning&, const NoteWarning&) = default;
};

struct NoteResult {
  // findings, regions, start (when the note has a date), planned_sessions, note (plan text),
  // patient/practitioner when the note names an identifier, source = verbatim text.
  Session session;
  std::vector<NoteWarning> warnings;
  // False when no finding was recognised: the session still carries the verbatim text.
  bool findings_recognised = false;
  // As written in the note; for the host to map. Patient data: never log these.
  std::string patient_name;
  std::string patient_identifier;
  std::string practitioner_name;
  note::Lang language = note::Lang::En;  // the language the note was read in
};

class NoteReader {
 public:
  NoteResult read(std::string_view text, const NoteOptions& options);

 private:
  std::vector<Token> tokens_;  // reused between notes: no allocation per note once warm
};

// One-shot convenience: same as NoteReader{}.read(text, options).
NoteResult read_note(std::string_view text, const NoteOptions& options);

}  // namespace mfr::legacy
