// Issue 15: `fetch` from a partner that holds the patient's whole record returns exactly our
// sessions, whether the partner filters by code or (refusing the parameter) we do.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "abi_helpers.hpp"
#include "json/json.hpp"

using namespace mfr::test::abi;

namespace {

constexpr const char* kPatient = "Patient/p-777";

mfr::json::Value parse(const std::string& text) { return mfr::json::Value::parse(text); }

// The partner's other records for the patient, HL7-example style.
void seed_foreign_record(TestFhirServer& server, const std::string& our_procedure_id) {
  const std::string subject = std::string(R"("subject":{"reference":")") + kPatient + R"("})";
  server.seed(parse(R"({"resourceType":"Procedure","status":"completed","code":{"coding":[{"system":"http://snomed.info/sct",)"
                    R"x("code":"80146002","display":"Appendectomy (Procedure)"}],"text":"Appendectomy"},)x" + subject +
                    R"(,"performedDateTime":"2013-04-05"})"));
  server.seed(parse(R"({"resourceType":"Procedure","status":"completed","code":{"coding":[{"system":"http://www.ama-assn.org/go/cpt",)"
                    R"("code":"97140"}],"text":"Manual therapy"},)" + subject + R"(,"performedDateTime":"2024-03-01"})"));
  server.seed(parse(R"({"resourceType":"Observation","status":"final","category":[{"coding":[{"system":)"
                    R"("http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],)"
                    R"x("code":{"coding":[{"system":"http://loinc.org","code":"39156-5","display":"Body mass index (BMI) [Ratio]"}]},)x" +
                    subject + R"(,"effectiveDateTime":"1999-07-02","valueQuantity":{"value":16.2,"unit":"kg/m2",)"
                    R"("system":"http://unitsofmeasure.org","code":"kg/m2"}})"));
  // A pain score partOf our Procedure, coded LOINC only: theirs, not one of our findings.
  server.seed(parse(R"({"resourceType":"Observation","status":"final","partOf":[{"reference":"Procedure/)" + our_procedure_id +
                    R"("}],"code":{"coding":[{"system":"http://loinc.org","code":"72514-3"}]},)" + subject +
                    R"(,"effectiveDateTime":"2024-03-04T09:30:00+01:00","valueInteger":6})"));
}

}  // namespace

TEST_CASE("A fetch of a whole patient record returns exactly our sessions and findings", "[exchange_abi][fetch]") {
  TestFhirServer server(mfr::test::https_server());
  TempDir dir;
  const mfr::Api api = mfr::Api::linked();
  mfr::Context ctx(api, kSystem);
  PartnerSetup partner(server, dir);
  partner.options.page_size = 2;  // several pages, so every next link is followed
  ctx.add_partner(partner.options);
  const mfr::Session a = session(ctx, "S-777-1", kPatient, 4, 3);
  const mfr::Session b = session(ctx, "S-777-2", kPatient, 11, 4);
  REQUIRE(ctx.push("bordeaux", {&a, &b}).status == MFR_OK);
  const auto our_procedure = server.find("Procedure", std::string(kSystem) + "|S-777-1");
  REQUIRE(our_procedure);
  seed_foreign_record(server, std::string(*our_procedure->string_at("id")));
  REQUIRE(server.stored("Procedure") == 4);
  REQUIRE(server.stored("Observation") == 9);

  mfr::Context reader(api, "https://clinic-bordeaux.example.org/fhir/sessions");
  reader.add_partner(partner.options);
  int expected_requests = 0;
  std::size_t expected_foreign = 0;
  SECTION("the partner searches by code: only ours comes back") {
    expected_requests = 1 + 4;  // Procedures: 2 on one page; Observations: 7, two a page
  }
  SECTION("the partner refuses the code parameter: we filter its whole answer") {
    server.refuse_search_parameter("code");
    expected_requests = (1 + 2) + (1 + 5);  // each refused, then 4 and 9 resources, two a page
    expected_foreign = 4;
  }
  const int before = server.requests_received();
  const mfr::ImportResult fetched = reader.fetch("bordeaux", kPatient);
  CHECK(fetched.status() == MFR_OK);
  CHECK(server.requests_received() - before == expected_requests);
  const mfr_import_counts counts = fetched.counts();
  CHECK(counts.rejected == 0);
  CHECK(counts.foreign == expected_foreign);
  CHECK(counts.resources == 2 + 7);
  CHECK(counts.warnings == 0);
  REQUIRE(counts.sessions == 2);
  std::vector<std::string> ids;
  std::size_t findings = 0;
  for (std::size_t i = 0; i < fetched.size(); ++i) {
    const mfr_session_info info = fetched.session(i).info();
    ids.push_back(info.id);
    findings += info.finding_count;
  }
  CHECK(ids == std::vector<std::string>{"S-777-1", "S-777-2"});
  CHECK(findings == 7);
}
