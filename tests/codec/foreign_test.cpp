// Issue 15: a partner's whole patient record beside our sessions. Only what is ours is read as
// ours; the rest is foreign (counted, never a session, never a rejection).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "codec/export.hpp"
#include "codec/import.hpp"
#include "json/json.hpp"
#include "test_support.hpp"

using namespace mfr;

namespace {

const codec::ExportOptions kOptions{test::kSystem};

json::Value entry(json::Value resource, const std::string& full_url) {
  json::Value e = json::Value::object();
  e["fullUrl"] = full_url;
  e["resource"] = std::move(resource);
  return e;
}

json::Value from_file(const std::string& relative) { return json::Value::parse(test::read_text(test::data_path(relative))); }

// The first entry of `bundle` holding a resource of that type.
const json::Value& first_of(const json::Value& bundle, std::string_view type) {
  for (const json::Value& e : bundle.find("entry")->as_array())
    if (e.find("resource")->string_at("resourceType") == type) return e;
  throw std::runtime_error("no " + std::string(type) + " in the Bundle");
}

std::size_t information_issues(const codec::ImportResult& r) {
  std::size_t n = 0;
  for (const codec::Issue& i : r.issues) n += i.severity == codec::Severity::Information && i.code == codec::IssueType::Informational;
  return n;
}

}  // namespace

TEST_CASE("a whole patient record imports exactly our sessions and counts the rest as foreign", "[codec][foreign]") {
  const Session ours = test::session_from_file(test::examples_path("sessions/2019-03-04-p123-s1.json"));
  const std::vector<Session> list{ours};
  json::Value bundle = codec::export_bundle(list, codec::BundleType::Collection, kOptions);
  const std::string our_procedure(*first_of(bundle, "Procedure").string_at("fullUrl"));
  // HL7's own examples, as a partner's server holds them for the patient.
  json::Value& entries = bundle["entry"];
  entries.push_back(entry(from_file("validate/procedure-example.json"), "https://partner.example/fhir/Procedure/example"));
  entries.push_back(entry(from_file("validate/procedure-example-biopsy.json"), "https://partner.example/fhir/Procedure/biopsy"));
  entries.push_back(entry(from_file("fhir/foreign/hl7-observation-bmi.json"), "https://partner.example/fhir/Observation/bmi"));
  entries.push_back(entry(from_file("validate/observation-example.json"), "https://partner.example/fhir/Observation/example"));
  entries.push_back(entry(from_file("validate/observation-example-bloodpressure.json"), "https://partner.example/fhir/Observation/blood-pressure"));
  // A pain score partOf our Procedure, coded LOINC 72514-3 only: still not one of our findings.
  json::Value pain = from_file("fhir/foreign/observation-pain-quantity.json");
  pain["partOf"].as_array()[0]["reference"] = our_procedure;
  entries.push_back(entry(std::move(pain), "https://partner.example/fhir/Observation/pain"));
  // A Procedure coded CPT 97140 (any manual therapy) without our code or profile.
  entries.push_back(entry(from_file("fhir/foreign/procedure-manual-therapy.json"), "https://partner.example/fhir/Procedure/mt"));

  const codec::ImportResult r = codec::import_json(bundle.dump());
  CHECK(r.rejected == 0);
  CHECK(r.foreign == 7);
  CHECK(information_issues(r) == 7);
  CHECK_FALSE(codec::has_errors(r.issues));
  REQUIRE(r.sessions.size() == 1);
  CHECK(r.sessions[0].id == ours.id);
  CHECK(r.sessions[0].findings.size() == ours.findings.size());
  CHECK(r.resources == 1 + ours.findings.size());
}

TEST_CASE("the foreign Observation partOf our Procedure is named in the outcome as foreign", "[codec][foreign]") {
  json::Value pain = from_file("fhir/foreign/observation-pain-quantity.json");
  const codec::ImportResult r = codec::import_json(pain.dump());
  CHECK(r.sessions.empty());
  CHECK(r.rejected == 0);
  CHECK(r.foreign == 1);
  CHECK(r.resources == 0);
  REQUIRE(r.issues.size() == 1);
  CHECK(r.issues[0].severity == codec::Severity::Information);
  CHECK(r.issues[0].expression == "Observation");
  CHECK(r.issues[0].diagnostics.find("not a skin-rolling finding") != std::string::npos);
}

TEST_CASE("our profile or our code alone makes a Procedure or an Observation ours", "[codec][foreign]") {
  SECTION("the skin-rolling code without the profile") {
    json::Value p = from_file("fhir/foreign/procedure-manual-therapy.json");
    json::Value coding = json::Value::object();
    coding["system"] = "https://mfr-fhir.org/fhir/CodeSystem/mfr";
    coding["code"] = "skin-rolling";
    p["code"]["coding"].push_back(std::move(coding));
    const codec::ImportResult r = codec::import_json(p.dump());
    CHECK(r.foreign == 0);
    CHECK(r.sessions.size() == 1);
  }
  SECTION("the finding profile on a pain score") {
    json::Value o = from_file("fhir/foreign/observation-pain-quantity.json");
    o["meta"]["profile"].push_back("https://mfr-fhir.org/fhir/StructureDefinition/mfr-skin-rolling-finding|0.1.0");
    const codec::ImportResult r = codec::import_json(o.dump());
    CHECK(r.foreign == 0);
    REQUIRE(r.sessions.size() == 1);
    CHECK(r.sessions[0].findings.at(0).pain_nrs == 6);
  }
}

TEST_CASE("a DocumentReference is ours when our Procedure reports it or it is our legacy note", "[codec][foreign]") {
  Session s = test::session_from_file(test::examples_path("sessions/2019-03-04-p123-s1.json"));
  s.source = LegacySource{"O: T4 L ++, TTP. Released.", "old-emr#note=1", {}};
  codec::NdjsonOutput out;
  codec::append_ndjson(s, kOptions, out);
  const codec::ImportResult with_procedure = codec::import_ndjson(out.documents + out.procedures);
  CHECK(with_procedure.foreign == 0);
  REQUIRE(with_procedure.sessions.size() == 1);
  CHECK(with_procedure.sessions[0].source->text == "O: T4 L ++, TTP. Released.");

  json::Value discharge = json::Value::parse(out.documents);
  discharge["type"]["text"] = "Discharge summary";
  const codec::ImportResult alone = codec::import_json(discharge.dump());
  CHECK(alone.sessions.empty());
  CHECK(alone.foreign == 1);
  CHECK(alone.rejected == 0);
  CHECK(alone.resources == 0);
}
