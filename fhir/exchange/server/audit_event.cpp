#include "exchange/server/audit_event.hpp"

#include "exchange/server/reply.hpp"
#include "json/json.hpp"

namespace mfr::server {

std::string audit_event_json(const AuditFacts& facts, const std::vector<std::string>& entities) {
  std::string out;
  out.reserve(640 + 48 * entities.size());
  out += R"({"resourceType":"AuditEvent","id":")";
  out += time_ordered_uuid();  // appended at the end of the store's indexes, not on random pages
  out += R"(","type":{"system":"http://terminology.hl7.org/CodeSystem/audit-event-type","code":"rest",)"
         R"("display":"RESTful Operation"})";
  if (!facts.interaction.empty()) {
    out += R"(,"subtype":[{"system":"http://hl7.org/fhir/restful-interaction","code":)";
    json::write_string(out, facts.interaction);
    out += "}]";
  }
  out += R"(,"action":)";
  json::write_string(out, facts.action);
  out += R"(,"recorded":")";
  out += fhir_instant_now();
  out += facts.status < 400 ? R"(","outcome":"0")" : facts.status < 500 ? R"(","outcome":"4")" : R"(","outcome":"8")";
  if (!facts.outcome_desc.empty()) {
    out += R"(,"outcomeDesc":)";
    json::write_string(out, facts.outcome_desc);
  }
  out += R"(,"agent":[{"who":{"identifier":{"system":"https://mfr-fhir.org/fhir/sid/server-client","value":)";
  json::write_string(out, facts.client_id);
  out += R"(}},"requestor":true)";
  if (!facts.peer.empty()) {
    out += R"(,"network":{"address":)";
    json::write_string(out, facts.peer);
    out += R"(,"type":"2"})";
  }
  out += R"(}],"source":{"observer":{"display":"mfr-fhir server"}})";
  if (!entities.empty()) {
    out += R"(,"entity":[)";
    for (std::size_t i = 0; i < entities.size(); ++i) {
      if (i) out += ',';
      out += entities[i];
    }
    out += ']';
  }
  out += '}';
  return out;
}

std::string reference_entity(std::string_view reference) {
  std::string out = R"({"what":{"reference":)";
  json::write_string(out, reference);
  out += "}}";
  return out;
}

std::string resource_type_entity(std::string_view type) {
  std::string out = R"({"type":{"system":"http://hl7.org/fhir/resource-types","code":)";
  json::write_string(out, type);
  out += "}}";
  return out;
}

}  // namespace mfr::server
