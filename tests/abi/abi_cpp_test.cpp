#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <cstdlib>
#include <optional>
#include <thread>

#include "mfr/mfr.hpp"

namespace {
const char* kSystem = "https://clinic.example/fhir/sessions";
const char* kSession =
    R"({"id":"S-42","patient":"Patient/p-123","start":"2019-03-04T10:30:00+01:00","regions":["thoracic-spine"],)"
    R"("findings":[{"site":"T4","side":"bilateral","restriction":2,"pain":6,"released":"partial"}]})";
}  // namespace

TEST_CASE("mfr.hpp records a session from JSON and exports it", "[abi][hpp]") {
  const mfr::Api api = mfr::Api::linked();
  const mfr::Context ctx(api, kSystem);
  const mfr::Session s = ctx.session_from_json(kSession);
  CHECK(s.info().finding_count == 2);
  const std::string ndjson = ctx.export_sessions({&s}, MFR_FORMAT_NDJSON);
  CHECK(std::count(ndjson.begin(), ndjson.end(), '\n') == 3);
  const std::string back = s.to_json();
  CHECK(back.find("\"site\":\"T4\",\"side\":\"left\",\"restriction\":2,\"pain\":6,\"released\":\"partial\"") != std::string::npos);
}

TEST_CASE("session JSON errors come back as statuses with the place named", "[abi][bad-input]") {
  const mfr::Api api = mfr::Api::linked();
  const mfr::Context ctx(api, kSystem);
  SECTION("truncated JSON is a parse error with line and column") {
    try {
      ctx.session_from_json("{\"id\": \"S-1\",\n \"patient\": ");
      FAIL("accepted truncated JSON");
    } catch (const mfr::Error& e) {
      CHECK(e.status() == MFR_ERR_PARSE);
      CHECK_THAT(e.what(), Catch::Contains("line 2, column 13"));
    }
  }
  SECTION("a wrong type is invalid data with its path, and the OperationOutcome lists every issue") {
    std::string outcome;
    try {
      ctx.session_from_json(R"({"id":"S-1","patient":"Patient/1","start":"2019-03-04","findings":[{"site":"T4","pain":"6"}]})", &outcome);
      FAIL("accepted a string pain score");
    } catch (const mfr::Error& e) {
      CHECK(e.status() == MFR_ERR_INVALID_DATA);
      CHECK_THAT(e.what(), Catch::Contains("at findings[0].pain"));
      CHECK_THAT(outcome, Catch::Contains("\"expression\":[\"findings[0].pain\"]"));
      CHECK_THAT(outcome, Catch::Contains("\"resourceType\":\"OperationOutcome\""));
    }
  }
}

TEST_CASE("mfr.hpp gives validation and session JSON issues as structs", "[abi][hpp][issues]") {
  const mfr::Api api = mfr::Api::linked();
  const mfr::Context ctx(api, kSystem);
  const mfr::Session s = ctx.session_from_json(kSession);
  const std::string bundle = ctx.export_sessions({&s}, MFR_FORMAT_BUNDLE_COLLECTION);
  const mfr::Validation clean = ctx.validate_issues(bundle, MFR_STRICT);
  CHECK(clean.status() == MFR_OK);
  CHECK(clean.issues().empty());
  CHECK_THAT(clean.outcome(), Catch::Contains("No issues found."));

  const mfr::Validation bad =
      ctx.validate_issues(R"({"resourceType":"Observation","id":"o1","status":"final","code":{"text":"x"},"valueInteger":"6"})",
                          MFR_LENIENT, MFR_INPUT_JSON);
  CHECK(bad.status() == MFR_ERR_INVALID_DATA);
  const std::vector<mfr_issue> issues = bad.issues();
  REQUIRE_FALSE(issues.empty());
  const auto typed = std::find_if(issues.begin(), issues.end(), [](const mfr_issue& i) {
    return std::string(i.expression) == "Observation.valueInteger";
  });
  REQUIRE(typed != issues.end());
  CHECK(typed->severity == MFR_SEVERITY_ERROR);
  CHECK(std::string(typed->resource) == "Observation/o1");
  CHECK(typed->line == 1);
  // The text and the structs are one set of issues.
  CHECK(bad.outcome() == ctx.validate(R"({"resourceType":"Observation","id":"o1","status":"final","code":{"text":"x"},"valueInteger":"6"})",
                                      MFR_LENIENT, MFR_INPUT_JSON));

  mfr::Validation found;
  CHECK(found.issues().empty());  // nothing until a call fills it
  CHECK_THROWS_AS(ctx.session_from_json(R"({"id":"S-1","patient":"Patient/1","start":"2019-03-04","findings":[{"site":"T4","pain":12}]})",
                                        found),
                  mfr::Error);
  CHECK(found.status() == MFR_ERR_INVALID_DATA);
  REQUIRE(found.issues().size() == 1);
  CHECK(std::string(found.issues()[0].expression) == "findings[0].pain");
  mfr::Validation none;
  const mfr::Session good = ctx.session_from_json(kSession, none);
  CHECK(good.info().finding_count == 2);
  CHECK(none.status() == MFR_OK);
  CHECK(none.issues().empty());
}

TEST_CASE("import keeps going past a bad NDJSON line and says which line failed", "[abi][bad-input]") {
  const mfr::Api api = mfr::Api::linked();
  const mfr::Context ctx(api, kSystem);
  const mfr::Session s = ctx.session_from_json(kSession);
  std::string ndjson = ctx.export_sessions({&s}, MFR_FORMAT_NDJSON);
  ndjson.insert(ndjson.find('\n') + 1, "{\"resourceType\":\"Observation\",\"status\":[}\n");
  const mfr::ImportResult r = ctx.import(ndjson, MFR_INPUT_NDJSON);
  CHECK(r.status() == MFR_ERR_INVALID_DATA);
  const mfr_import_counts c = r.counts();
  CHECK(c.resources == 4);
  CHECK(c.rejected == 1);
  CHECK(c.sessions == 1);
  CHECK(r.session(0).info().finding_count == 2);
  CHECK_THAT(r.outcome(), Catch::Contains("\"Line[2] Col[41]\""));
}

TEST_CASE("a session cloned from an import result outlives the result", "[abi]") {
  const mfr::Api api = mfr::Api::linked();
  const mfr::Context ctx(api, kSystem);
  const mfr::Session s = ctx.session_from_json(kSession);
  const std::string bundle = ctx.export_sessions({&s}, MFR_FORMAT_BUNDLE_COLLECTION);
  std::optional<mfr::Session> kept;
  {
    const mfr::ImportResult r = ctx.import(bundle);
    REQUIRE(r.status() == MFR_OK);
    kept.emplace(r.session(0).clone());
  }
  CHECK(std::string(kept->info().id) == "S-42");
  CHECK(kept->findings().size() == 2);
}

namespace {
std::string read_data(const std::string& relative) {
  std::ifstream in(std::string(MFR_TEST_DATA) + "/" + relative, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}
std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = 0; (at = text.find(what, at)) != std::string::npos; at += what.size()) ++n;
  return n;
}
}  // namespace

TEST_CASE("import -> clone -> edit -> export keeps what the session received", "[abi][lossless]") {
  const mfr::Api api = mfr::Api::linked();
  const mfr::Context ctx(api, kSystem);
  // A partner's searchset: a Procedure and two Observations with elements the model has no field for.
  const mfr::ImportResult r = ctx.import(read_data("fhir/foreign/bundle-searchset.json"));
  REQUIRE(r.status() == MFR_OK);
  REQUIRE(r.size() == 1);
  const mfr::Session& received = r.session(0);
  const std::string as_is = ctx.export_sessions({&received}, MFR_FORMAT_NDJSON);
  for (const char* kept : {"\"outcome\":", "\"followUp\":", "roll-pressure", "signed-off-by", "Migrated from the 2015 system"})
    CHECK(as_is.find(kept) != std::string::npos);

  mfr::Session edited = r.session(0).clone();
  edited.practitioner("Practitioner/pr-new");
  mfr_finding added = MFR_FINDING_INIT;
  added.level = MFR_LEVEL_T8;
  added.side = MFR_SIDE_LEFT;
  added.restriction = 1;
  edited.finding(added);
  const std::string out = ctx.export_sessions({&edited}, MFR_FORMAT_NDJSON);
  CHECK(count_of(out, "\n") == 4);  // the Procedure and three Observations
  for (const char* kept : {"\"outcome\":", "\"followUp\":", "roll-pressure", "signed-off-by", "Migrated from the 2015 system"})
    CHECK(out.find(kept) != std::string::npos);
  // The edit is written where it belongs: the Procedure's performer and each received
  // Observation's, since the session's practitioner is theirs too; and the new finding is ours.
  CHECK(count_of(out, "\"reference\":\"Practitioner/pr-new\"") == 4);
  CHECK(count_of(out, "\"reference\":\"Practitioner/cb-prac-12\"") == 2);  // the recorder and the note's author: not the model's
  CHECK(out.find("\"text\":\"T8, left\"") != std::string::npos);
  // The clone's edits are its own: the import result still exports what it received.
  CHECK(ctx.export_sessions({&received}, MFR_FORMAT_NDJSON) == as_is);
}

TEST_CASE("a struct_size smaller than the first release's struct is refused, not overrun", "[abi][compat]") {
  const mfr::Api api = mfr::Api::linked();
  const mfr::Context ctx(api, kSystem);
  const mfr::Session s = ctx.session_from_json(kSession);
  mfr_session_info info = MFR_SESSION_INFO_INIT;
  info.struct_size = static_cast<uint32_t>(offsetof(mfr_session_info, source_text));
  CHECK(mfr_session_info_get(&info, s.get()) == MFR_ERR_INVALID_ARGUMENT);
  CHECK_THAT(mfr_last_error(), Catch::Contains("struct_size"));
}

TEST_CASE("a host built against a newer header, with a bigger struct, gets what this library knows", "[abi][compat]") {
  const mfr::Api api = mfr::Api::linked();
  const mfr::Context ctx(api, kSystem);
  const mfr::Session s = ctx.session_from_json(kSession);
  // A "newer" mfr_session_info with fields this library does not know after ours.
  struct {
    mfr_session_info info;
    unsigned char newer_fields[64];
  } newer;
  std::memset(&newer, 0xAB, sizeof newer);
  newer.info.struct_size = static_cast<uint32_t>(sizeof newer);
  REQUIRE(mfr_session_info_get(&newer.info, s.get()) == MFR_OK);
  CHECK(std::string(newer.info.id) == "S-42");
  CHECK(newer.info.finding_count == 2);
  CHECK(newer.info.struct_size == sizeof newer);  // left as the host set it
  for (unsigned char byte : newer.newer_fields) CHECK(byte == 0xAB);
}

TEST_CASE("the log callback hears what happened, without patient data", "[abi][log]") {
  const mfr::Api api = mfr::Api::linked();
  std::vector<std::string> lines;
  auto sink = [](void* user, mfr_log_level, const char* message) {
    static_cast<std::vector<std::string>*>(user)->push_back(message);
  };
  const mfr::Context ctx(api, kSystem, sink, &lines, MFR_LOG_INFO);
  const mfr::Session s = ctx.session_from_json(kSession);
  const mfr::ImportResult r = ctx.import(ctx.export_sessions({&s}, MFR_FORMAT_NDJSON));
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "Exported 1 sessions.");
  CHECK(lines[1] == "Imported 3 resources into 1 sessions; 0 rejected, 0 foreign.");
  for (const auto& l : lines) CHECK(l.find("p-123") == std::string::npos);
}

TEST_CASE("two contexts work at the same time on two threads", "[abi][threads]") {
  const mfr::Api api = mfr::Api::linked();
  auto work = [&](const char* system, std::string* out) {
    const mfr::Context ctx(api, system);
    for (int i = 0; i < 50; ++i) {
      const mfr::Session s = ctx.session_from_json(kSession);
      *out = ctx.export_sessions({&s}, MFR_FORMAT_NDJSON_PROCEDURES);
    }
  };
  std::string a, b;
  std::thread t1(work, "https://a.example/s", &a);
  std::thread t2(work, "https://b.example/s", &b);
  t1.join();
  t2.join();
  CHECK(a.find("https://a.example/s") != std::string::npos);
  CHECK(b.find("https://b.example/s") != std::string::npos);
}

TEST_CASE("the plugin entry refuses an ABI it does not serve and says which it does", "[abi]") {
  CHECK(mfr_plugin_entry(MFR_ABI_VERSION + 1) == nullptr);
  CHECK_THAT(mfr_last_error(), Catch::Contains("serves ABI version 1"));
  CHECK(mfr_plugin_entry(MFR_ABI_VERSION) != nullptr);
  CHECK(std::string(mfr_last_error()).empty());
}

TEST_CASE("charts are drawn from sessions imported from FHIR, and mixed patients are refused", "[abi][chart]") {
  const mfr::Api api = mfr::Api::linked();
  const mfr::Context ctx(api, kSystem);
  const mfr::Session a = ctx.session_from_json(kSession);
  const mfr::Session b = ctx.session_from_json(
      R"({"id":"S-43","patient":"Patient/p-123","start":"2019-03-11T10:30:00+01:00","findings":[{"site":"T4","side":"left","restriction":1,"pain":3}]})");
  const mfr::ImportResult r = ctx.import(ctx.export_sessions({&a, &b}, MFR_FORMAT_BUNDLE_COLLECTION));
  REQUIRE(r.size() == 2);
  const mfr::Session first = r.session(0);
  const std::string map = ctx.chart_session(first);
  CHECK_THAT(map, Catch::Contains("data-level=\"T4\" data-side=\"left\" data-grade=\"2\" data-pain=\"6\""));
  CHECK(map.find("p-123") == std::string::npos);  // never the patient unless asked
  const mfr::Session second = r.session(1);
  mfr_chart_options options = MFR_CHART_OPTIONS_INIT;
  options.language = "fr";
  const std::string course = ctx.chart_course({&first, &second}, &options);
  CHECK_THAT(course, Catch::Contains("data-sessions=\"2\""));
  CHECK(course == ctx.chart_course({&first, &second}, &options));  // deterministic

  const mfr::Session other = ctx.session_from_json(
      R"({"id":"S-44","patient":"Patient/p-999","start":"2019-03-12","findings":[]})");
  try {
    ctx.chart_course({&first, &other});
    FAIL("charted two patients in one course");
  } catch (const mfr::Error& e) {
    CHECK(e.status() == MFR_ERR_INVALID_ARGUMENT);
    CHECK(std::string(e.what()).find("p-999") == std::string::npos);
  }
}

TEST_CASE("mfr_validate says what is wrong and where, in strict and lenient mode", "[abi][validate]") {
  const mfr::Api api = mfr::Api::linked();
  const mfr::Context ctx(api, kSystem);
  const mfr::Session s = ctx.session_from_json(kSession);
  mfr_status status = MFR_ERR_INTERNAL;
  const std::string ours = ctx.export_sessions({&s}, MFR_FORMAT_BUNDLE_TRANSACTION);
  const std::string ok = ctx.validate(ours, MFR_STRICT, MFR_INPUT_AUTO, &status);
  CHECK(status == MFR_OK);
  CHECK_THAT(ok, Catch::Contains("No issues found."));

  const std::string bad = ctx.validate(R"({"resourceType":"Observation","id":"o1","status":"final","code":{"text":"x"},"valueInteger":"6"})",
                                       MFR_LENIENT, MFR_INPUT_JSON, &status);
  CHECK(status == MFR_ERR_INVALID_DATA);
  CHECK_THAT(bad, Catch::Contains("\"expression\": [\n        \"Observation.valueInteger\"\n      ]"));
  CHECK_THAT(bad, Catch::Contains("\"valueString\": \"Observation/o1\""));

  ctx.validate("{\"resourceType\": ", MFR_LENIENT, MFR_INPUT_JSON, &status);
  CHECK(status == MFR_ERR_PARSE);
}

TEST_CASE("the batch API takes notes from the host and gives sessions and a per-note report back", "[abi][batch]") {
  const mfr::Api api = mfr::Api::linked();
  const mfr::Context ctx(api, kSystem);
  mfr_batch_options options = MFR_BATCH_OPTIONS_INIT;
  mfr_batch* batch = nullptr;
  REQUIRE(mfr_batch_new(&batch, ctx.get(), &options) == MFR_OK);
  CHECK(mfr_batch_add_note(batch, "O: skin rolling T4 L ++, NRS 6/10, partial release.", MFR_NUL_TERMINATED, "emr-1",
                           "Patient/p-1", "2019-03-04", "1") == MFR_OK);
  CHECK(mfr_batch_add_note(batch, "Acupuncture to the knee, no skin rolling today.", MFR_NUL_TERMINATED, "emr-2",
                           "Patient/p-1", "2019-03-11", "2") == MFR_OK);
  CHECK(mfr_batch_add_note(batch, "T5 R mild", MFR_NUL_TERMINATED, "emr-3", nullptr, nullptr, nullptr) == MFR_OK);
  mfr_batch_progress counts = MFR_BATCH_PROGRESS_INIT;
  REQUIRE(mfr_batch_execute(&counts, batch) == MFR_OK);
  CHECK(counts.notes == 3);
  CHECK(counts.notes == counts.imported + counts.imported_with_warnings + counts.quarantined);
  CHECK(counts.quarantined == 1);  // no patient, no date
  mfr_import_result* result = nullptr;
  REQUIRE(mfr_batch_take_result(&result, batch) == MFR_OK);
  const mfr::ImportResult r(api, result, MFR_OK);
  REQUIRE(r.size() == 2);
  const auto findings = r.session(0).findings();
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].level == MFR_LEVEL_T4);
  CHECK(findings[0].side == MFR_SIDE_LEFT);
  CHECK(findings[0].restriction == 2);
  CHECK(findings[0].pain_nrs == 6);
  CHECK(r.session(1).info().finding_count == 0);  // the acupuncture note makes no finding up
  CHECK_THAT(r.outcome(), Catch::Contains("emr-3"));
  mfr_batch_free(batch);
}

TEST_CASE("a batch the host cancels says so and resumes on the next run", "[abi][batch]") {
  const mfr::Api api = mfr::Api::linked();
  const mfr::Context ctx(api, kSystem);
  char dir[] = "/tmp/mfr-abi-batch-XXXXXX";
  REQUIRE(mkdtemp(dir));
  const std::string notes = std::string(MFR_TEST_DATA) + "/legacy/notes-2019.txt";
  mfr_batch_options options = MFR_BATCH_OPTIONS_INIT;
  options.out_dir = dir;
  options.default_patient = "Patient/p-1";
  options.progress = [](void*, const mfr_batch_progress*) { return 1; };  // stop at once
  mfr_batch* batch = nullptr;
  REQUIRE(mfr_batch_new(&batch, ctx.get(), &options) == MFR_OK);
  REQUIRE(mfr_batch_add_file(batch, notes.c_str()) == MFR_OK);
  CHECK(mfr_batch_add_file(batch, "/nonexistent/notes.txt") == MFR_ERR_NOT_FOUND);
  mfr_batch_progress first = MFR_BATCH_PROGRESS_INIT;
  CHECK(mfr_batch_execute(&first, batch) == MFR_ERR_CANCELLED);
  CHECK_THAT(mfr_last_error(), Catch::Contains("run it again to resume"));
  mfr_batch_free(batch);

  options.progress = nullptr;
  REQUIRE(mfr_batch_new(&batch, ctx.get(), &options) == MFR_OK);
  REQUIRE(mfr_batch_add_file(batch, notes.c_str()) == MFR_OK);
  mfr_batch_progress second = MFR_BATCH_PROGRESS_INIT;
  CHECK(mfr_batch_execute(&second, batch) == MFR_OK);
  CHECK(second.resumed_notes == first.notes);
  CHECK(second.notes >= first.notes);
  mfr_batch_free(batch);
  std::filesystem::remove_all(dir);
}
