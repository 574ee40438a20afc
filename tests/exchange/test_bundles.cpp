#include "test_bundles.hpp"

#include <cstdio>
#include <functional>

namespace mfr::test {
namespace {

// A stable, well-formed UUID text per identifier (the codec uses UUID v5; any stable one does here).
std::string uuid_for(const std::string& identifier) {
  const std::size_t a = std::hash<std::string>{}(identifier);
  const std::size_t b = std::hash<std::string>{}(identifier + "#");
  char text[40];
  std::snprintf(text, sizeof text, "%08x-%04x-5%03x-8%03x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>(a & 0xFFFF), static_cast<unsigned>((a >> 16) & 0xFFF),
                static_cast<unsigned>(b & 0xFFF), static_cast<unsigned long long>(b >> 16) & 0xFFFFFFFFFFFFull);
  return text;
}

std::string finding(const std::string& session, const std::string& procedure_url, const std::string& date,
                    const char* level, const char* level_code, const char* side, const char* side_code, int grade,
                    int pain) {
  const std::string id = session + "/" + level_code + "/" + side;
  static const char* kGrades[] = {"none", "mild", "moderate", "marked"};
  return R"({"fullUrl":"urn:uuid:)" + uuid_for(id) + R"(","resource":{"resourceType":"Observation","status":"final",)"
         R"("identifier":[{"system":")" + std::string(kFindingSystem) + R"(","value":")" + id + R"("}],)"
         R"("partOf":[{"reference":")" + procedure_url + R"("}],)"
         R"("category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"exam"}]}],)"
         R"("code":{"coding":[{"system":"https://mfr-fhir.org/fhir/CodeSystem/mfr","code":"restriction",)"
         R"("display":"Superficial fascia restriction on skin rolling"},)"
         R"({"system":"http://snomed.info/sct","code":"118242002","display":"Finding by palpation"}]},)"
         R"("subject":{"reference":")" + std::string(kPatientReference) + R"("},)"
         R"("effectiveDateTime":")" + date + R"(",)"
         R"("method":{"coding":[{"system":"http://snomed.info/sct","code":"129434008","display":"Palpation - action"}]},)"
         R"("bodySite":{"extension":[{"url":"https://mfr-fhir.org/fhir/StructureDefinition/laterality",)"
         R"("valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":")" + side_code + R"("}]}}],)"
         R"("coding":[{"system":"http://snomed.info/sct","code":")" + level_code + R"("}],"text":")" + level + ", " +
         side + R"("},)"
         R"("valueCodeableConcept":{"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/ordinalValue",)"
         R"("valueDecimal":)" + std::to_string(grade) + R"(}],"coding":[{"system":"https://mfr-fhir.org/fhir/CodeSystem/restriction-grade",)"
         R"("code":")" + std::to_string(grade) + R"(","display":")" + kGrades[grade] + R"("}]},)"
         R"("component":[{"code":{"coding":[{"system":"http://loinc.org","code":"72514-3"}]},"valueInteger":)" +
         std::to_string(pain) + R"(}]},)"
         R"("request":{"method":"POST","url":"Observation","ifNoneExist":"identifier=)" + std::string(kFindingSystem) +
         "|" + id + R"("}})";
}

}  // namespace

std::string session_bundle(const std::string& session, int day) {
  char date[40];
  std::snprintf(date, sizeof date, "2024-03-%02dT09:30:00+01:00", day);
  const std::string procedure_url = "urn:uuid:" + uuid_for(session);
  return R"({"resourceType":"Bundle","type":"transaction","entry":[)"
         R"({"fullUrl":")" + procedure_url + R"(","resource":{"resourceType":"Procedure",)"
         R"("identifier":[{"system":")" + std::string(kSessionSystem) + R"(","value":")" + session + R"("}],)"
         R"("status":"completed",)"
         R"("category":{"coding":[{"system":"http://snomed.info/sct","code":"91251008","display":"Physical therapy procedure"}]},)"
         R"("code":{"coding":[{"system":"https://mfr-fhir.org/fhir/CodeSystem/mfr","code":"skin-rolling",)"
         R"("display":"Myofascial release by skin rolling"},{"system":"http://www.ama-assn.org/go/cpt","code":"97140"}],)"
         R"("text":"Skin rolling, thoracic spine"},)"
         R"("subject":{"reference":")" + std::string(kPatientReference) + R"("},)"
         R"("performedPeriod":{"start":")" + date + R"("},)"
         R"("bodySite":[{"coding":[{"system":"http://snomed.info/sct","code":"122495006","display":"Thoracic spine"}]}]},)"
         R"("request":{"method":"POST","url":"Procedure","ifNoneExist":"identifier=)" + std::string(kSessionSystem) + "|" +
         session + R"("}},)" +
         finding(session, procedure_url, date, "T4", "73071006", "left", "7771000", 2, 6) + "," +
         finding(session, procedure_url, date, "T4", "73071006", "right", "24028007", 1, 3) + "]}";
}

}  // namespace mfr::test
