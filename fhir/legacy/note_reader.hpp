#pragma once
// Reads one legacy free-text note (English, French or German) into a Session with its findings.
//
// The reader is a pipeline of small stages (fhir/legacy/note/, the state they share in reader.hpp):
//  1. segment.cpp    visits inside a file: a dated heading of any style opens one (text_reader
//                    splits there; text_reader.hpp). dates.cpp is the one recogniser of the
//                    date shapes, for the headings and for the reader (note/dates.hpp lists them).
//  2. note_lexer.cpp tokens over the original bytes; fold.cpp folds words (case, accents).
//  3. lexicon*.cpp   words and phrases with their meaning, one table per language (en, fr, de):
//                    data, not code. The note's language is found from its words (lexicon.hpp) or
//                    given (NoteOptions::language); words of the other tables are read too, except
//                    those marked local ("re" is rechts only in German, "D" after a site droite only
//                    in French, "D5" is T5 everywhere).
//  4. headings.cpp   header lines and SOAP sections: "S:", "Objective:", "Motif :", "Examen :",
//                    "Bilan :", "Anamnese:", "Befund:", "Conduite à tenir :", "Therapie:"...;
//                    a technique as a heading ("Palper-rouler :", "Kibler-Falte:") opens the
//                    examination. Dates: the visit date, never one after "DOB", "geb.", "né le",
//                    "next appointment", "nächster Termin", "referral" (each language table lists
//                    these words: kOtherDateWords).
//  5. mentions.cpp   levels and ranges (C7, T3-T6, T3–6, "T3 to T6", "from T8 through T11",
//                    "D7 à D12", "Th4 bis Th6", C7-T2, L4/5, L5/S1, Th5, D5); regions (upper
//                    trapezius, trapèze supérieur, oberer Trapezius, rib cage, gril costal, Rippen,
//                    interscapular, entre les omoplates, zwischen den Schulterblättern, scapular,
//                    lumbar, neck/nuque/Nacken, shoulder/épaule/Schulter, sacrum); sides (L R Lt Rt
//                    G D li re, bilat, B/L, des deux côtés, beidseits, bds., L>R, re>li, "worse on
//                    the right"); grades (0: free, RAS, o.B., frei, NAD, WNL; 1: mild, sl, légère,
//                    leicht, +; 2: moderate, mod, modérée, mäßig, mittelgradig, ++; 3: marked, mkd,
//                    dense, importante, stark, +++; "grade 2", "2/3"; "mild-moderate" and "légère à
//                    modérée" read as the higher); "restricted", "tight", "cellulalgie",
//                    "eingeschränkt" with no grade; pain on the 0-10 scale (6/10, NRS 6, douleur 7/10,
//                    Schmerz 5/10, EVA 6/10) and VAS in mm kept as written; tenderness; release;
//                    negation (no, nil, pas de, sans, kein, ohne) of the word that follows; other
//                    therapies, tests and history (acupuncture, TENS, Akupunktur, ROM, Schober,
//                    family history), which silence their clause; other body parts (knee, hanche,
//                    Knie), which take the words around them.
//  6. grid.cpp       tables: a header row of sides (L R, Left Right, Gauche Droite, links rechts,
//                    perhaps a pain column) over rows of levels or regions with grades (0-3, +, ++,
//                    words, o.B., RAS; "-" is negative).
//  7. attach.cpp     which attributes describe which site, in any word order (rules below).
//  8. findings.cpp   findings per site and side, merged; the spans not understood.
//
// How a clause's words attach to sites (the rules a reviewer needs to check a result):
//  - A clause ends at '.', ';', a line break or a section header; a line break inside a sentence
//    of prose (a long line that does not end a sentence, the next going on in lower case) does
//    not end it. Within a clause each site mention opens a group; the words after it describe
//    it until the next site. Words before the first site of a comma-separated segment describe
//    the site that follows ("moderate restriction T4"); a segment with no site continues the
//    previous site ("T4 L, moderate, 6/10"); sites joined only by "and", "et", "und", "&" or
//    commas share what follows ("T4 and T6 marked").
//  - A site before ':' takes the words after it ("T3-T6 R: slight restriction", "D4-D6 à gauche :
//    restriction modérée") unless those words name sites of their own: then it is a heading
//    whose side carries on ("L lumbar: dense L2-L4").
//  - A clause with no site but with a grade/pain/tenderness/side completes the previous clause
//    of the same section ("Skin rolling T3-T6. Marked, L>R."); a side of its own repeats those
//    sites on that side ("T4 R marked. L mild."). A release word in such a clause ("All
//    released.") speaks for every finding of the paragraph that has no response yet, except
//    levels found free (grade 0). A closing ", released" speaks for every site of its clause.
//  - A site gives a finding only when something was found there (a grade, "free", "restriction",
//    pain, tenderness or a release word). A spine segment named with its levels ("LWS L3-L5",
//    "thoracic T4-T6") is only where the levels are.
//  - A side written before the first site of a sentence ("On the left it rolled freely as far as
//    T7; at T6 it became moderately restricted") goes on after ';' for the sites named before the
//    next clause's own side word; a '.' or a line break ends it.
//  - No side written: side is midline, unless that site already has sided findings in the note
//    ("TTP T4" after "T4 L marked" adds to T4 left). Bilateral wording gives left and right with
//    the same values. "L>R": left gets the stated grade, right one grade less (never below 0),
//    both noted.
//  - Only objective and unsectioned text give findings: subjective (S:, Motif, Anamnese),
//    assessment (A:, Conclusion, Beurteilung), plan (P:, Conduite à tenir, Planung) and treatment
//    sections (Traitement, Therapie) never do. A clause in the patient's words ("reports", "se
//    plaint", "klagt", "called") gives no finding, except at vertebral levels in the objective
//    section or during the technique ("reported pain 7/10 over T8 during rolling"); after the
//    examiner's finding at a site ("rib cage markedly restricted, pt reported pain 6/10") the
//    pain stays with that site. "overall" pain is not given to any site.
//  - Nothing is silent: a clause that names a site where findings are read, is not about the
//    treatment, a plan, another therapy, a test or the patient's words, and yields nothing is a
//    NotUnderstood warning with its span ("not understood: 'T9 R funny pull'"); so is a site in a
//    list that got nothing but words no lexicon knows ("T9 R funny pull, T4 L mild"), and a
//    restriction with no site to put it on ("marked" after an unknown level), unless it leads in
//    a list with a colon. Words no lexicon knows also end a list of sites.
//  - The same site and side seen twice: values are merged; a different grade is a warning and
//    the first grade is kept.
//  - The session date is the first date of a "Date:" line or heading, else the first date in
//    the note that is not a date of birth, appointment or referral. Dotted dates and the dates of
//    French and German notes are day first; a slashed date valid only one way is read that way;
//    an ambiguous one is read in NoteOptions::date_order with a warning. The note
//    (Session::note) is the P: text as written, else the sentences with plan words (f/u, review,
//    rebook, continue, plan). planned_sessions only where a count is written ("3 more sessions",
//    "weekly x3", "2 further sessions"), never from "f/u 1/52".
// Known limits (seen in notes written blind, see tests/data/notes and tests/data/notes-corpus):
// sided responses split across a list ("released partially on L, fully on R"), "R side both
// grade 1" after two sites in different sentences, and prose pain at a region without a
// reporting verb; a restriction with no grade is exported without a value (data-absent-reason),
// so scorers that count only graded findings do not see it.
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
