#include <catch2/catch.hpp>

#include <filesystem>

#include "codec/elements.hpp"
#include "codec/export.hpp"
#include "codec/import.hpp"
#include "json/json.hpp"
#include "test_support.hpp"

using namespace mfr;
using codec::BundleType;

namespace {
const codec::ExportOptions kOptions{test::kSystem};

// The model fields a host sees; imported sessions also carry their original JSON.
void require_same_model(const Session& a, const Session& b) {
  CHECK(a.id == b.id);
  CHECK(a.patient == b.patient);
  CHECK(a.practitioner == b.practitioner);
  CHECK(a.encounter == b.encounter);
  CHECK(a.start == b.start);
  CHECK(a.end == b.end);
  CHECK(a.status == b.status);
  CHECK(a.regions == b.regions);
  CHECK(a.note == b.note);
  CHECK(a.session_number == b.session_number);
  CHECK(a.planned_sessions == b.planned_sessions);
  REQUIRE(a.findings.size() == b.findings.size());
  for (std::size_t i = 0; i < a.findings.size(); ++i) {
    INFO("finding " << i);
    const Finding& x = a.findings[i];
    const Finding& y = b.findings[i];
    CHECK(x.site == y.site);
    CHECK(x.restriction == y.restriction);
    CHECK(x.pain_nrs == y.pain_nrs);
    CHECK(x.pain_vas_mm == y.pain_vas_mm);
    CHECK(x.tender == y.tender);
    CHECK(x.released == y.released);
    CHECK(x.note == y.note);
    CHECK(x.status == y.status);
  }
}

std::vector<Session> all_examples() {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(test::examples_path("sessions"))) files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  std::vector<Session> out;
  for (const auto& f : files) out.push_back(test::session_from_file(f));
  return out;
}
}  // namespace

TEST_CASE("session -> collection Bundle -> session gives the same sessions", "[codec][roundtrip]") {
  const std::vector<Session> sessions = all_examples();
  REQUIRE(sessions.size() == 5);
  const std::string text = codec::export_bundle(sessions, BundleType::Collection, kOptions).dump();
  const codec::ImportResult back = codec::import_json(text);
  CHECK(back.rejected == 0);
  REQUIRE(back.sessions.size() == sessions.size());
  for (std::size_t i = 0; i < sessions.size(); ++i) {
    INFO("session " << sessions[i].id);
    require_same_model(sessions[i], back.sessions[i]);
  }
}

TEST_CASE("session -> NDJSON files -> session gives the same sessions, whatever the file order", "[codec][roundtrip][ndjson]") {
  const std::vector<Session> sessions = all_examples();
  codec::NdjsonOutput out;
  for (const Session& s : sessions) codec::append_ndjson(s, kOptions, out);
  // Observations first: they must still find their Procedures in the other file.
  const codec::ImportResult back =
      codec::import_many({{"Observation.ndjson", out.observations, true}, {"Procedure.ndjson", out.procedures, true}});
  CHECK(back.issues.size() == 1);  // the free-text region "levator scapulae" has no SNOMED code: a warning
  CHECK(back.rejected == 0);
  REQUIRE(back.sessions.size() == sessions.size());
  for (std::size_t i = 0; i < sessions.size(); ++i) require_same_model(sessions[i], back.sessions[i]);
}

TEST_CASE("our own FHIR -> session -> FHIR is byte-stable", "[codec][roundtrip]") {
  const std::vector<Session> sessions = all_examples();
  const std::string first = codec::export_bundle(sessions, BundleType::Collection, kOptions).dump(true);
  const codec::ImportResult back = codec::import_json(first);
  const std::string second = codec::export_bundle(back, BundleType::Collection, kOptions).dump(true);
  CHECK(first == second);
  // From the model alone (what was received left behind), ours are the same bytes too.
  CHECK(codec::export_bundle(back.sessions, BundleType::Collection, kOptions).dump(true) == first);
}

TEST_CASE("another clinic's searchset Bundle imports, and exports back losing nothing", "[codec][roundtrip][foreign]") {
  const std::string text = test::read_text(test::data_path("fhir/foreign/bundle-searchset.json"));
  const json::Value original = json::Value::parse(text);
  const codec::ImportResult imported = codec::import_json(text);
  CHECK(imported.rejected == 0);
  REQUIRE(imported.sessions.size() == 1);
  const Session& s = imported.sessions[0];
  REQUIRE(s.findings.size() == 2);

  // NDJSON keeps Type/id references, so every resource must come back as it was sent.
  codec::NdjsonOutput out;
  codec::append_ndjson(s, &imported.received[0], kOptions, out);
  std::vector<json::Value> written;
  for (const std::string* file : {&out.procedures, &out.observations}) {
    std::size_t pos = 0;
    while (pos < file->size()) {
      const std::size_t end = file->find('\n', pos);
      written.push_back(json::Value::parse(std::string_view(*file).substr(pos, end - pos)));
      pos = end + 1;
    }
  }
  REQUIRE(written.size() == 3);
  for (const json::Value& w : written) {
    bool matched = false;
    for (const json::Value& e : original.find("entry")->as_array()) {
      const json::Value* r = e.find("resource");
      if (r->string_at("id") != w.string_at("id")) continue;
      matched = true;
      INFO(w.dump(true));
      CHECK(json::same_content(*r, w));
    }
    CHECK(matched);
  }
}

TEST_CASE("unknown extensions, primitive extensions and decimal text survive import and export", "[codec][foreign]") {
  const std::string text = test::read_text(test::data_path("fhir/foreign/observation-extensions-decimals.json"));
  const codec::ImportResult imported = codec::import_json(text);
  REQUIRE(imported.sessions.size() == 1);
  codec::NdjsonOutput out;
  Session s = imported.sessions[0];
  codec::append_ndjson(s, &imported.received[0], kOptions, out);
  const json::Value written = json::Value::parse(out.observations.substr(0, out.observations.find('\n')));
  CHECK(json::same_content(json::Value::parse(text), written));
  CHECK(out.observations.find("\"valueDecimal\":1.50") != std::string::npos);
  CHECK(out.observations.find("\"_status\":") != std::string::npos);
}

TEST_CASE("changing an imported finding rewrites only what changed", "[codec][foreign]") {
  const std::string text = test::read_text(test::data_path("fhir/foreign/observation-extensions-decimals.json"));
  codec::ImportResult imported = codec::import_json(text);
  REQUIRE(imported.sessions.size() == 1);
  Session& s = imported.sessions[0];
  REQUIRE(s.findings.size() == 1);
  Finding& f = s.findings[0];
  REQUIRE(f.pain_nrs);
  f.pain_nrs = 2;  // re-assessed
  codec::NdjsonOutput out;
  codec::append_ndjson(s, &imported.received[0], kOptions, out);
  const json::Value before = json::Value::parse(text);
  json::Value after = json::Value::parse(out.observations.substr(0, out.observations.find('\n')));
  CHECK_FALSE(json::same_content(before, after));
  // Everything but the components and the narrative is as it was; the model changed, so the
  // partner's narrative no longer holds and ours, saying the new score, takes its place.
  const json::Value* narrative = after.find("text");
  REQUIRE(narrative);
  CHECK(narrative->string_at("status") == "generated");
  CHECK(narrative->string_at("div").value_or("").find("2/10") != std::string_view::npos);
  CHECK_FALSE(json::same_content(*narrative, *before.find("text")));
  for (const json::Member& m : before.as_object()) {
    if (m.key == "component" || m.key == "text") continue;
    INFO(m.key.str());
    REQUIRE(after.find(m.key));
    CHECK(json::same_content(m.value, *after.find(m.key)));
  }
  bool found_pain = false;
  for (const json::Value& c : after.find("component")->as_array()) {
    if (codec::find_coding(c.find("code"), "http://loinc.org", "72514-3")) {
      found_pain = true;
      CHECK(c.find("valueInteger")->number_text() == "2");
    }
  }
  CHECK(found_pain);
}

TEST_CASE("a pain score sent as a Quantity on our finding profile is read as the 0-10 score", "[codec][foreign]") {
  json::Value pain = json::Value::parse(test::read_text(test::data_path("fhir/foreign/observation-pain-quantity.json")));
  pain["meta"]["profile"].push_back("https://mfr-fhir.org/fhir/StructureDefinition/mfr-skin-rolling-finding");
  const codec::ImportResult imported = codec::import_json(pain.dump());
  CHECK(imported.rejected == 0);
  REQUIRE(imported.sessions.size() == 1);
  REQUIRE(imported.sessions[0].findings.size() == 1);
  CHECK(imported.sessions[0].findings[0].pain_nrs.has_value());
}

TEST_CASE("a Procedure coded CPT 97140 without our code or profile is foreign, not a session", "[codec][foreign]") {
  const codec::ImportResult imported = codec::import_json(test::read_text(test::data_path("fhir/foreign/procedure-manual-therapy.json")));
  CHECK(imported.rejected == 0);
  CHECK(imported.foreign == 1);
  CHECK(imported.sessions.empty());
}

TEST_CASE("a Procedure naming our profile without our code is read with a warning that says so", "[codec][foreign]") {
  json::Value p = json::Value::parse(test::read_text(test::data_path("fhir/foreign/procedure-manual-therapy.json")));
  p["meta"]["profile"].push_back("https://mfr-fhir.org/fhir/StructureDefinition/mfr-skin-rolling-procedure");
  const codec::ImportResult imported = codec::import_json(p.dump());
  CHECK(imported.rejected == 0);
  REQUIRE(imported.sessions.size() == 1);
  bool warned = false;
  for (const codec::Issue& i : imported.issues)
    warned |= i.expression == "Procedure.code" && i.severity == codec::Severity::Warning;
  CHECK(warned);
}

TEST_CASE("a DocumentReference alone imports as a note-only session and exports as itself", "[codec][foreign]") {
  Session s = test::session_from_file(test::examples_path("sessions/2019-03-04-p123-s1.json"));
  s.source = LegacySource{"O: T4 L ++, TTP. Released.", "old-emr#note=1", {}};
  codec::NdjsonOutput out;
  codec::append_ndjson(s, kOptions, out);
  const codec::ImportResult imported = codec::import_ndjson(out.documents);
  REQUIRE(imported.sessions.size() == 1);
  CHECK(imported.sessions[0].source->text == "O: T4 L ++, TTP. Released.");
  codec::NdjsonOutput again;
  codec::append_ndjson(imported.sessions[0], &imported.received[0], kOptions, again);
  CHECK(again.procedures.empty());
  CHECK(again.observations.empty());
  CHECK(json::same_content(json::Value::parse(out.documents), json::Value::parse(again.documents)));
}

TEST_CASE("a completed session with no date is written with its start marked unknown and reads back the same",
          "[codec][roundtrip]") {
  Session s = all_examples().front();
  s.start = {};
  s.end.reset();
  REQUIRE(s.status == SessionStatus::Completed);
  const json::Value bundle = codec::export_bundle(std::vector<Session>{s}, BundleType::Collection, kOptions);
  // performedPeriod._start and every Observation's _effectiveDateTime carry data-absent-reason "unknown"
  const std::string text = bundle.dump();
  const std::string unknown =
      "{\"extension\":[{\"url\":\"http://hl7.org/fhir/StructureDefinition/data-absent-reason\",\"valueCode\":\"unknown\"}]}";
  CHECK(text.find("\"performedPeriod\":{\"_start\":" + unknown + "}") != std::string::npos);
  std::size_t effective = 0;
  for (std::size_t at = 0; (at = text.find("\"_effectiveDateTime\":" + unknown, at)) != std::string::npos; ++at) ++effective;
  CHECK(effective == s.findings.size());
  CHECK(text.find("\"effectiveDateTime\"") == std::string::npos);

  const codec::ImportResult back = codec::import_json(text);
  CHECK(back.rejected == 0);
  for (const auto& i : back.issues) CHECK(i.diagnostics.find("us-core-7") == std::string::npos);
  REQUIRE(back.sessions.size() == 1);
  require_same_model(s, back.sessions[0]);
  CHECK(back.sessions[0].start.empty());
}
