#include "codec/provenance_codec.hpp"

#include "base/utc.hpp"
#include "codec/narrative.hpp"
#include "terminology/codes.hpp"

namespace mfr::codec {

json::Value encode_provenance(std::string_view id, std::span<const std::string> targets, std::string_view document,
                              const ProvenanceInfo& info, std::string_view language) {
  json::Value p = json::Value::object();
  p["resourceType"] = json::Value("Provenance");
  p["id"] = json::Value(std::string(id));
  p["text"] = narrative::provenance(targets, document, info, language);
  json::Value& target = p["target"] = json::Value::array();
  for (const std::string& t : targets) {
    json::Value ref = json::Value::object();
    ref["reference"] = json::Value(t);
    target.push_back(std::move(ref));
  }
  p["recorded"] = json::Value(info.recorded);
  json::Value coding = json::Value::object();
  if (info.from_hl7v2) {
    coding["system"] = json::Value(std::string(kV2ActivitySystem));
    coding["code"] = json::Value(std::string(kV2ActivityCode));
    coding["display"] = json::Value("V2 To FHIR Transformation");
  } else {
    coding["system"] = json::Value(terminology::kLegacyNoteImport.system);
    coding["code"] = json::Value(terminology::kLegacyNoteImport.code);
    coding["display"] = json::Value(terminology::kLegacyNoteImport.display);
  }
  json::Value activity = json::Value::object();
  activity["coding"] = json::Value::array();
  activity["coding"].push_back(std::move(coding));
  p["activity"] = std::move(activity);

  json::Value agent = json::Value::object();
  json::Value type_coding = json::Value::object();
  type_coding["system"] = json::Value("http://terminology.hl7.org/CodeSystem/provenance-participant-type");
  type_coding["code"] = json::Value("assembler");
  type_coding["display"] = json::Value("Assembler");
  agent["type"] = json::Value::object();
  agent["type"]["coding"] = json::Value::array();
  agent["type"]["coding"].push_back(std::move(type_coding));
  agent["who"] = json::Value::object();
  agent["who"]["display"] = json::Value(info.agent);
  p["agent"] = json::Value::array();
  p["agent"].push_back(std::move(agent));

  if (!document.empty()) {
    json::Value entity = json::Value::object();
    entity["role"] = json::Value("source");
    entity["what"] = json::Value::object();
    entity["what"]["reference"] = json::Value(std::string(document));
    p["entity"] = json::Value::array();
    p["entity"].push_back(std::move(entity));
  }
  return p;
}

std::string utc_instant_now() { return base::utc_instant_now(); }

}  // namespace mfr::codec
