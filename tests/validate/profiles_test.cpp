// Our profiles: every departure is an error in Strict mode and a warning in Lenient mode.
#include "helpers.hpp"

using namespace mfr;
using namespace mfr::validate;
using namespace mfr::validate::test;

namespace {

// The departure is an error when strict, a warning when lenient, and nothing else is wrong.
void require_departure(const json::Value& resource, IssueType code, std::string_view expression, std::string_view rule) {
  require_issue(strict(resource), Severity::Error, code, expression, rule);
  const auto issues = lenient(resource);
  require_issue(issues, Severity::Warning, code, expression, rule);
  require_no_errors(issues);
}

json::Value& component(json::Value& obs, std::size_t i) { return obs["component"].as_array()[i]; }

}  // namespace

TEST_CASE("the Procedure and Observation we emit pass Strict mode with no issue", "[validate][profile]") {
  const auto procedure = strict(load("mfr-procedure.json"));
  INFO(describe(procedure));
  CHECK(procedure.empty());
  const auto finding = strict(load("mfr-finding.json"));
  INFO(describe(finding));
  CHECK(finding.empty());
}

TEST_CASE("a resource claims our profile by meta.profile or by our code", "[validate][profile]") {
  auto proc = load("mfr-procedure.json");
  proc.erase("meta");
  proc.erase("category");
  require_issue(strict(proc), Severity::Error, IssueType::Required, "Procedure.category", "mfr-procedure-category");
  // Neither the profile nor our code: a plain R4 Procedure, no profile rules.
  auto plain = load("procedure-example.json");
  require_clean(strict(plain));
  plain["meta"]["profile"].push_back(json::Value("https://mfr-fhir.org/fhir/StructureDefinition/mfr-skin-rolling-procedure|0.1.0"));
  require_issue(strict(plain), Severity::Error, IssueType::Required, "Procedure.category", "mfr-procedure-category");
}

TEST_CASE("the procedure profile's rules", "[validate][profile]") {
  auto proc = load("mfr-procedure.json");
  SECTION("status") {
    proc["status"] = json::Value("preparation");
    require_departure(proc, IssueType::CodeInvalid, "Procedure.status", "mfr-procedure-status");
  }
  SECTION("category") {
    proc["category"]["coding"].as_array()[0]["code"] = json::Value("229065009");
    require_departure(proc, IssueType::Required, "Procedure.category", "mfr-procedure-category");
  }
  SECTION("the CPT code") {
    proc["code"]["coding"].as_array().pop_back();
    require_departure(proc, IssueType::Required, "Procedure.code.coding", "mfr-procedure-code");
  }
  SECTION("code text") {
    proc["code"].erase("text");
    require_departure(proc, IssueType::Required, "Procedure.code.text", "mfr-procedure-code");
  }
  SECTION("us-core-7: performed when completed") {
    proc.erase("performedPeriod");
    require_departure(proc, IssueType::Invariant, "Procedure.performed", "us-core-7");
    proc["status"] = json::Value("not-done");
    require_clean(strict(proc));
  }
  SECTION("performedPeriod.start when completed") {
    proc["performedPeriod"].erase("start");
    require_departure(proc, IssueType::Required, "Procedure.performedPeriod.start", "mfr-procedure-performed");
  }
  SECTION("performed as a Period") {
    proc.erase("performedPeriod");
    proc["performedDateTime"] = json::Value("2019-03-04T09:30:00+01:00");
    require_departure(proc, IssueType::Structure, "Procedure.performed", "mfr-procedure-performed");
  }
  SECTION("identifier") {
    proc["identifier"].as_array()[0].erase("system");
    require_departure(proc, IssueType::Required, "Procedure.identifier", "mfr-procedure-identifier");
  }
  SECTION("body sites") {
    proc["bodySite"].as_array()[1]["coding"].as_array()[0]["code"] = json::Value("368209003");
    require_departure(proc, IssueType::CodeInvalid, "Procedure.bodySite[1].coding[0].code", "mfr-procedure-bodysite");
  }
}

TEST_CASE("the finding profile's coded elements", "[validate][profile]") {
  auto obs = load("mfr-finding.json");
  SECTION("status") {
    obs["status"] = json::Value("preliminary");
    require_departure(obs, IssueType::CodeInvalid, "Observation.status", "mfr-finding-status");
  }
  SECTION("category") {
    obs["category"].as_array()[0]["coding"].as_array()[0]["code"] = json::Value("vital-signs");
    require_departure(obs, IssueType::Required, "Observation.category", "mfr-finding-category");
  }
  SECTION("code") {
    obs["code"]["coding"].as_array().pop_back();
    require_departure(obs, IssueType::Required, "Observation.code.coding", "mfr-finding-code");
  }
  SECTION("method") {
    obs.erase("method");
    require_departure(obs, IssueType::Required, "Observation.method", "mfr-finding-method");
  }
  SECTION("partOf, subject, effectiveDateTime, identifier") {
    obs.erase("partOf");
    require_departure(obs, IssueType::Required, "Observation.partOf", "mfr-finding-partof");
    obs = load("mfr-finding.json");
    obs.erase("effectiveDateTime");
    obs["effectivePeriod"] = parse(R"({"start":"2019-03-04T09:30:00+01:00"})");
    require_departure(obs, IssueType::Required, "Observation.effective", "mfr-finding-effective");
    obs = load("mfr-finding.json");
    obs.erase("subject");
    require_departure(obs, IssueType::Required, "Observation.subject", "mfr-finding-subject");
    obs = load("mfr-finding.json");
    obs.erase("identifier");
    require_departure(obs, IssueType::Required, "Observation.identifier", "mfr-finding-identifier");
  }
}

TEST_CASE("the finding's body site is one vertebra or region with optional laterality", "[validate][profile]") {
  auto obs = load("mfr-finding.json");
  SECTION("a code that is no vertebra or region") {
    obs["bodySite"]["coding"].as_array()[0]["code"] = json::Value("368209003");
    require_departure(obs, IssueType::CodeInvalid, "Observation.bodySite.coding[0].code", "mfr-finding-bodysite");
  }
  SECTION("two SNOMED codes") {
    obs["bodySite"]["coding"].push_back(parse(R"({"system":"http://snomed.info/sct","code":"56401006"})"));
    require_departure(obs, IssueType::Structure, "Observation.bodySite.coding", "mfr-finding-bodysite");
  }
  SECTION("a region off the spine, and an uncoded site with text") {
    obs["bodySite"]["coding"].as_array()[0]["code"] = json::Value("31764008");
    require_clean(strict(obs));
    obs["bodySite"].erase("coding");
    require_clean(strict(obs));
    obs["bodySite"].erase("text");
    require_departure(obs, IssueType::Required, "Observation.bodySite.text", "mfr-finding-bodysite");
  }
  SECTION("missing") {
    obs.erase("bodySite");
    require_departure(obs, IssueType::Required, "Observation.bodySite", "mfr-finding-bodysite");
  }
  SECTION("laterality right is fine, anything else is not") {
    auto& lat = obs["bodySite"]["extension"].as_array()[0]["valueCodeableConcept"]["coding"].as_array()[0];
    lat["code"] = json::Value("24028007");
    require_clean(strict(obs));
    lat["code"] = json::Value("51440002");  // bilateral: we write two findings instead
    require_departure(obs, IssueType::CodeInvalid, "Observation.bodySite.extension[0].valueCodeableConcept", "mfr-finding-laterality");
  }
  SECTION("laterality as a code instead of a CodeableConcept") {
    obs["bodySite"]["extension"].as_array()[0] = parse(R"({"url":"https://mfr-fhir.org/fhir/StructureDefinition/laterality","valueCode":"left"})");
    require_departure(obs, IssueType::Structure, "Observation.bodySite.extension[0]", "mfr-finding-laterality");
  }
}

TEST_CASE("the restriction grade is 0-3 with a matching ordinalValue", "[validate][profile]") {
  auto obs = load("mfr-finding.json");
  auto& coding = obs["valueCodeableConcept"]["coding"].as_array()[0];
  SECTION("grade 4") {
    coding["code"] = json::Value("4");
    require_departure(obs, IssueType::CodeInvalid, "Observation.valueCodeableConcept.coding[0].code", "mfr-finding-grade");
  }
  SECTION("ordinalValue missing") {
    coding.erase("extension");
    require_departure(obs, IssueType::Required, "Observation.valueCodeableConcept.coding[0].extension", "mfr-finding-grade");
  }
  SECTION("ordinalValue not the grade") {
    coding["extension"].as_array()[0]["valueDecimal"] = json::Value(2);
    require_departure(obs, IssueType::Value, "Observation.valueCodeableConcept.coding[0].extension[0].valueDecimal", "mfr-finding-grade");
  }
  SECTION("a value of another type") {
    obs.erase("valueCodeableConcept");
    obs["valueInteger"] = json::Value(3);
    require_departure(obs, IssueType::Structure, "Observation.valueInteger", "mfr-finding-grade");
  }
  SECTION("no grade needs a dataAbsentReason") {
    obs.erase("valueCodeableConcept");
    require_departure(obs, IssueType::Required, "Observation.dataAbsentReason", "mfr-finding-grade");
    obs["dataAbsentReason"] = parse(R"({"coding":[{"system":"http://terminology.hl7.org/CodeSystem/data-absent-reason","code":"not-performed"}]})");
    require_clean(strict(obs));
  }
}

TEST_CASE("the finding's components: pain 0-10, VAS 0-100 mm, tender, release", "[validate][profile]") {
  auto obs = load("mfr-finding.json");
  SECTION("pain 11") {
    component(obs, 0)["valueInteger"] = json::Value(11);
    require_departure(obs, IssueType::Value, "Observation.component[0].valueInteger", "mfr-finding-pain");
    component(obs, 0)["valueInteger"] = json::Value(0);
    require_clean(strict(obs));
  }
  SECTION("pain as a quantity") {
    component(obs, 0).erase("valueInteger");
    component(obs, 0)["valueQuantity"] = parse(R"({"value":6})");
    require_departure(obs, IssueType::Structure, "Observation.component[0].valueQuantity", "mfr-finding-component");
  }
  SECTION("VAS over 100 mm") {
    component(obs, 1)["valueQuantity"]["value"] = json::Value::number("100.5");
    require_departure(obs, IssueType::Value, "Observation.component[1].valueQuantity.value", "mfr-finding-vas");
  }
  SECTION("VAS in cm") {
    component(obs, 1)["valueQuantity"]["code"] = json::Value("cm");
    require_departure(obs, IssueType::CodeInvalid, "Observation.component[1].valueQuantity.code", "mfr-finding-vas");
  }
  SECTION("tender as a string") {
    component(obs, 2).erase("valueBoolean");
    component(obs, 2)["valueString"] = json::Value("yes");
    require_departure(obs, IssueType::Structure, "Observation.component[2].valueString", "mfr-finding-component");
  }
  SECTION("release response outside the code system") {
    component(obs, 3)["valueCodeableConcept"]["coding"].as_array()[0]["code"] = json::Value("eased");
    require_departure(obs, IssueType::CodeInvalid, "Observation.component[3].valueCodeableConcept", "mfr-finding-release");
  }
  SECTION("a component code the profile does not know") {
    component(obs, 2)["code"]["coding"].as_array()[0]["code"] = json::Value("sharp");
    require_departure(obs, IssueType::CodeInvalid, "Observation.component[2].code", "mfr-finding-component");
  }
  SECTION("a component without value needs a dataAbsentReason") {
    component(obs, 0).erase("valueInteger");
    require_departure(obs, IssueType::Required, "Observation.component[0].dataAbsentReason", "mfr-finding-component");
    component(obs, 0)["dataAbsentReason"] = parse(R"({"coding":[{"system":"http://terminology.hl7.org/CodeSystem/data-absent-reason","code":"asked-declined"}]})");
    require_clean(strict(obs));
  }
}
