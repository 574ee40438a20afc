#include <catch2/catch.hpp>

#include "codec/import.hpp"
#include "codec/session_json.hpp"
#include "test_support.hpp"

using namespace mfr;
using codec::Severity;

namespace {
const codec::Issue* find_issue(const codec::ImportResult& r, std::string_view expression) {
  for (const codec::Issue& i : r.issues)
    if (i.expression == expression) return &i;
  return nullptr;
}

// A valid Observation of ours, one line, with `replace` applied to its text.
std::string observation_line(const std::string& from = {}, const std::string& to = {}) {
  std::string s =
      R"({"resourceType":"Observation","id":"o1","identifier":[{"system":"https://clinic.example/fhir/sessions","value":"S-1/73071006/left"}],)"
      R"("partOf":[{"reference":"Procedure/p1"}],"status":"final","code":{"coding":[{"system":"https://mfr-fhir.org/fhir/CodeSystem/mfr","code":"restriction"}]},)"
      R"("subject":{"reference":"Patient/1"},"effectiveDateTime":"2019-03-04T10:30:00+01:00",)"
      R"("valueCodeableConcept":{"coding":[{"system":"https://mfr-fhir.org/fhir/CodeSystem/restriction-grade","code":"2"}]},)"
      R"("bodySite":{"coding":[{"system":"http://snomed.info/sct","code":"73071006"}],"text":"T4, left"},)"
      R"("component":[{"code":{"coding":[{"system":"http://loinc.org","code":"72514-3"}]},"valueInteger":6}]})";
  if (!from.empty()) s.replace(s.find(from), from.size(), to);
  return s;
}
}  // namespace

TEST_CASE("truncated JSON is one fatal issue with its line and column", "[codec][bad-input]") {
  const codec::ImportResult r = codec::import_json("{\n  \"resourceType\": \"Observation\",\n  \"status\": ");
  REQUIRE(r.issues.size() == 1);
  CHECK(r.issues[0].severity == Severity::Fatal);
  CHECK(r.issues[0].where.line == 3);
  CHECK(r.issues[0].where.column == 13);
  CHECK(r.sessions.empty());
  const json::Value oo = validate::to_operation_outcome(r.issues);
  CHECK(oo.find("issue")->as_array()[0].find("location")->as_array()[0].as_string() == "Line[3] Col[13]");
}

TEST_CASE("a wrong element type is rejected with its FHIRPath", "[codec][bad-input]") {
  const codec::ImportResult r = codec::import_json(observation_line("\"valueInteger\":6", "\"valueInteger\":\"6\""));
  CHECK(r.rejected == 1);
  CHECK(r.sessions.empty());
  const codec::Issue* issue = find_issue(r, "Observation.component[0].valueInteger");
  REQUIRE(issue);
  CHECK(issue->severity == Severity::Error);
  CHECK(issue->code == codec::IssueType::Structure);
  CHECK_THAT(issue->diagnostics, Catch::Contains("must be a JSON number, not string"));
}

TEST_CASE("a pain score out of 0-10 is rejected as a value error", "[codec][bad-input]") {
  const codec::ImportResult r = codec::import_json(observation_line("\"valueInteger\":6", "\"valueInteger\":11"));
  const codec::Issue* issue = find_issue(r, "Observation.component[0].valueInteger");
  REQUIRE(issue);
  CHECK(issue->code == codec::IssueType::Value);
  CHECK(r.rejected == 1);
}

TEST_CASE("another resourceType is foreign, counted and skipped; a missing one is an error", "[codec][bad-input]") {
  const codec::ImportResult r = codec::import_json(R"({"resourceType":"Immunization","id":"x"})");
  CHECK_FALSE(codec::has_errors(r.issues));
  CHECK(r.resources == 0);
  CHECK(r.rejected == 0);
  CHECK(r.foreign == 1);
  bool skipped = false;
  for (const codec::Issue& i : r.issues)
    skipped |= i.severity == Severity::Information && i.code == codec::IssueType::Informational &&
               i.diagnostics == "A resource of type Immunization is not a skin-rolling record; it was counted as foreign and left out.";
  CHECK(skipped);
  const codec::ImportResult none = codec::import_json(R"({"id":"x"})");
  REQUIRE_FALSE(none.issues.empty());
  CHECK(none.issues[0].severity == Severity::Error);
  CHECK(none.rejected == 1);
}

TEST_CASE("one bad line in CRLF NDJSON does not stop the rest, and says which line", "[codec][bad-input][ndjson]") {
  const std::string procedure =
      R"({"resourceType":"Procedure","id":"p1","identifier":[{"system":"https://clinic.example/fhir/sessions","value":"S-1"}],"status":"completed","code":{"coding":[{"system":"https://mfr-fhir.org/fhir/CodeSystem/mfr","code":"skin-rolling"}]},"subject":{"reference":"Patient/1"},"performedPeriod":{"start":"2019-03-04T10:30:00+01:00"}})";
  const std::string text = procedure + "\r\n" + observation_line() + "\r\n" + "{\"resourceType\": \"Observation\", \r\n" +
                           "\r\n" + observation_line("T4, left", "T4, right") + "\r\n";
  const codec::ImportResult r = codec::import_ndjson(text);
  CHECK(r.resources == 4);
  CHECK(r.rejected == 1);
  REQUIRE(r.sessions.size() == 1);
  CHECK(r.sessions[0].findings.size() == 2);
  bool line3 = false;
  for (const codec::Issue& i : r.issues) line3 |= (i.record == 3 && i.severity == Severity::Fatal && i.where.line == 3);
  CHECK(line3);
}

TEST_CASE("session JSON errors name the JSON path of the field", "[codec][session-json][bad-input]") {
  std::vector<codec::Issue> issues;
  auto s = codec::sessions_from_json_text(
      R"({"id":"S-1","patient":"Patient/1","start":"2019-03-04T10:30:00+01:00","findings":[{"site":"T4","side":"left"},{"site":"T13","pain":12,"colour":"red"}]})",
      issues);
  CHECK_FALSE(s);
  std::vector<std::string> where;
  for (const auto& i : issues) where.push_back(i.expression);
  CHECK(where == std::vector<std::string>{"findings[1].colour", "findings[1].site", "findings[1].pain"});
}

TEST_CASE("session JSON needs id, patient and a FHIR start", "[codec][session-json][bad-input]") {
  std::vector<codec::Issue> issues;
  CHECK_FALSE(codec::sessions_from_json_text(R"({"start":"04/03/2019"})", issues));
  std::vector<std::string> where;
  for (const auto& i : issues) where.push_back(i.expression);
  CHECK(where == std::vector<std::string>{"id", "patient", "start"});
}
