// Real-world shapes: the FHIR R4 specification's examples, other clinics' resources, and the
// OperationOutcome we answer with.
#include "helpers.hpp"

using namespace mfr;
using namespace mfr::validate;
using namespace mfr::validate::test;

TEST_CASE("the specification's Observation and Procedure examples are accepted in Lenient mode", "[validate][examples]") {
  for (const char* name : {"observation-example.json", "observation-example-bloodpressure.json", "procedure-example.json",
                           "procedure-example-biopsy.json"}) {
    INFO(name);
    const auto issues = lenient(load(name));
    require_no_errors(issues);
    // They do not claim our profile, so not even a warning.
    require_clean(issues);
  }
}

TEST_CASE("a foreign manual-therapy Procedure with our code gets profile warnings, not errors", "[validate][examples]") {
  auto proc = load("procedure-example.json");
  proc["code"]["coding"].push_back(parse(R"({"system":"https://mfr-fhir.org/fhir/CodeSystem/mfr","code":"skin-rolling"})"));
  const auto issues = lenient(proc);
  require_no_errors(issues);
  require_issue(issues, Severity::Warning, IssueType::Structure, "Procedure.performed", "mfr-procedure-performed");
  require_issue(issues, Severity::Warning, IssueType::Required, "Procedure.identifier", "mfr-procedure-identifier");
}

TEST_CASE("no issue gives an OperationOutcome with one information issue", "[validate][outcome]") {
  const json::Value oo = to_operation_outcome(std::vector<Issue>{});
  CHECK(oo.string_at("resourceType") == "OperationOutcome");
  REQUIRE(oo.find("issue")->size() == 1);
  const json::Value& issue = oo.find("issue")->as_array()[0];
  CHECK(issue.string_at("severity") == "information");
  CHECK(issue.string_at("code") == "informational");
  CHECK(issue.string_at("diagnostics") == "No issues found.");
  require_clean(strict(oo));
}

TEST_CASE("issues become an OperationOutcome with expression, location and line extensions", "[validate][outcome]") {
  const std::string text = "{\n  \"resourceType\": \"Observation\",\n  \"status\": \"final\",\n  \"code\": {\"text\": \"x\"},\n"
                           "  \"valueInteger\": \"6\"\n}";
  const auto issues = validate_text(text, Strictness::Lenient);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].where.line == 5);
  CHECK(issues[0].where.column == 19);
  const json::Value oo = to_operation_outcome(issues);
  const json::Value& issue = oo.find("issue")->as_array()[0];
  CHECK(issue.string_at("severity") == "error");
  CHECK(issue.string_at("code") == "structure");
  CHECK(issue.find("expression")->as_array()[0].as_string() == "Observation.valueInteger");
  CHECK(issue.find("location")->as_array()[0].as_string() == "Line[5] Col[19]");
  const auto& ext = issue.find("extension")->as_array();
  REQUIRE(ext.size() == 2);
  CHECK(ext[0].string_at("url") == "http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-line");
  CHECK(ext[0].find("valueInteger")->as_integer() == 5);
  CHECK(ext[1].find("valueInteger")->as_integer() == 19);
  // What we answer with is itself valid R4.
  require_clean(strict(oo));
}

TEST_CASE("a JSON syntax error becomes a fatal OperationOutcome with line and column", "[validate][outcome]") {
  try {
    (void)json::Value::parse("{\n  \"resourceType\": \"Observation\",\n  \"status\": \"final\"\n  \"code\": {}\n}");
    FAIL("the text should not parse");
  } catch (const json::ParseError& e) {
    const json::Value oo = to_operation_outcome(e);
    const json::Value& issue = oo.find("issue")->as_array()[0];
    CHECK(issue.string_at("severity") == "fatal");
    CHECK(issue.string_at("code") == "structure");
    CHECK(issue.find("expression") == nullptr);
    CHECK(issue.find("location")->as_array()[0].as_string() ==
          "Line[" + std::to_string(e.where().line) + "] Col[" + std::to_string(e.where().column) + "]");
    CHECK(e.where().line == 4);
    require_clean(strict(oo));
  }
}
