// Base R4 structure rules: names, JSON types, cardinality, choices, bindings, references.
#include "helpers.hpp"

using namespace mfr;
using namespace mfr::validate;
using namespace mfr::validate::test;

TEST_CASE("an unknown element is a structure error at its own path", "[validate]") {
  auto obs = load("observation-example.json");
  require_no_errors(lenient(obs));
  obs["valueQuantity"]["precision"] = json::Value(2);
  require_issue(lenient(obs), Severity::Error, IssueType::Structure, "Observation.valueQuantity.precision");
  // Parsed text: the issue says where the value is.
  const auto issues = validate_text("{\"resourceType\": \"Observation\", \"status\": \"final\",\n \"code\": {\"text\": \"x\"}, \"colour\": \"red\"}",
                                    Strictness::Lenient);
  const Issue issue = issue_at(issues, "Observation.colour");
  CHECK(issue.code == IssueType::Structure);
  CHECK(issue.where.line == 2);
  CHECK(issue.where.column == 35);  // the value "red"
}

TEST_CASE("a choice type the element does not allow is an unknown element", "[validate]") {
  auto obs = load("observation-example.json");
  obs.erase("valueQuantity");
  obs["valueString"] = json::Value("185 lbs");
  require_no_errors(lenient(obs));
  obs.erase("valueString");
  obs["valueAttachment"] = parse(R"({"contentType":"text/plain"})");
  require_issue(lenient(obs), Severity::Error, IssueType::Structure, "Observation.valueAttachment");
}

TEST_CASE("only one type of a choice element may be present", "[validate]") {
  auto obs = load("observation-example.json");
  obs["valueString"] = json::Value("185 lbs");
  require_issue(lenient(obs), Severity::Error, IssueType::Structure, "Observation.valueString");
}

TEST_CASE("the _element twin of a primitive carries its id and extensions", "[validate]") {
  auto obs = load("observation-example.json");
  obs["_status"] = parse(R"({"extension":[{"url":"http://example.org/why","valueString":"checked twice"}]})");
  require_no_errors(lenient(obs));
  obs["_code"] = parse(R"({"id":"x1"})");
  require_issue(lenient(obs), Severity::Error, IssueType::Structure, "Observation._code");
}

TEST_CASE("a primitive with only extensions satisfies a required element", "[validate]") {
  auto obs = load("observation-example.json");
  obs.erase("status");
  obs["_status"] = parse(R"({"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/data-absent-reason","valueCode":"unknown"}]})");
  require_no_errors(lenient(obs));
}

TEST_CASE("a missing or unknown resourceType is reported", "[validate]") {
  auto obs = load("observation-example.json");
  obs.erase("resourceType");
  require_issue(lenient(obs), Severity::Error, IssueType::Required, "");
  obs["resourceType"] = json::Value("Observaton");
  require_issue(lenient(obs), Severity::Error, IssueType::Invalid, "");
  const auto practitioner = parse(R"({"resourceType":"Practitioner","id":"pr-7"})");
  const auto issues = lenient(practitioner);
  require_issue(issues, Severity::Information, IssueType::NotSupported, "Practitioner");
  require_no_errors(issues);
}

TEST_CASE("a primitive of the wrong JSON type is a structure error", "[validate]") {
  auto obs = load("mfr-finding.json");
  require_clean(strict(obs));
  obs["component"].as_array()[2]["valueBoolean"] = json::Value("true");
  require_issue(lenient(obs), Severity::Error, IssueType::Structure, "Observation.component[2].valueBoolean");
  obs = load("mfr-finding.json");
  obs["component"].as_array()[0]["valueInteger"] = json::Value("6");
  require_issue(lenient(obs), Severity::Error, IssueType::Structure, "Observation.component[0].valueInteger");
  obs = load("mfr-finding.json");
  obs["status"] = json::Value(1);
  require_issue(lenient(obs), Severity::Error, IssueType::Structure, "Observation.status");
  obs = load("mfr-finding.json");
  obs["code"] = json::Value("restriction");
  require_issue(lenient(obs), Severity::Error, IssueType::Structure, "Observation.code");
}

TEST_CASE("an array where a single value belongs is a structure error", "[validate]") {
  auto obs = load("observation-example.json");
  json::Value code = *obs.find("code");
  obs["code"] = json::Value::array();
  obs["code"].push_back(code);
  require_issue(lenient(obs), Severity::Error, IssueType::Structure, "Observation.code");
}

TEST_CASE("a single value where an array belongs is a structure error", "[validate]") {
  auto obs = load("observation-example.json");
  json::Value category = obs.find("category")->as_array()[0];
  obs["category"] = category;
  require_issue(lenient(obs), Severity::Error, IssueType::Structure, "Observation.category");
}

TEST_CASE("a missing required element is reported with the element's path", "[validate]") {
  auto obs = load("observation-example.json");
  obs.erase("code");
  require_issue(lenient(obs), Severity::Error, IssueType::Required, "Observation.code");
  auto bundle = parse(R"({"resourceType":"Bundle","type":"transaction","entry":[
    {"fullUrl":"urn:uuid:8f3c2f9e-7d5e-4c1b-9a4e-2b1f0c3d4e5f","resource":{"resourceType":"Patient"},"request":{"url":"Patient"}}]})");
  require_issue(lenient(bundle), Severity::Error, IssueType::Required, "Bundle.entry[0].request.method");
  bundle["entry"].as_array()[0]["request"]["method"] = json::Value("POST");
  require_no_errors(lenient(bundle));
}

TEST_CASE("a required choice is reported once under its FHIRPath name", "[validate]") {
  const auto ok = parse(R"({"resourceType":"Observation","status":"final","code":{"text":"x"},
    "extension":[{"url":"http://example.org/ctx","valueUsageContext":{"code":{"code":"focus"},"valueCodeableConcept":{"text":"adults"}}}]})");
  require_no_errors(lenient(ok));
  const auto bad = parse(R"({"resourceType":"Observation","status":"final","code":{"text":"x"},
    "extension":[{"url":"http://example.org/ctx","valueUsageContext":{"code":{"code":"focus"}}}]})");
  require_issue(lenient(bad), Severity::Error, IssueType::Required, "Observation.extension[0].valueUsageContext.value");
}

TEST_CASE("a member given twice is a structure error", "[validate]") {
  const auto obs = parse(R"({"resourceType":"Observation","status":"final","status":"amended","code":{"text":"x"}})");
  require_issue(lenient(obs), Severity::Error, IssueType::Structure, "Observation.status");
}

TEST_CASE("a code outside a required value set is code-invalid", "[validate]") {
  auto obs = load("observation-example.json");
  obs["status"] = json::Value("done");
  require_issue(lenient(obs), Severity::Error, IssueType::CodeInvalid, "Observation.status");
  obs["status"] = json::Value("corrected");
  require_no_errors(lenient(obs));
  obs["valueQuantity"]["comparator"] = json::Value("=<");
  require_issue(lenient(obs), Severity::Error, IssueType::CodeInvalid, "Observation.valueQuantity.comparator");
  obs["valueQuantity"]["comparator"] = json::Value("<=");
  require_no_errors(lenient(obs));
  auto bundle = parse(R"({"resourceType":"Bundle","type":"collection"})");
  require_no_errors(lenient(bundle));
  bundle["type"] = json::Value("bag");
  require_issue(lenient(bundle), Severity::Error, IssueType::CodeInvalid, "Bundle.type");
}

TEST_CASE("nested code systems of a required value set are all accepted", "[validate]") {
  // issue-type is hierarchical: "required" sits under "invalid".
  auto oo = parse(R"({"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"required"}]})");
  require_no_errors(lenient(oo));
  oo["issue"].as_array()[0]["code"] = json::Value("missing");
  require_issue(lenient(oo), Severity::Error, IssueType::CodeInvalid, "OperationOutcome.issue[0].code");
}

TEST_CASE("relative, absolute, urn:uuid and contained references are accepted", "[validate]") {
  auto obs = load("observation-example.json");
  for (const char* ref : {"Patient/example", "Patient/example/_history/2", "https://fhir.example.org/r4/Patient/77",
                          "urn:uuid:8f3c2f9e-7d5e-4c1b-9a4e-2b1f0c3d4e5f", "urn:oid:1.2.36.146.595.217.0.1"}) {
    obs["subject"]["reference"] = json::Value(ref);
    INFO(ref);
    require_no_errors(lenient(obs));
  }
  obs["subject"]["reference"] = json::Value("#p1");
  obs["contained"] = parse(R"([{"resourceType":"Patient","id":"p1","name":[{"family":"Doe"}]}])");
  require_no_errors(lenient(obs));
}

TEST_CASE("a malformed reference is a value error on .reference", "[validate]") {
  auto obs = load("observation-example.json");
  for (const char* ref : {"Patient/", "Patients/example", "Patient/ex ample", "urn:uuid:8F3C2F9E-7D5E-4C1B-9A4E-2B1F0C3D4E5F", "example"}) {
    obs["subject"]["reference"] = json::Value(ref);
    INFO(ref);
    require_issue(lenient(obs), Severity::Error, IssueType::Value, "Observation.subject.reference");
  }
}

TEST_CASE("a reference to a type the element does not allow is invalid", "[validate]") {
  auto obs = load("observation-example.json");
  obs["subject"]["reference"] = json::Value("Practitioner/example");
  require_issue(lenient(obs), Severity::Error, IssueType::Invalid, "Observation.subject.reference");
  obs["subject"]["reference"] = json::Value("https://fhir.example.org/r4/Practitioner/example");
  require_issue(lenient(obs), Severity::Error, IssueType::Invalid, "Observation.subject.reference");
  obs["subject"]["reference"] = json::Value("Group/g1");
  require_no_errors(lenient(obs));
}

TEST_CASE("a conditional reference is accepted only inside a transaction or batch Bundle", "[validate]") {
  auto obs = load("mfr-finding.json");
  obs["subject"]["reference"] = json::Value("Patient?identifier=https://clinic.example.org/mrn|1042");
  require_issue(lenient(obs), Severity::Error, IssueType::Invalid, "Observation.subject.reference");

  json::Value bundle = parse(R"({"resourceType":"Bundle","type":"transaction","entry":[{"fullUrl":"urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427",
    "request":{"method":"POST","url":"Observation","ifNoneExist":"identifier=https://clinic.example.org/fhir/sessions|2019-03-04-0001/73071006/left"}}]})");
  bundle["entry"].as_array()[0]["resource"] = obs;
  require_no_errors(lenient(bundle));
  bundle["type"] = json::Value("collection");
  bundle["entry"].as_array()[0].erase("request");
  require_issue(lenient(bundle), Severity::Error, IssueType::Invalid, "Bundle.entry[0].resource.subject.reference");
}

TEST_CASE("Bundle entries are validated recursively with their full path", "[validate]") {
  json::Value bundle = parse(R"({"resourceType":"Bundle","type":"collection","entry":[]})");
  json::Value e0 = json::Value::object();
  e0["fullUrl"] = json::Value("https://clinic.example.org/fhir/Procedure/session-2019-03-04-0001");
  e0["resource"] = load("mfr-procedure.json");
  json::Value e1 = json::Value::object();
  e1["fullUrl"] = json::Value("https://clinic.example.org/fhir/Observation/finding-2019-03-04-0001-t4-left");
  e1["resource"] = load("mfr-finding.json");
  bundle["entry"] = json::Value::array();
  bundle["entry"].push_back(e0);
  bundle["entry"].push_back(e1);
  require_clean(strict(bundle));
  bundle["entry"].as_array()[1]["resource"]["component"].as_array()[0]["valueInteger"] = json::Value::number("6.5");
  require_issue(strict(bundle), Severity::Error, IssueType::Value, "Bundle.entry[1].resource.component[0].valueInteger");
}

TEST_CASE("null is only allowed to align a primitive array with its extensions", "[validate]") {
  auto patient = parse(R"({"resourceType":"Patient","name":[{"given":["Ann",null],"_given":[null,{"extension":[
    {"url":"http://hl7.org/fhir/StructureDefinition/iso21090-EN-qualifier","valueCode":"IN"}]}]}]})");
  require_no_errors(lenient(patient));
  patient = parse(R"({"resourceType":"Patient","name":[{"given":["Ann",null]}]})");
  require_issue(lenient(patient), Severity::Error, IssueType::Structure, "Patient.name[0].given[1]");
  patient = parse(R"({"resourceType":"Patient","active":null})");
  require_issue(lenient(patient), Severity::Error, IssueType::Structure, "Patient.active");
}

TEST_CASE("a nested resource of the wrong type is a structure error", "[validate]") {
  auto bundle = parse(R"({"resourceType":"Bundle","type":"batch-response","entry":[{"response":{"status":"201 Created",
    "outcome":{"resourceType":"OperationOutcome","issue":[{"severity":"information","code":"informational"}]}}}]})");
  require_no_errors(lenient(bundle));
  bundle["entry"].as_array()[0]["response"]["outcome"]["resourceType"] = json::Value("Patient");
  require_issue(lenient(bundle), Severity::Error, IssueType::Structure, "Bundle.entry[0].response.outcome");
}

TEST_CASE("Attachment.contentType is bound (required) to MIME types", "[validate]") {
  auto doc = parse(R"({"resourceType":"DocumentReference","status":"current","content":[{"attachment":{"contentType":"text/plain; charset=utf-8","data":"UzogbG93"}}]})");
  require_clean(strict(doc));
  doc["content"].as_array()[0]["attachment"]["contentType"] = json::Value("plain text");
  require_issue(lenient(doc), Severity::Error, IssueType::CodeInvalid, "DocumentReference.content[0].attachment.contentType");
  require_issue(strict(doc), Severity::Error, IssueType::CodeInvalid, "DocumentReference.content[0].attachment.contentType");
}

TEST_CASE("a DocumentReference with a legacy note validates", "[validate]") {
  auto doc = parse(R"({"resourceType":"DocumentReference","status":"current","subject":{"reference":"Patient/p-1042"},
    "date":"2019-03-04T09:30:00+01:00","content":[{"attachment":{"contentType":"text/plain; charset=utf-8",
    "data":"UzogbG93IGJhY2sgcGFpbgpPOiBUMy1UNiBMICsrCg==","size":31}}]})");
  require_no_errors(lenient(doc));
  doc["content"].as_array()[0]["attachment"]["data"] = json::Value("not base64!");
  require_issue(lenient(doc), Severity::Error, IssueType::Value, "DocumentReference.content[0].attachment.data");
  doc["content"].as_array()[0]["attachment"]["data"] = json::Value("UzogbG93");
  doc["content"].as_array()[0]["attachment"]["size"] = json::Value(-1);
  require_issue(lenient(doc), Severity::Error, IssueType::Value, "DocumentReference.content[0].attachment.size");
  doc["content"].as_array()[0]["attachment"]["size"] = json::Value(8);
  doc["status"] = json::Value("final");
  require_issue(lenient(doc), Severity::Error, IssueType::CodeInvalid, "DocumentReference.status");
}

TEST_CASE("a JSON text that does not parse gives one fatal issue with line and column", "[validate]") {
  const auto issues = validate_text("{\n  \"resourceType\": \"Observation\",\n  \"status\": final\n}", Strictness::Lenient);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].severity == Severity::Fatal);
  CHECK(issues[0].code == IssueType::Structure);
  CHECK(issues[0].where.line == 3);
  CHECK(issues[0].where.column == 13);
}
