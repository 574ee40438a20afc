#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

#include "codec/export.hpp"
#include "codec/import.hpp"
#include "json/json.hpp"
#include "legacy/batch.hpp"
#include "validate/validate.hpp"

using namespace mfr;
namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::size_t lines(const fs::path& p) {
  const std::string t = read_text(p);
  return static_cast<std::size_t>(std::count(t.begin(), t.end(), '\n'));
}

struct TempDir {
  fs::path path;
  TempDir() {
    char tmpl[] = "/tmp/mfr-batch-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path); }
};

std::vector<std::string> corpus_notes() {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(std::string(MFR_TEST_DATA) + "/notes"))
    if (e.path().extension() == ".txt") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

legacy::BatchOptions text_options(const fs::path& out) {
  legacy::BatchOptions o;
  o.format = legacy::NoteFormat::Text;
  o.identifier_system = "https://clinic.example/fhir/sessions";
  o.default_patient = "Patient/p-legacy";
  o.import.id_namespace = "old-emr";
  o.out_dir = out.string();
  o.chunk_notes = 16;
  return o;
}

legacy::BatchResult run(const legacy::BatchOptions& o, const std::vector<std::string>& files) {
  legacy::BatchImporter b(o);
  for (const auto& f : files) b.add_file(f);
  return b.run();
}

const char* kOutputs[] = {"Procedure.ndjson", "Observation.ndjson", "DocumentReference.ndjson", "report.jsonl",
                          "quarantine.jsonl"};

void require_same_outputs(const fs::path& a, const fs::path& b) {
  for (const char* f : kOutputs) {
    INFO(f);
    CHECK(read_text(a / f) == read_text(b / f));
  }
}

}  // namespace

TEST_CASE("kept in memory, every session of the notes corpus validates in every form without being written", "[batch][validate]") {
  legacy::BatchOptions o = text_options({});
  o.out_dir.clear();
  const legacy::BatchResult r = run(o, corpus_notes());
  CHECK(r.counts.quarantined == 0);
  REQUIRE(r.sessions.size() == r.counts.notes);
  const codec::ExportOptions options{o.identifier_system};
  for (const Session& s : r.sessions) {
    INFO(s.id);
    for (auto form : {codec::ExportForm::Ndjson, codec::ExportForm::Collection, codec::ExportForm::Transaction}) {
      const auto issues = codec::validate_session(s, nullptr, options, form);
      for (const codec::Issue& i : issues)
        if (i.severity == codec::Severity::Error) FAIL_CHECK(i.resource << " " << i.expression << ": " << i.diagnostics);
    }
  }
}

TEST_CASE("a note whose session would not be valid FHIR is quarantined with the resource and element named", "[batch][validate]") {
  legacy::BatchOptions o = text_options({});
  for (bool in_memory : {true, false}) {
    INFO((in_memory ? "in memory" : "to files"));
    TempDir out;
    o.out_dir = in_memory ? std::string() : out.path.string();
    legacy::BatchImporter b(o);
    b.add_note({"04/03/2019 O: T4 L ++, TTP. Released.", "host#1", "Patient/p 1", "", "n-1"});  // no FHIR id has a space
    b.add_note({"05/03/2019 O: T5 R +.", "host#2", "Patient/p-2", "", "n-2"});
    const legacy::BatchResult r = b.run();
    CHECK(r.counts.quarantined == 1);
    CHECK(r.counts.notes == 2);
    if (!in_memory) {  // exported, and refused by export itself: the report says the same
      CHECK_THAT(read_text(out.path / "report.jsonl"), Catch::Contains("Refusing to emit an invalid "));
      CHECK(lines(out.path / "Procedure.ndjson") == 1);
      continue;
    }
    REQUIRE(r.sessions.size() == 1);
    CHECK(r.sessions[0].patient == "Patient/p-2");
    REQUIRE(r.outcomes.size() == 2);
    const legacy::NoteOutcome& bad = r.outcomes[0];
    CHECK(bad.status == legacy::NoteOutcome::Status::Quarantined);
    CHECK_THAT(bad.reason, Catch::StartsWith("Refusing to emit an invalid "));
    CHECK_THAT(bad.reason, Catch::Contains("?identifier=https://clinic.example/fhir/sessions|"));
    CHECK_THAT(bad.reason, Catch::Contains(".subject.reference: "));
    CHECK(bad.findings == 0);
  }
}

TEST_CASE("a folder of clinicians' notes becomes valid NDJSON with every note accounted for", "[batch]") {
  TempDir out;
  const auto files = corpus_notes();
  REQUIRE(files.size() >= 60);
  const legacy::BatchResult r = run(text_options(out.path), files);
  const legacy::BatchProgress& c = r.counts;
  CHECK(c.notes == files.size());
  CHECK(c.notes == c.imported + c.warnings + c.quarantined);
  CHECK(lines(out.path / "report.jsonl") == c.notes);
  // The corpus has undated snippets: they are imported, their start marked unknown in the FHIR
  // (performedPeriod._start and _effectiveDateTime with data-absent-reason), each with a warning.
  CHECK(c.quarantined == 0);
  CHECK(lines(out.path / "quarantine.jsonl") == 0);
  const std::string report = read_text(out.path / "report.jsonl");
  std::size_t no_date = 0;
  for (std::size_t at = 0; (at = report.find("no date was found for the note: the session is imported", at)) != std::string::npos; ++at)
    ++no_date;
  CHECK(no_date > 0);
  const std::string unknown_start = "\"_start\":{\"extension\":[{\"url\":\"http://hl7.org/fhir/StructureDefinition/data-absent-reason\",\"valueCode\":\"unknown\"}]}";
  std::size_t unknown = 0;
  const std::string procs = read_text(out.path / "Procedure.ndjson");
  for (std::size_t at = 0; (at = procs.find(unknown_start, at)) != std::string::npos; ++at) ++unknown;
  CHECK(unknown == no_date);
  CHECK(lines(out.path / "Procedure.ndjson") == c.imported + c.warnings);
  CHECK(lines(out.path / "DocumentReference.ndjson") == c.imported + c.warnings);
  CHECK(lines(out.path / "Observation.ndjson") == c.findings);
  CHECK(c.findings > 0);
  CHECK(c.bytes_done == c.bytes_total);

  // What was written reads back as valid FHIR, each note's verbatim text with it.
  const std::string procedures = read_text(out.path / "Procedure.ndjson");
  const std::string observations = read_text(out.path / "Observation.ndjson");
  const std::string documents = read_text(out.path / "DocumentReference.ndjson");
  const codec::ImportResult back =
      codec::import_many({{"p", procedures, true}, {"o", observations, true}, {"d", documents, true}});
  CHECK(back.rejected == 0);
  REQUIRE(back.sessions.size() == c.imported + c.warnings);
  for (const Session& s : back.sessions) {
    REQUIRE(s.source);
    CHECK_FALSE(s.source->text.empty());
  }
}

TEST_CASE("a re-run gives the same identifiers and bytes, whatever the number of threads", "[batch]") {
  TempDir a, b;
  const auto files = corpus_notes();
  auto one = text_options(a.path);
  one.threads = 1;
  auto two = text_options(b.path);
  two.threads = 2;
  run(one, files);
  run(two, files);
  require_same_outputs(a.path, b.path);
  two.restart = true;
  run(two, files);
  require_same_outputs(a.path, b.path);
}

TEST_CASE("a batch stopped by the host resumes where it stopped and ends as an uninterrupted one", "[batch][resume]") {
  TempDir whole, parts;
  const auto files = corpus_notes();
  run(text_options(whole.path), files);

  auto o = text_options(parts.path);
  int chunks = 0;
  o.progress = [&](const legacy::BatchProgress&) { return ++chunks < 2; };
  const legacy::BatchResult first = run(o, files);
  CHECK(first.cancelled);
  CHECK(first.counts.notes < files.size());
  o.progress = nullptr;
  const legacy::BatchResult second = run(o, files);
  CHECK_FALSE(second.cancelled);
  CHECK(second.resumed);
  CHECK(second.counts.resumed_notes == first.counts.notes);
  CHECK(second.counts.notes == files.size());
  require_same_outputs(whole.path, parts.path);
}

TEST_CASE("a batch killed mid-run and run again loses nothing and duplicates nothing", "[batch][resume]") {
  TempDir whole, killed;
  const auto files = corpus_notes();
  run(text_options(whole.path), files);

  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    auto o = text_options(killed.path);
    int chunks = 0;
    o.progress = [&](const legacy::BatchProgress&) {
      if (++chunks == 3) {
        // A half-written chunk after the checkpoint, as a crash in the middle of writing leaves it.
        std::ofstream(killed.path / "Observation.ndjson", std::ios::app) << "{\"resourceType\":\"Observ";
        raise(SIGKILL);
      }
      return true;
    };
    run(o, files);
    _exit(0);
  }
  int status = 0;
  waitpid(child, &status, 0);
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGKILL);
  const legacy::BatchResult again = run(text_options(killed.path), files);
  CHECK(again.resumed);
  CHECK(again.counts.notes == files.size());
  require_same_outputs(whole.path, killed.path);
}

TEST_CASE("bad rows and notes without a patient are quarantined with the reason and kept verbatim", "[batch][quarantine]") {
  TempDir out;
  legacy::BatchOptions o = text_options(out.path);
  o.format = legacy::NoteFormat::Csv;
  o.default_patient.clear();
  const legacy::BatchResult r = run(o, {std::string(MFR_TEST_DATA) + "/legacy/bad.csv"});
  CHECK(r.counts.notes == r.counts.imported + r.counts.warnings + r.counts.quarantined);
  CHECK(r.counts.quarantined > 0);
  CHECK(lines(out.path / "quarantine.jsonl") == r.counts.quarantined);
  const std::string report = read_text(out.path / "report.jsonl");
  CHECK(report.find("\"status\":\"quarantined\"") != std::string::npos);
  CHECK(report.find("\"reason\":") != std::string::npos);
}

TEST_CASE("HL7 v2 and CSV exports import through the same batch", "[batch]") {
  for (const auto& [format, file] : {std::pair{legacy::NoteFormat::Hl7v2, "legacy/feed.hl7"},
                                     std::pair{legacy::NoteFormat::Csv, "legacy/export.csv"}}) {
    TempDir out;
    legacy::BatchOptions o = text_options(out.path);
    o.format = format;
    const legacy::BatchResult r = run(o, {std::string(MFR_TEST_DATA) + "/" + file});
    INFO(file);
    CHECK(r.counts.notes > 0);
    CHECK(r.counts.notes == r.counts.imported + r.counts.warnings + r.counts.quarantined);
    CHECK(lines(out.path / "Procedure.ndjson") == r.counts.imported + r.counts.warnings);
  }
}

TEST_CASE("notes handed over by the host come back as sessions when no output folder is given", "[batch]") {
  legacy::BatchOptions o;
  o.identifier_system = "https://clinic.example/fhir/sessions";
  legacy::BatchImporter b(o);
  b.add_note({"O: Skin rolling T4-T6 bilat, moderate restriction, NRS 6/10, released.", "emr-8812", "Patient/p-1",
              "2019-03-04", "8812"});
  b.add_note({"S: feels better. P: review 1/52.", "emr-8813", "", "2019-03-11", "8813"});
  const legacy::BatchResult r = b.run();
  CHECK(r.counts.notes == 2);
  REQUIRE(r.sessions.size() == 1);
  CHECK(r.sessions[0].patient == "Patient/p-1");
  CHECK(r.sessions[0].findings.size() == 6);  // T4, T5, T6, left and right
  REQUIRE(r.outcomes.size() == 2);
  CHECK(r.outcomes[1].status == legacy::NoteOutcome::Status::Quarantined);
  CHECK(r.outcomes[1].reason == "the note names no patient and no default patient was given");
}

TEST_CASE("each span the reader did not understand is listed with its place in the note's report line", "[batch][report]") {
  legacy::NoteOutcome o;
  o.status = legacy::NoteOutcome::Status::ImportedWithWarnings;
  o.origin = "notes.csv#row=3";
  o.session_id = "legacy-0f";
  o.findings = 2;
  o.warnings = {"not understood: 'T9 R funny pull' (at byte 41)"};
  o.not_understood = {{"not understood: 'T9 R funny pull'", 41, 15, legacy::NoteWarningKind::NotUnderstood}};
  CHECK(legacy::report_line(o) ==
        R"j({"origin":"notes.csv#row=3","session":"legacy-0f","status":"imported-with-warnings","findings":2,)j"
        R"j("warnings":["not understood: 'T9 R funny pull' (at byte 41)"],"notUnderstood":1,)j"
        R"j("notUnderstoodSpans":[{"offset":41,"length":15,"message":"not understood: 'T9 R funny pull'"}]})j");
  o.not_understood.clear();
  o.warnings.clear();
  CHECK(legacy::report_line(o).find("notUnderstood") == std::string::npos);
}

TEST_CASE("summary.json counts the spans not understood, and they add up to the report's", "[batch][report]") {
  TempDir out;
  const auto files = corpus_notes();
  const legacy::BatchResult r = run(text_options(out.path), files);
  const json::Value summary = json::Value::parse(read_text(out.path / "summary.json"));
  const json::Value& counts = *summary.find("counts");
  CHECK(counts.find("notes")->as_integer() == static_cast<long>(r.counts.notes));
  REQUIRE(counts.find("notUnderstood"));
  REQUIRE(counts.find("notesNotUnderstood"));
  std::int64_t spans = 0, notes = 0;
  std::istringstream report(read_text(out.path / "report.jsonl"));
  for (std::string line; std::getline(report, line);) {
    const json::Value v = json::Value::parse(line);
    if (v.string_at("status") == "quarantined") continue;
    const json::Value* n = v.find("notUnderstood");
    if (!n) continue;
    spans += *n->as_integer();
    ++notes;
    CHECK(v.find("notUnderstoodSpans")->size() == static_cast<std::size_t>(*n->as_integer()));
  }
  CHECK(counts.find("notUnderstood")->as_integer() == spans);
  CHECK(counts.find("notesNotUnderstood")->as_integer() == notes);
  CHECK(r.counts.not_understood == static_cast<std::uint64_t>(spans));
}

TEST_CASE("an Excel CSV with a German header imports with no column mapping and the visit dates", "[batch]") {
  TempDir out;
  legacy::BatchOptions o = text_options(out.path);
  o.format = legacy::NoteFormat::Csv;
  o.default_patient.clear();
  const legacy::BatchResult r = run(o, {std::string(MFR_TEST_DATA) + "/legacy/excel-de.csv"});
  CHECK(r.counts.notes == 2);
  CHECK(r.counts.quarantined == 0);
  const std::string procedures = read_text(out.path / "Procedure.ndjson");
  CHECK(procedures.find("\"performedPeriod\":{\"start\":\"2022-04-05\"") != std::string::npos);
  CHECK(procedures.find("\"start\":\"2022-04-06\"") != std::string::npos);
  CHECK(procedures.find("1975") == std::string::npos);
  CHECK(procedures.find("100234") != std::string::npos);
}

namespace {

std::vector<json::Value> ndjson_values(const fs::path& p) {
  std::vector<json::Value> out;
  std::istringstream in(read_text(p));
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(json::Value::parse(line));
  return out;
}

std::set<std::string> ids_of(const fs::path& p, std::string_view type) {
  std::set<std::string> ids;
  for (const json::Value& v : ndjson_values(p)) ids.insert(std::string(type) + "/" + std::string(*v.string_at("id")));
  return ids;
}

}  // namespace

TEST_CASE("each imported session has a Provenance: its Procedure and Observations from the note's DocumentReference",
          "[batch][provenance]") {
  for (const auto& [format, file, system, code] :
       {std::tuple{legacy::NoteFormat::Text, "notes/note-001.txt", "https://mfr-fhir.org/fhir/CodeSystem/mfr",
                   "legacy-note-import"},
        std::tuple{legacy::NoteFormat::Csv, "legacy/export.csv", "https://mfr-fhir.org/fhir/CodeSystem/mfr",
                   "legacy-note-import"},
        std::tuple{legacy::NoteFormat::Hl7v2, "legacy/feed.hl7",
                   "http://hl7.org/fhir/uv/v2mappings/CodeSystem/provenance-activity-type-v2-to-fhir",
                   "v2-fhir-transformation"}}) {
    TempDir out;
    legacy::BatchOptions o = text_options(out.path);
    o.format = format;
    o.agent = "mfr-fhir 9.9.9 notes reader";
    const legacy::BatchResult r = run(o, {std::string(MFR_TEST_DATA) + "/" + file});
    INFO(file);
    const auto provenances = ndjson_values(out.path / "Provenance.ndjson");
    REQUIRE(provenances.size() == r.counts.imported + r.counts.warnings);
    REQUIRE_FALSE(provenances.empty());
    const auto procedures = ids_of(out.path / "Procedure.ndjson", "Procedure");
    const auto observations = ids_of(out.path / "Observation.ndjson", "Observation");
    const auto documents = ids_of(out.path / "DocumentReference.ndjson", "DocumentReference");
    std::size_t procedure_targets = 0, observation_targets = 0;
    for (const json::Value& p : provenances) {
      // valid R4 (cardinalities, types, the required entity-role binding)
      const auto issues = validate::validate(p, validate::Strictness::Strict);
      for (const auto& i : issues) INFO(i.expression << ": " << i.diagnostics);
      CHECK_FALSE(validate::has_errors(issues));
      CHECK(*p.string_at("resourceType") == "Provenance");
      for (const json::Value& t : p.find("target")->as_array()) {
        const std::string ref(*t.string_at("reference"));
        if (ref.rfind("Procedure/", 0) == 0) {
          CHECK(procedures.count(ref) == 1);
          ++procedure_targets;
        } else {
          CHECK(observations.count(ref) == 1);
          ++observation_targets;
        }
      }
      const json::Value& entity = p.find("entity")->as_array()[0];
      CHECK(*entity.string_at("role") == "source");
      CHECK(documents.count(std::string(*entity.find("what")->string_at("reference"))) == 1);
      const json::Value& activity = p.find("activity")->find("coding")->as_array()[0];
      CHECK(*activity.string_at("system") == system);
      CHECK(*activity.string_at("code") == code);
      CHECK(*p.find("agent")->as_array()[0].find("who")->string_at("display") == "mfr-fhir 9.9.9 notes reader");
      CHECK(DateTime::parse(*p.string_at("recorded")));
    }
    CHECK(procedure_targets == procedures.size());
    CHECK(observation_targets == observations.size());
  }
}
