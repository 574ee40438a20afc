#pragma once
// The batch importer of legacy notes: files (plain text, CSV, HL7 v2) or notes handed over by
// the host -> sessions -> validated FHIR NDJSON, with every note accounted for.
//
// How it runs:
//  - Streaming: the format readers hand over one note at a time; notes are processed in chunks
//    of `chunk_notes`, so memory depends on the chunk, never on the input size.
//  - Both cores: the notes of a chunk are read, mapped and encoded on `threads` threads; the
//    chunk is then written in input order, so the output is the same bytes whatever the threads.
//  - Deterministic identifiers: session ids come from the source's key or position
//    (legacy/note_session.hpp), so a re-run never makes new records.
//  - Resumable: after each chunk the outputs are flushed and a checkpoint (out_dir/checkpoint.json,
//    replaced atomically) records how many notes of which input are done and the output sizes.
//    A run that finds a checkpoint for the same inputs truncates the outputs to those sizes and
//    skips the notes already done; `restart` ignores it.
//  - Every note ends as imported, imported with warnings, or quarantined with the reason; the
//    per-note report (report.jsonl) and the counts always add up. Quarantined notes are kept
//    verbatim in quarantine.jsonl, so nothing is lost.
// Output files in out_dir: Procedure.ndjson, Observation.ndjson, DocumentReference.ndjson,
// Provenance.ndjson (one Provenance per imported session: codec/provenance_codec.hpp),
// report.jsonl, quarantine.jsonl, summary.json, checkpoint.json.
//
// report.jsonl, one line per note in input order:
//   {"origin": "notes.csv#row=3", "session": "legacy-…", "status": "imported-with-warnings",
//    "findings": 2, "warnings": ["…", …],
//    "notUnderstood": 1, "notUnderstoodSpans": [{"offset": 41, "length": 28, "message": "not understood: '…'"}],
//    "reason": "…"}
//   session, warnings, the two notUnderstood members and reason appear only when there is
//   something to say; offset and length are in bytes of the note's text as read (the CSV cell,
//   the joined HL7 OBX text, the text file's note, after conversion to UTF-8).
// summary.json:
//   {"counts": {"notes": N, "imported": …, "importedWithWarnings": …, "quarantined": …,
//               "findings": …, "notUnderstood": spans in all notes,
//               "notesNotUnderstood": notes with at least one such span},
//    "complete": false when stopped before the end, "resumed": true when a checkpoint was used}
//   notes = imported + importedWithWarnings + quarantined. Counts of quarantined notes' spans are
//   not included (those notes are in quarantine.jsonl, verbatim).
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "legacy/csv_reader.hpp"
#include "legacy/hl7_reader.hpp"
#include "legacy/note_session.hpp"
#include "legacy/text_reader.hpp"
#include "model/session.hpp"

namespace mfr::legacy {

enum class NoteFormat { Text, Csv, Hl7v2 };

struct BatchProgress {
  std::uint64_t notes = 0;        // notes accounted for so far (this run and resumed ones)
  std::uint64_t imported = 0;     // imported cleanly
  std::uint64_t warnings = 0;     // imported with warnings
  std::uint64_t quarantined = 0;  // not imported; the reason is in the report
  std::uint64_t findings = 0;     // Observations written
  std::uint64_t not_understood = 0;        // spans the reader did not understand, all notes
  std::uint64_t notes_not_understood = 0;  // imported notes with at least one such span
  std::uint64_t bytes_done = 0;   // of the input files
  std::uint64_t bytes_total = 0;
  std::uint64_t resumed_notes = 0;  // notes skipped because a checkpoint had them done
  double elapsed_seconds = 0;
};

struct BatchOptions {
  NoteFormat format = NoteFormat::Text;
  TextOptions text;
  CsvOptions csv;
  Hl7Options hl7;
  ImportOptions import;           // note reading: date order, identifier systems, id namespace
  std::string identifier_system;  // the clinic's system for business identifiers (required)
  // Patient for notes that name none (e.g. one folder of notes per patient); empty: such
  // notes are quarantined, since a Procedure needs its subject.
  std::string default_patient;
  std::string out_dir;  // where the NDJSON files go; empty: sessions are kept in memory instead
  unsigned threads = 2;
  std::size_t chunk_notes = 512;
  bool restart = false;  // ignore an existing checkpoint
  // Provenance.agent of every imported session: the importer and its version.
  std::string agent = "mfr-fhir notes reader";
  // Called after each chunk; return false to stop (the checkpoint stays, a later run resumes).
  std::function<bool(const BatchProgress&)> progress;
};

// What happened to one note (one line of report.jsonl).
struct NoteOutcome {
  enum class Status { Imported, ImportedWithWarnings, Quarantined };
  Status status = Status::Imported;
  std::string origin;      // "notes.csv#row=12": never patient data
  std::string session_id;  // empty when the note could not be read at all
  std::size_t findings = 0;
  std::vector<std::string> warnings;
  // The spans the reader did not understand (NoteWarningKind::NotUnderstood), each with its
  // offset and length in the note's text; also listed in `warnings`.
  std::vector<NoteWarning> not_understood;
  std::string reason;  // why it was quarantined
};

struct BatchResult {
  BatchProgress counts;
  bool cancelled = false;
  bool resumed = false;
  std::vector<Session> sessions;          // only when out_dir is empty
  std::vector<NoteOutcome> outcomes;      // only when out_dir is empty (else report.jsonl)
};

// A note handed over by the host rather than read from a file.
struct HostNote {
  std::string text;
  std::string origin;
  std::string patient;  // a reference ("Patient/1") or empty
  std::string date;     // as exported; read by ImportOptions' date order
  std::string id;       // the host's own key for the note, if any
};

class BatchImporter {
 public:
  explicit BatchImporter(BatchOptions options);

  void add_file(std::string path);
  void add_note(HostNote note);

  // Runs the batch. Throws std::invalid_argument for bad options, std::runtime_error for
  // an output that cannot be written; a bad note never throws (it is quarantined).
  BatchResult run();

 private:
  BatchOptions options_;
  std::vector<std::string> files_;
  std::vector<HostNote> notes_;
};

std::string_view status_name(NoteOutcome::Status status) noexcept;

// One line of report.jsonl (the format above), without its line end.
std::string report_line(const NoteOutcome& outcome);  // "imported", "imported-with-warnings", "quarantined"

}  // namespace mfr::legacy
