#include "legacy/batch.hpp"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "codec/export.hpp"
#include "json/json.hpp"

namespace mfr::legacy {
namespace fs = std::filesystem;

std::string_view status_name(NoteOutcome::Status status) noexcept {
  switch (status) {
    case NoteOutcome::Status::Imported: return "imported";
    case NoteOutcome::Status::ImportedWithWarnings: return "imported-with-warnings";
    case NoteOutcome::Status::Quarantined: break;
  }
  return "quarantined";
}

namespace {

constexpr const char* kOutputs[] = {"Procedure.ndjson", "Observation.ndjson", "DocumentReference.ndjson",
                                    "Provenance.ndjson", "report.jsonl",       "quarantine.jsonl"};
enum Output { kProcedures, kObservations, kDocuments, kProvenances, kReport, kQuarantine, kOutputCount };

// One note on its way through a chunk.
struct Work {
  RawNote raw;
  std::optional<ReadError> read_error;
  std::string patient_override;  // a host-fed note's patient reference
  NoteOutcome outcome;
  codec::NdjsonOutput ndjson;
  std::optional<Session> session;  // in-memory mode
};

json::Value outcome_json(const NoteOutcome& o) {
  json::Value v = json::Value::object();
  v["origin"] = o.origin;
  if (!o.session_id.empty()) v["session"] = o.session_id;
  v["status"] = status_name(o.status);
  v["findings"] = json::Value(static_cast<unsigned long>(o.findings));
  if (!o.warnings.empty()) {
    json::Value& w = v["warnings"] = json::Value::array();
    for (const auto& s : o.warnings) w.push_back(s);
  }
  if (!o.not_understood.empty()) {
    v["notUnderstood"] = json::Value(static_cast<unsigned long>(o.not_understood.size()));
    json::Value& spans = v["notUnderstoodSpans"] = json::Value::array();
    for (const NoteWarning& w : o.not_understood) {
      json::Value span = json::Value::object();
      span["offset"] = json::Value(static_cast<unsigned long>(w.offset));
      span["length"] = json::Value(static_cast<unsigned long>(w.length));
      span["message"] = w.message;
      spans.push_back(std::move(span));
    }
  }
  if (!o.reason.empty()) v["reason"] = o.reason;
  return v;
}

json::Value counts_json(const BatchProgress& c) {
  json::Value v = json::Value::object();
  v["notes"] = json::Value(static_cast<unsigned long>(c.notes));
  v["imported"] = json::Value(static_cast<unsigned long>(c.imported));
  v["importedWithWarnings"] = json::Value(static_cast<unsigned long>(c.warnings));
  v["quarantined"] = json::Value(static_cast<unsigned long>(c.quarantined));
  v["findings"] = json::Value(static_cast<unsigned long>(c.findings));
  v["notUnderstood"] = json::Value(static_cast<unsigned long>(c.not_understood));
  v["notesNotUnderstood"] = json::Value(static_cast<unsigned long>(c.notes_not_understood));
  return v;
}

std::uint64_t count_at(const json::Value& v, std::string_view key) {
  const json::Value* m = v.find(key);
  const auto n = m ? m->as_integer() : std::nullopt;
  return n && *n > 0 ? static_cast<std::uint64_t>(*n) : 0;
}

// The sentence a quarantined note's reason gives for the first error of validate_session, or
// empty when there is none: the same words export's refusal uses.
std::string first_error(const std::vector<codec::Issue>& issues) {
  for (const codec::Issue& i : issues) {
    if (i.severity != codec::Severity::Error && i.severity != codec::Severity::Fatal) continue;
    if (i.resource.empty()) return i.diagnostics;  // the session cannot be written at all
    return "Refusing to emit an invalid " + i.resource + ": " + i.expression + ": " + i.diagnostics;
  }
  return {};
}

class Run {
 public:
  Run(const BatchOptions& options, const std::vector<std::string>& files, const std::vector<HostNote>& notes)
      : options_(options), files_(files), host_notes_(notes), started_(std::chrono::steady_clock::now()) {}

  BatchResult run() {
    if (options_.identifier_system.empty())
      throw std::invalid_argument("The batch needs the clinic's identifier system.");
    if (options_.chunk_notes == 0) options_.chunk_notes = 1;
    threads_ = std::max(1u, std::min(options_.threads, 64u));
    provenance_.from_hl7v2 = options_.format == NoteFormat::Hl7v2;
    provenance_.recorded = codec::utc_instant_now();
    provenance_.agent = options_.agent;
    for (const std::string& f : files_) {
      std::error_code ec;
      const auto size = fs::file_size(f, ec);
      if (ec) throw std::invalid_argument("Cannot read the input \"" + f + "\": " + ec.message() + ".");
      sizes_.push_back(size);
      result_.counts.bytes_total += size;
    }
    done_.assign(files_.size() + 1, 0);  // the last slot: notes handed over by the host
    if (!options_.out_dir.empty()) open_outputs();

    for (std::size_t i = 0; i < files_.size() && !result_.cancelled; ++i) read_file(i);
    if (!result_.cancelled && !host_notes_.empty()) read_host_notes();
    flush_chunk();
    if (!options_.out_dir.empty()) write_summary();
    return std::move(result_);
  }

 private:
  BatchOptions options_;
  codec::ProvenanceInfo provenance_;  // one import: one time and one agent for every session
  const std::vector<std::string>& files_;
  const std::vector<HostNote>& host_notes_;
  std::chrono::steady_clock::time_point started_;
  unsigned threads_ = 2;
  std::vector<std::uintmax_t> sizes_;
  std::vector<std::uint64_t> done_;      // notes done per input (checkpointed)
  std::vector<std::uint64_t> skip_;      // notes to skip per input (resuming)
  std::vector<Work> chunk_;
  std::size_t chunk_input_ = 0;          // the input the chunk's notes came from
  std::uint64_t file_bytes_before_ = 0;  // sizes of the inputs finished before the current one
  std::ofstream out_[kOutputCount];
  BatchResult result_;

  fs::path path(std::string_view name) const { return fs::path(options_.out_dir) / std::string(name); }

  std::string fingerprint() const {
    json::Value v = json::Value::object();
    json::Value& inputs = v["inputs"] = json::Value::array();
    for (std::size_t i = 0; i < files_.size(); ++i) {
      json::Value f = json::Value::object();
      f["path"] = fs::absolute(files_[i]).string();
      f["size"] = json::Value(static_cast<unsigned long>(sizes_[i]));
      inputs.push_back(std::move(f));
    }
    v["hostNotes"] = json::Value(static_cast<unsigned long>(host_notes_.size()));
    v["format"] = json::Value(static_cast<int>(options_.format));
    v["system"] = options_.identifier_system;
    v["namespace"] = options_.import.id_namespace;
    v["dateOrder"] = json::Value(static_cast<int>(options_.import.note.date_order));
    return v.dump();
  }

  void open_outputs() {
    fs::create_directories(options_.out_dir);
    skip_.assign(done_.size(), 0);
    const fs::path checkpoint = path("checkpoint.json");
    std::uint64_t sizes[kOutputCount] = {};
    bool resume = false;
    if (!options_.restart && fs::exists(checkpoint)) {
      try {
        std::ifstream in(checkpoint);
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const json::Value cp = json::Value::parse(text);
        if (cp.string_at("fingerprint") == fingerprint()) {
          const json::Value& done = *cp.find("done");
          for (std::size_t i = 0; i < done_.size() && i < done.size(); ++i)
            skip_[i] = done_[i] = static_cast<std::uint64_t>(done.as_array()[i].as_integer().value_or(0));
          for (int o = 0; o < kOutputCount; ++o) sizes[o] = count_at(*cp.find("outputs"), kOutputs[o]);
          const json::Value& counts = *cp.find("counts");
          result_.counts.notes = result_.counts.resumed_notes = count_at(counts, "notes");
          result_.counts.imported = count_at(counts, "imported");
          result_.counts.warnings = count_at(counts, "importedWithWarnings");
          result_.counts.quarantined = count_at(counts, "quarantined");
          result_.counts.findings = count_at(counts, "findings");
          result_.counts.not_understood = count_at(counts, "notUnderstood");
          result_.counts.notes_not_understood = count_at(counts, "notesNotUnderstood");
          resume = true;
        }
      } catch (const std::exception&) {
        resume = false;  // an unreadable checkpoint: start over rather than guess
      }
    }
    result_.resumed = resume;
    for (int o = 0; o < kOutputCount; ++o) {
      const fs::path p = path(kOutputs[o]);
      if (resume) {
        // Whatever was written after the last checkpoint is dropped and written again.
        if (!fs::exists(p)) std::ofstream(p).close();
        fs::resize_file(p, sizes[o]);
        out_[o].open(p, std::ios::binary | std::ios::app);
      } else {
        out_[o].open(p, std::ios::binary | std::ios::trunc);
      }
      if (!out_[o]) throw std::runtime_error("Cannot write \"" + p.string() + "\".");
    }
  }

  void write_checkpoint() {
    json::Value cp = json::Value::object();
    cp["fingerprint"] = fingerprint();
    json::Value& done = cp["done"] = json::Value::array();
    for (auto d : done_) done.push_back(json::Value(static_cast<unsigned long>(d)));
    json::Value& outputs = cp["outputs"] = json::Value::object();
    for (int o = 0; o < kOutputCount; ++o) {
      out_[o].flush();
      if (!out_[o]) throw std::runtime_error("Cannot write \"" + path(kOutputs[o]).string() + "\" (disk full?).");
      outputs[kOutputs[o]] = json::Value(static_cast<unsigned long>(fs::file_size(path(kOutputs[o]))));
    }
    cp["counts"] = counts_json(result_.counts);
    const fs::path tmp = path("checkpoint.json.tmp");
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out << cp.dump(true) << "\n";
      if (!out.flush()) throw std::runtime_error("Cannot write the checkpoint \"" + tmp.string() + "\".");
    }
    fs::rename(tmp, path("checkpoint.json"));  // atomic: a crash leaves the old or the new one
  }

  void write_summary() {
    json::Value s = json::Value::object();
    s["counts"] = counts_json(result_.counts);
    s["complete"] = !result_.cancelled;
    s["resumed"] = result_.resumed;
    std::ofstream out(path("summary.json"), std::ios::binary | std::ios::trunc);
    out << s.dump(true) << "\n";
  }

  // A note position of input `input` (a note or an unreadable one). False stops the reader.
  bool accept(std::size_t input, Work&& work) {
    if (result_.cancelled) return false;
    if (!skip_.empty() && skip_[input] > 0) {
      --skip_[input];
      return true;
    }
    if (!chunk_.empty() && chunk_input_ != input) flush_chunk();
    chunk_input_ = input;
    chunk_.push_back(std::move(work));
    if (chunk_.size() >= options_.chunk_notes) flush_chunk();
    return !result_.cancelled;
  }

  void read_file(std::size_t i) {
    std::ifstream in(files_[i], std::ios::binary);
    if (!in) throw std::runtime_error("Cannot read \"" + files_[i] + "\".");
    const std::string name = fs::path(files_[i]).filename().string();
    NoteSink sink;
    sink.note = [&](RawNote& raw) {
      current_offset_ = raw.byte_offset;
      Work w;
      w.raw = std::move(raw);
      return accept(i, std::move(w));
    };
    sink.error = [&](const ReadError& e) {
      current_offset_ = e.byte_offset;
      Work w;
      w.read_error = e;
      accept(i, std::move(w));
    };
    current_offset_ = 0;
    switch (options_.format) {
      case NoteFormat::Text: read_text_notes(in, name, options_.text, sink); break;
      case NoteFormat::Csv: read_csv_notes(in, name, options_.csv, sink); break;
      case NoteFormat::Hl7v2: read_hl7_notes(in, name, options_.hl7, sink); break;
    }
    if (!result_.cancelled) current_offset_ = sizes_[i];
    flush_chunk();
    if (!result_.cancelled) file_bytes_before_ += sizes_[i];
    current_offset_ = 0;
  }

  void read_host_notes() {
    const std::size_t input = files_.size();
    for (const HostNote& n : host_notes_) {
      Work w;
      w.raw.text = n.text;
      w.raw.origin = n.origin;
      w.raw.date = n.date;
      w.raw.id = n.id;
      w.patient_override = n.patient;
      if (!accept(input, std::move(w))) break;
    }
  }

  std::uint64_t current_offset_ = 0;

  void process(Work& w, NoteReader& reader) const {
    NoteOutcome& o = w.outcome;
    if (w.read_error) {
      o.status = NoteOutcome::Status::Quarantined;
      o.origin = w.read_error->origin;
      o.reason = w.read_error->message;
      return;
    }
    o.origin = w.raw.origin;
    try {
      NoteResult r = session_from_note(w.raw, options_.import, reader);
      Session& s = r.session;
      o.session_id = s.id;
      for (NoteWarning& warning : r.warnings) {
        o.warnings.push_back(warning.message + (warning.offset ? " (at byte " + std::to_string(warning.offset) + ")" : ""));
        if (warning.kind == NoteWarningKind::NotUnderstood) o.not_understood.push_back(std::move(warning));
      }
      if (!r.findings_recognised)
        o.warnings.push_back("no finding was recognised; the note is kept verbatim as a DocumentReference");
      if (!w.patient_override.empty()) s.patient = w.patient_override;
      if (s.patient.empty()) s.patient = options_.default_patient;
      if (s.patient.empty()) {
        o.status = NoteOutcome::Status::Quarantined;
        o.reason = "the note names no patient and no default patient was given";
        return;
      }
      // A note with no date still imports: its start is marked unknown in the FHIR (data-absent-reason),
      // and note_session's warning says so.
      const codec::ExportOptions export_options{options_.identifier_system};
      if (options_.out_dir.empty()) {
        // Kept in memory: validated as it would be written, nothing written.
        const auto issues = codec::validate_session(s, nullptr, export_options);
        if (const std::string why = first_error(issues); !why.empty()) {
          o.status = NoteOutcome::Status::Quarantined;
          o.reason = why;
          return;
        }
        o.findings = s.findings.size();
        w.session = std::move(s);
      } else {
        codec::append_ndjson(s, export_options, w.ndjson, &provenance_);
        o.findings = s.findings.size();
      }
      o.status = o.warnings.empty() ? NoteOutcome::Status::Imported : NoteOutcome::Status::ImportedWithWarnings;
    } catch (const std::exception& e) {
      w.ndjson = {};
      w.session.reset();
      o.status = NoteOutcome::Status::Quarantined;
      o.reason = e.what();
    }
  }

  void flush_chunk() {
    if (chunk_.empty()) return;
    // Map and encode on the worker threads; write in input order here.
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
      NoteReader reader;
      for (std::size_t i = next++; i < chunk_.size(); i = next++) process(chunk_[i], reader);
    };
    const unsigned n = static_cast<unsigned>(std::min<std::size_t>(threads_, chunk_.size()));
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < n; ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();

    BatchProgress& c = result_.counts;
    for (Work& w : chunk_) {
      ++c.notes;
      switch (w.outcome.status) {
        case NoteOutcome::Status::Imported: ++c.imported; break;
        case NoteOutcome::Status::ImportedWithWarnings: ++c.warnings; break;
        case NoteOutcome::Status::Quarantined: ++c.quarantined; break;
      }
      if (w.outcome.status != NoteOutcome::Status::Quarantined) {
        c.findings += w.outcome.findings;
        c.not_understood += w.outcome.not_understood.size();
        c.notes_not_understood += !w.outcome.not_understood.empty();
      }
      if (options_.out_dir.empty()) {
        if (w.session) result_.sessions.push_back(std::move(*w.session));
        result_.outcomes.push_back(std::move(w.outcome));
        continue;
      }
      out_[kProcedures] << w.ndjson.procedures;
      out_[kObservations] << w.ndjson.observations;
      out_[kDocuments] << w.ndjson.documents;
      out_[kProvenances] << w.ndjson.provenances;
      outcome_json(w.outcome).dump_to(report_line_);
      out_[kReport] << report_line_ << '\n';
      report_line_.clear();
      if (w.outcome.status == NoteOutcome::Status::Quarantined) {
        json::Value q = outcome_json(w.outcome);
        q["text"] = w.raw.text;  // kept verbatim: a quarantined note is never lost
        out_[kQuarantine] << q.dump() << '\n';
      }
    }
    done_[chunk_input_] += chunk_.size();
    chunk_.clear();
    c.bytes_done = file_bytes_before_ + current_offset_;
    c.elapsed_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    if (!options_.out_dir.empty()) write_checkpoint();
    if (options_.progress && !options_.progress(c)) result_.cancelled = true;
  }

  std::string report_line_;
};

}  // namespace

BatchImporter::BatchImporter(BatchOptions options) : options_(std::move(options)) {}

void BatchImporter::add_file(std::string path) { files_.push_back(std::move(path)); }

void BatchImporter::add_note(HostNote note) { notes_.push_back(std::move(note)); }

std::string report_line(const NoteOutcome& outcome) { return outcome_json(outcome).dump(); }

BatchResult BatchImporter::run() { return Run(options_, files_, notes_).run(); }

}  // namespace mfr::legacy
