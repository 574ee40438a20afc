#pragma once
// The text of the server's AuditEvents (FHIR R4, type "rest"), written straight into a string:
// one is made for every request, and building a JSON tree to print it cost more than the read
// it records.
#include <string>
#include <string_view>
#include <vector>

namespace mfr::server {

struct AuditFacts {
  std::string_view interaction;   // restful-interaction code ("read", "search-type", ...); "" for none
  std::string_view action;        // C, R, U, D or E
  int status = 200;               // the reply's HTTP status: outcome 0 below 400, 4 below 500, else 8
  std::string_view client_id;     // the agent: the token's name, or "unauthenticated"
  std::string_view peer;          // the client's IP address; "" when unknown
  std::string_view outcome_desc;  // "" for none
};

// One AuditEvent with a fresh time-ordered id, recorded now; `entities` are its entity items,
// each a JSON object as text.
std::string audit_event_json(const AuditFacts& facts, const std::vector<std::string>& entities);

// An entity naming one resource: {"what":{"reference":"Procedure/7"}}.
std::string reference_entity(std::string_view reference);
// An entity naming a resource type (a search, or a request about no one resource).
std::string resource_type_entity(std::string_view type);

}  // namespace mfr::server
