// The R4 invariants: one valid and one invalid case each, with the exact code, path and key.
#include "helpers.hpp"

using namespace mfr;
using namespace mfr::validate;
using namespace mfr::validate::test;

namespace {

json::Value transaction_with(json::Value resource) {
  json::Value bundle = parse(R"({"resourceType":"Bundle","type":"transaction","entry":[{"fullUrl":"urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427",
    "request":{"method":"POST","url":"Observation"}}]})");
  bundle["entry"].as_array()[0]["resource"] = std::move(resource);
  return bundle;
}

}  // namespace

TEST_CASE("ele-1: empty objects and strings are not elements", "[validate][invariant]") {
  auto obs = load("observation-example.json");
  obs["valueQuantity"] = json::Value::object();
  require_issue(lenient(obs), Severity::Error, IssueType::Invariant, "Observation.valueQuantity", "ele-1");
  obs = load("observation-example.json");
  obs["code"]["text"] = json::Value("");
  require_issue(lenient(obs), Severity::Error, IssueType::Invariant, "Observation.code.text", "ele-1");
  obs = load("observation-example.json");
  obs["valueQuantity"] = parse(R"({"id":"q1"})");
  require_issue(lenient(obs), Severity::Error, IssueType::Invariant, "Observation.valueQuantity", "ele-1");
  obs["valueQuantity"]["value"] = json::Value(185);
  require_no_errors(lenient(obs));
}

TEST_CASE("empty arrays are not allowed", "[validate][invariant]") {
  auto obs = load("observation-example.json");
  obs["performer"] = json::Value::array();
  require_issue(lenient(obs), Severity::Error, IssueType::Structure, "Observation.performer");
}

TEST_CASE("ext-1: an extension has a value or nested extensions, not both", "[validate][invariant]") {
  auto obs = load("observation-example.json");
  obs["extension"] = parse(R"([{"url":"http://example.org/a","extension":[{"url":"b","valueString":"c"}]}])");
  require_no_errors(lenient(obs));
  obs["extension"] = parse(R"([{"url":"http://example.org/a"}])");
  require_issue(lenient(obs), Severity::Error, IssueType::Invariant, "Observation.extension[0]", "ext-1");
  obs["extension"] = parse(R"([{"url":"http://example.org/a","valueString":"c","extension":[{"url":"b","valueString":"c"}]}])");
  require_issue(lenient(obs), Severity::Error, IssueType::Invariant, "Observation.extension[0]", "ext-1");
  obs["extension"] = parse(R"([{"valueString":"c"}])");
  require_issue(lenient(obs), Severity::Error, IssueType::Required, "Observation.extension[0].url");
}

TEST_CASE("obs-6: a value and a dataAbsentReason never come together", "[validate][invariant]") {
  auto obs = load("observation-example.json");
  obs["dataAbsentReason"] = parse(R"({"coding":[{"system":"http://terminology.hl7.org/CodeSystem/data-absent-reason","code":"unknown"}]})");
  require_issue(lenient(obs), Severity::Error, IssueType::Invariant, "Observation.dataAbsentReason", "obs-6");
  obs.erase("valueQuantity");
  require_no_errors(lenient(obs));
}

TEST_CASE("obs-7: with a value, no component repeats the observation's code", "[validate][invariant]") {
  auto obs = load("observation-example.json");
  obs["component"] = parse(R"([{"code":{"coding":[{"system":"http://loinc.org","code":"8302-2"}]},"valueQuantity":{"value":180}}])");
  require_no_errors(lenient(obs));
  obs["component"] = parse(R"([{"code":{"coding":[{"system":"http://loinc.org","code":"29463-7"}]},"valueQuantity":{"value":180}}])");
  require_issue(lenient(obs), Severity::Error, IssueType::Invariant, "Observation.component[0].code", "obs-7");
}

TEST_CASE("obs-7 compares every coding of the observation's code, however many", "[validate][invariant]") {
  // The first eight codings are looked up once; a ninth is still compared.
  auto obs = load("observation-example.json");
  json::Value& codings = obs["code"]["coding"];
  for (int i = 0; i < 8; ++i) codings.push_back(parse(R"({"system":"https://example.org/codes","code":"c)" + std::to_string(i) + "\"}"));
  REQUIRE(codings.as_array().size() > 8);
  const std::string last = std::string(codings.as_array().back().string_at("code").value());
  obs["component"] = parse(R"([{"code":{"coding":[{"system":"https://example.org/codes","code":"other"}]},"valueQuantity":{"value":1}}])");
  require_no_errors(lenient(obs));
  obs["component"] = parse(R"([{"code":{"coding":[{"system":"https://example.org/codes","code":")" + last + R"("}]},"valueQuantity":{"value":1}},
                              {"code":{"coding":[{"system":"http://loinc.org","code":"29463-7"}]},"valueQuantity":{"value":1}}])");
  const auto issues = lenient(obs);
  require_issue(issues, Severity::Error, IssueType::Invariant, "Observation.component[0].code", "obs-7");
  require_issue(issues, Severity::Error, IssueType::Invariant, "Observation.component[1].code", "obs-7");
}

TEST_CASE("obs-3: a reference range needs low, high or text", "[validate][invariant]") {
  auto obs = load("observation-example.json");
  obs["referenceRange"] = parse(R"([{"text":"normal"}])");
  require_no_errors(lenient(obs));
  obs["referenceRange"] = parse(R"([{"appliesTo":[{"text":"adults"}]}])");
  require_issue(lenient(obs), Severity::Error, IssueType::Invariant, "Observation.referenceRange[0]", "obs-3");
}

TEST_CASE("a SimpleQuantity has no comparator", "[validate][invariant]") {
  auto obs = load("observation-example.json");
  obs["referenceRange"] = parse(R"([{"low":{"value":1,"comparator":">"}}])");
  require_issue(lenient(obs), Severity::Error, IssueType::Structure, "Observation.referenceRange[0].low.comparator");
}

TEST_CASE("per-1: a period does not end before it starts", "[validate][invariant]") {
  auto proc = load("mfr-procedure.json");
  require_no_errors(lenient(proc));
  proc["performedPeriod"]["end"] = json::Value("2019-03-04T09:00:00+01:00");
  require_issue(lenient(proc), Severity::Error, IssueType::Invariant, "Procedure.performedPeriod.end", "per-1");
  proc["performedPeriod"]["end"] = json::Value("2019-03-04T08:45:00Z");  // 09:45 in +01:00
  require_no_errors(lenient(proc));
}

TEST_CASE("qty-3: a unit code needs its system", "[validate][invariant]") {
  auto obs = load("observation-example.json");
  obs["valueQuantity"].erase("system");
  require_issue(lenient(obs), Severity::Error, IssueType::Invariant, "Observation.valueQuantity.system", "qty-3");
  obs["valueQuantity"].erase("code");
  require_no_errors(lenient(obs));
}

TEST_CASE("att-1: attachment data needs a contentType", "[validate][invariant]") {
  auto doc = parse(R"({"resourceType":"DocumentReference","status":"current","content":[{"attachment":{"data":"UzogbG93"}}]})");
  require_issue(lenient(doc), Severity::Error, IssueType::Invariant, "DocumentReference.content[0].attachment.contentType", "att-1");
  doc["content"].as_array()[0]["attachment"]["contentType"] = json::Value("text/plain; charset=utf-8");
  require_no_errors(lenient(doc));
}

TEST_CASE("pat-1: a patient contact has some details", "[validate][invariant]") {
  auto patient = parse(R"({"resourceType":"Patient","contact":[{"name":{"family":"Doe"}}]})");
  require_no_errors(lenient(patient));
  patient = parse(R"({"resourceType":"Patient","contact":[{"gender":"female"}]})");
  require_issue(lenient(patient), Severity::Error, IssueType::Invariant, "Patient.contact[0]", "pat-1");
}

TEST_CASE("txt-2: the narrative has content", "[validate][invariant]") {
  auto obs = load("observation-example.json");
  obs["text"]["div"] = json::Value("<div xmlns=\"http://www.w3.org/1999/xhtml\"> <p> </p></div>");
  require_issue(lenient(obs), Severity::Error, IssueType::Invariant, "Observation.text.div", "txt-2");
}

TEST_CASE("ref-1: a local reference needs the contained resource", "[validate][invariant]") {
  auto obs = load("observation-example.json");
  obs["performer"] = parse(R"([{"reference":"#pr1"}])");
  require_issue(lenient(obs), Severity::Error, IssueType::Invariant, "Observation.performer[0].reference", "ref-1");
  obs["contained"] = parse(R"([{"resourceType":"Patient","id":"pr1"}])");
  require_no_errors(lenient(obs));
}

TEST_CASE("dom-2 to dom-5: the rules of contained resources", "[validate][invariant]") {
  auto obs = load("observation-example.json");
  obs["subject"]["reference"] = json::Value("#p1");
  obs["contained"] = parse(R"([{"resourceType":"Patient","id":"p1","meta":{"tag":[{"code":"x"}]}}])");
  require_no_errors(lenient(obs));

  SECTION("dom-2: no contained inside contained") {
    obs["contained"].as_array()[0]["contained"] = parse(R"([{"resourceType":"Patient","id":"p2"}])");
    require_issue(lenient(obs), Severity::Error, IssueType::Invariant, "Observation.contained[0].contained", "dom-2");
  }
  SECTION("dom-3: a contained resource is referenced") {
    obs["subject"]["reference"] = json::Value("Patient/example");
    require_issue(lenient(obs), Severity::Error, IssueType::Invariant, "Observation.contained[0]", "dom-3");
  }
  SECTION("dom-3: or it refers to its container") {
    obs["subject"]["reference"] = json::Value("Patient/example");
    obs["contained"].as_array()[0]["link"] = parse(R"([{"other":{"reference":"#"},"type":"seealso"}])");
    require_no_errors(lenient(obs));
  }
  SECTION("dom-4: no versionId or lastUpdated") {
    obs["contained"].as_array()[0]["meta"]["versionId"] = json::Value("2");
    obs["contained"].as_array()[0]["meta"]["lastUpdated"] = json::Value("2019-03-04T09:30:00Z");
    const auto issues = lenient(obs);
    require_issue(issues, Severity::Error, IssueType::Invariant, "Observation.contained[0].meta.versionId", "dom-4");
    require_issue(issues, Severity::Error, IssueType::Invariant, "Observation.contained[0].meta.lastUpdated", "dom-4");
  }
  SECTION("dom-5: no security labels") {
    obs["contained"].as_array()[0]["meta"]["security"] = parse(R"([{"system":"http://terminology.hl7.org/CodeSystem/v3-Confidentiality","code":"R"}])");
    require_issue(lenient(obs), Severity::Error, IssueType::Invariant, "Observation.contained[0].meta.security", "dom-5");
  }
}

TEST_CASE("bdl-1: total only in a searchset or history", "[validate][invariant]") {
  auto bundle = parse(R"({"resourceType":"Bundle","type":"searchset","total":0})");
  require_no_errors(lenient(bundle));
  bundle["type"] = json::Value("collection");
  require_issue(lenient(bundle), Severity::Error, IssueType::Invariant, "Bundle.total", "bdl-1");
}

TEST_CASE("bdl-2: entry.search only in a searchset", "[validate][invariant]") {
  auto bundle = parse(R"({"resourceType":"Bundle","type":"searchset","entry":[{"fullUrl":"https://x.org/fhir/Patient/1",
    "resource":{"resourceType":"Patient","id":"1"},"search":{"mode":"match"}}]})");
  require_no_errors(lenient(bundle));
  bundle["type"] = json::Value("collection");
  require_issue(lenient(bundle), Severity::Error, IssueType::Invariant, "Bundle.entry[0].search", "bdl-2");
}

TEST_CASE("bdl-3: entry.request in batch, transaction and history only, and there always", "[validate][invariant]") {
  auto bundle = transaction_with(load("mfr-finding.json"));
  require_no_errors(lenient(bundle));
  bundle["entry"].as_array()[0].erase("request");
  require_issue(lenient(bundle), Severity::Error, IssueType::Invariant, "Bundle.entry[0].request", "bdl-3");
  bundle = transaction_with(load("mfr-finding.json"));
  bundle["type"] = json::Value("collection");
  require_issue(lenient(bundle), Severity::Error, IssueType::Invariant, "Bundle.entry[0].request", "bdl-3");
}

TEST_CASE("bdl-4: entry.response in responses and history only, and there always", "[validate][invariant]") {
  auto bundle = parse(R"({"resourceType":"Bundle","type":"transaction-response","entry":[{"response":{"status":"201 Created","location":"Observation/1/_history/1"}}]})");
  require_no_errors(lenient(bundle));
  bundle["type"] = json::Value("searchset");
  require_issue(lenient(bundle), Severity::Error, IssueType::Invariant, "Bundle.entry[0].response", "bdl-4");
  bundle = parse(R"({"resourceType":"Bundle","type":"transaction-response","entry":[{"fullUrl":"https://x.org/fhir/Patient/1","resource":{"resourceType":"Patient"}}]})");
  require_issue(lenient(bundle), Severity::Error, IssueType::Invariant, "Bundle.entry[0].response", "bdl-4");
}

TEST_CASE("bdl-5: an entry has a resource, a request or a response", "[validate][invariant]") {
  auto bundle = parse(R"({"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"https://x.org/fhir/Patient/1"}]})");
  require_issue(lenient(bundle), Severity::Error, IssueType::Invariant, "Bundle.entry[0]", "bdl-5");
  bundle["entry"].as_array()[0]["resource"] = parse(R"({"resourceType":"Patient","id":"1"})");
  require_no_errors(lenient(bundle));
}

TEST_CASE("bdl-7: fullUrl is unique unless versions differ or it is a history", "[validate][invariant]") {
  auto bundle = parse(R"({"resourceType":"Bundle","type":"collection","entry":[
    {"fullUrl":"https://x.org/fhir/Patient/1","resource":{"resourceType":"Patient","id":"1","meta":{"versionId":"1"}}},
    {"fullUrl":"https://x.org/fhir/Patient/1","resource":{"resourceType":"Patient","id":"1","meta":{"versionId":"2"}}}]})");
  require_no_errors(lenient(bundle));
  bundle["entry"].as_array()[1]["resource"]["meta"]["versionId"] = json::Value("1");
  require_issue(lenient(bundle), Severity::Error, IssueType::Invariant, "Bundle.entry[1].fullUrl", "bdl-7");
}

TEST_CASE("bdl-8: fullUrl is not version specific", "[validate][invariant]") {
  auto bundle = parse(R"({"resourceType":"Bundle","type":"collection","entry":[
    {"fullUrl":"https://x.org/fhir/Patient/1/_history/3","resource":{"resourceType":"Patient","id":"1"}}]})");
  require_issue(lenient(bundle), Severity::Error, IssueType::Invariant, "Bundle.entry[0].fullUrl", "bdl-8");
  bundle["entry"].as_array()[0]["fullUrl"] = json::Value("https://x.org/fhir/Patient/1");
  require_no_errors(lenient(bundle));
}

TEST_CASE("bdl-9, bdl-10, bdl-11: a document has identifier, timestamp and a Composition first", "[validate][invariant]") {
  auto bundle = parse(R"({"resourceType":"Bundle","type":"document",
    "identifier":{"system":"urn:ietf:rfc:3986","value":"urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0"},"timestamp":"2019-03-04T10:10:00+01:00",
    "entry":[{"fullUrl":"urn:uuid:2b1f0c3d-4e5f-4c1b-9a4e-8f3c2f9e7d5e","resource":{"resourceType":"Composition","id":"c1"}}]})");
  require_no_errors(lenient(bundle));
  bundle.erase("identifier");
  bundle.erase("timestamp");
  bundle["entry"].as_array()[0]["resource"] = parse(R"({"resourceType":"Patient","id":"p1"})");
  const auto issues = lenient(bundle);
  require_issue(issues, Severity::Error, IssueType::Invariant, "Bundle.identifier", "bdl-9");
  require_issue(issues, Severity::Error, IssueType::Invariant, "Bundle.timestamp", "bdl-10");
  require_issue(issues, Severity::Error, IssueType::Invariant, "Bundle.entry[0].resource", "bdl-11");
}

TEST_CASE("bdl-12: a message has a MessageHeader first", "[validate][invariant]") {
  auto bundle = parse(R"({"resourceType":"Bundle","type":"message",
    "entry":[{"fullUrl":"urn:uuid:2b1f0c3d-4e5f-4c1b-9a4e-8f3c2f9e7d5e","resource":{"resourceType":"MessageHeader","id":"m1"}}]})");
  require_no_errors(lenient(bundle));
  bundle["entry"].as_array()[0]["resource"]["resourceType"] = json::Value("Patient");
  require_issue(lenient(bundle), Severity::Error, IssueType::Invariant, "Bundle.entry[0].resource", "bdl-12");
}
