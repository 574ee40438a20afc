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

TEST_CASE("other clinics' resources in the codec's test data have no errors in Lenient mode", "[validate][examples]") {
  for (const char* name : {"bundle-searchset.json", "observation-extensions-decimals.json", "observation-pain-quantity.json",
                           "procedure-manual-therapy.json"}) {
    INFO(name);
    std::ifstream in(std::string(MFR_TEST_DATA) + "/fhir/foreign/" + name, std::ios::binary);
    REQUIRE(in);
    std::stringstream ss;
    ss << in.rdbuf();
    require_no_errors(validate_text(ss.str(), Strictness::Lenient));
  }
}

TEST_CASE("a transaction Bundle as we send it passes Strict mode", "[validate][examples]") {
  json::Value bundle = parse(R"({"resourceType":"Bundle","type":"transaction","entry":[
    {"fullUrl":"urn:uuid:5f1d7b3e-2c4a-5e8f-9b6d-1a2b3c4d5e6f","request":{"method":"POST","url":"Procedure",
      "ifNoneExist":"identifier=https://clinic.example.org/fhir/sessions|2019-03-04-0001"}},
    {"fullUrl":"urn:uuid:7a8b9c0d-1e2f-5a3b-8c4d-5e6f7a8b9c0d","request":{"method":"POST","url":"Observation",
      "ifNoneExist":"identifier=https://clinic.example.org/fhir/sessions|2019-03-04-0001/73071006/left"}}]})");
  json::Value procedure = load("mfr-procedure.json");
  json::Value finding = load("mfr-finding.json");
  procedure.erase("id");
  finding.erase("id");
  procedure["subject"]["reference"] = json::Value("Patient?identifier=https://clinic.example.org/mrn|1042");
  finding["subject"]["reference"] = json::Value("Patient?identifier=https://clinic.example.org/mrn|1042");
  finding["partOf"].as_array()[0]["reference"] = json::Value("urn:uuid:5f1d7b3e-2c4a-5e8f-9b6d-1a2b3c4d5e6f");
  bundle["entry"].as_array()[0]["resource"] = procedure;
  bundle["entry"].as_array()[1]["resource"] = finding;
  require_clean(strict(bundle));
  // The same fullUrl twice would let the server merge two records (bdl-7).
  bundle["entry"].as_array()[1]["fullUrl"] = json::Value("urn:uuid:5f1d7b3e-2c4a-5e8f-9b6d-1a2b3c4d5e6f");
  require_issue(strict(bundle), Severity::Error, IssueType::Invariant, "Bundle.entry[1].fullUrl", "bdl-7");
}

TEST_CASE("a urn:uuid reference in a Bundle names one of its entries (a warning)", "[validate][examples]") {
  json::Value bundle = parse(R"({"resourceType":"Bundle","type":"transaction","entry":[
    {"fullUrl":"urn:uuid:5f1d7b3e-2c4a-5e8f-9b6d-1a2b3c4d5e6f","request":{"method":"POST","url":"Procedure"}},
    {"fullUrl":"urn:uuid:7a8b9c0d-1e2f-5a3b-8c4d-5e6f7a8b9c0d","request":{"method":"POST","url":"Observation"}}]})");
  json::Value finding = load("mfr-finding.json");
  finding["partOf"].as_array()[0]["reference"] = json::Value("urn:uuid:5f1d7b3e-2c4a-5e8f-9b6d-1a2b3c4d5e6f");
  bundle["entry"].as_array()[0]["resource"] = load("mfr-procedure.json");
  bundle["entry"].as_array()[1]["resource"] = finding;
  require_clean(strict(bundle));

  // A uuid no entry has: the server could not resolve it.
  bundle["entry"].as_array()[1]["resource"]["partOf"].as_array()[0]["reference"] =
      json::Value("urn:uuid:0a0b0c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d");
  const std::string at = "Bundle.entry[1].resource.partOf[0].reference";
  require_issue(lenient(bundle), Severity::Warning, IssueType::Invalid, at, "mfr-bundle-reference");
  require_issue(strict(bundle), Severity::Warning, IssueType::Invalid, at, "mfr-bundle-reference");
  require_no_errors(strict(bundle));

  // Outside a Bundle there is nothing to resolve it against: no issue.
  require_no_issue_at(strict(bundle["entry"].as_array()[1]["resource"]), "Observation.partOf[0].reference");

  // A Bundle inside an entry resolves against its own entries, and the outer one against its own.
  json::Value inner = parse(R"({"resourceType":"Bundle","type":"collection","entry":[
    {"fullUrl":"urn:uuid:0a0b0c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d","resource":{"resourceType":"Patient","id":"p1"}}]})");
  inner["entry"].as_array()[0]["resource"]["link"] =
      parse(R"([{"other":{"reference":"urn:uuid:5f1d7b3e-2c4a-5e8f-9b6d-1a2b3c4d5e6f"},"type":"seealso"}])");
  bundle["entry"].push_back(parse(R"({"fullUrl":"urn:uuid:9a0b0c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d","request":{"method":"POST","url":"Bundle"}})"));
  bundle["entry"].as_array()[2]["resource"] = inner;
  // After the inner Bundle, the outer one's entries again (not the inner one's).
  json::Value after = parse(R"({"fullUrl":"urn:uuid:8a0b0c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d","request":{"method":"POST","url":"Observation"}})");
  after["resource"] = finding;
  after["resource"]["partOf"].as_array()[0]["reference"] = json::Value("urn:uuid:0a0b0c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d");
  after["resource"]["identifier"].as_array()[0]["value"] = json::Value("another");
  bundle["entry"].push_back(after);
  const auto issues = lenient(bundle);
  require_issue(issues, Severity::Warning, IssueType::Invalid, "Bundle.entry[2].resource.entry[0].resource.link[0].other.reference",
                "mfr-bundle-reference");
  require_issue(issues, Severity::Warning, IssueType::Invalid, at, "mfr-bundle-reference");
  require_issue(issues, Severity::Warning, IssueType::Invalid, "Bundle.entry[3].resource.partOf[0].reference", "mfr-bundle-reference");
}

TEST_CASE("a minimal Patient is validated for its elements and bindings", "[validate][examples]") {
  auto patient = parse(R"({"resourceType":"Patient","id":"p-1042","identifier":[{"system":"https://clinic.example.org/mrn","value":"1042"}],
    "name":[{"use":"official","family":"Martin","given":["Claire"]}],"gender":"female","birthDate":"1971-06-02"})");
  require_clean(strict(patient));
  patient["gender"] = json::Value("F");
  require_issue(lenient(patient), Severity::Error, IssueType::CodeInvalid, "Patient.gender");
  patient["gender"] = json::Value("female");
  patient["birthDate"] = json::Value("02/06/1971");
  require_issue(lenient(patient), Severity::Error, IssueType::Value, "Patient.birthDate");
  patient["birthDate"] = json::Value("1971-06-02");
  patient["name"].as_array()[0]["given"] = json::Value("Claire");
  require_issue(lenient(patient), Severity::Error, IssueType::Structure, "Patient.name[0].given");
}
