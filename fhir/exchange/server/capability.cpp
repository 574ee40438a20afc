#include "exchange/server/capability.hpp"

namespace mfr::server {
namespace {

json::Value search_param(const char* name, const char* definition, const char* type, const char* documentation) {
  json::Value param = json::Value::object();
  param["name"] = name;
  if (definition) param["definition"] = definition;
  param["type"] = type;
  param["documentation"] = documentation;
  return param;
}

json::Value resource(const char* type, const char* profile) {
  json::Value r = json::Value::object();
  r["type"] = type;
  r["profile"] = std::string("http://hl7.org/fhir/StructureDefinition/") + type;
  r["supportedProfile"].push_back(profile);
  for (const char* code : {"read", "vread", "history-instance", "search-type", "create", "update"}) {
    json::Value interaction = json::Value::object();
    interaction["code"] = code;
    r["interaction"].push_back(std::move(interaction));
  }
  r["versioning"] = "versioned-update";
  r["readHistory"] = true;
  r["updateCreate"] = true;
  r["conditionalCreate"] = true;
  r["conditionalUpdate"] = false;
  r["conditionalDelete"] = "not-supported";
  if (std::string_view(type) == "Observation") r["searchInclude"].push_back("Observation:part-of");
  if (std::string_view(type) == "Procedure") r["searchRevInclude"].push_back("Observation:part-of");
  const std::string prefix = std::string("http://hl7.org/fhir/SearchParameter/");
  r["searchParam"].push_back(search_param("patient", "http://hl7.org/fhir/SearchParameter/clinical-patient", "reference",
                                          "Patient/[id] or [id]"));
  r["searchParam"].push_back(search_param(
      "subject", (prefix + type + "-subject").c_str(), "reference", "Patient/[id] or [id]; the same as patient here"));
  r["searchParam"].push_back(search_param("date", "http://hl7.org/fhir/SearchParameter/clinical-date", "date",
                                          "Prefixes eq, ne, lt, le, gt, ge, sa, eb, ap on instants: a value is the "
                                          "UTC range its precision covers (without an offset: UTC); ap widens it by "
                                          "a tenth of the time to now"));
  r["searchParam"].push_back(
      search_param("code", "http://hl7.org/fhir/SearchParameter/clinical-code", "token", "system|code or code"));
  r["searchParam"].push_back(search_param("identifier", "http://hl7.org/fhir/SearchParameter/clinical-identifier",
                                          "token", "system|value or value"));
  r["searchParam"].push_back(search_param("part-of", (prefix + type + "-part-of").c_str(), "reference",
                                          "Procedure/[id] or [id]"));
  // The result parameters this server honours (R4 3.1.1.5); any other is refused with 400.
  r["searchParam"].push_back(search_param("_summary", nullptr, "token",
                                          "count (Bundle.total, no entries), true (the elements R4 marks isSummary), "
                                          "text, data or false; subsets carry meta.tag SUBSETTED"));
  r["searchParam"].push_back(search_param("_elements", nullptr, "string",
                                          "top-level elements of the searched type, comma-separated; id, meta, "
                                          "the mandatory elements and modifiers are kept; meta.tag SUBSETTED"));
  r["searchParam"].push_back(search_param("_total", nullptr, "token",
                                          "accurate (counts every match), estimate (given on the last page), none"));
  r["searchParam"].push_back(search_param("_count", nullptr, "number", "page size, at most the server's maximum"));
  r["searchParam"].push_back(search_param("_sort", nullptr, "token", "date only (ascending, by instant)"));
  return r;
}

// The partners' Subscriptions (Subscriptions R5 Backport IG, R4 form), on our one topic.
json::Value subscription_resource() {
  json::Value r = json::Value::object();
  json::Value topic = json::Value::object();
  topic["url"] = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/capabilitystatement-subscriptiontopic-canonical";
  topic["valueCanonical"] = "https://mfr-fhir.org/fhir/SubscriptionTopic/skin-rolling-record";
  r["extension"].push_back(std::move(topic));
  r["type"] = "Subscription";
  r["profile"] = "http://hl7.org/fhir/StructureDefinition/Subscription";
  r["supportedProfile"].push_back("http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription");
  r["documentation"] =
      "Experimental. Topic https://mfr-fhir.org/fhir/SubscriptionTopic/skin-rolling-record: a Procedure or "
      "Observation created or updated, filtered by patient (backport-filter-criteria, e.g. "
      "Observation?patient=Patient/123). rest-hook to an https:// endpoint, payload application/fhir+json with "
      "backport-payload-content id-only, full-resource or empty. A Subscription is seen and deleted only by the "
      "partner (token) that made it. A handshake on creation (requested, then active or error), then one "
      "event-notification (a history Bundle, the Parameters status first) per write transaction with matching "
      "resources, in commit order, through the durable outbox; heartbeats at backport-heartbeat-period.";
  for (const char* code : {"read", "search-type", "create", "delete"}) {
    json::Value interaction = json::Value::object();
    interaction["code"] = code;
    r["interaction"].push_back(std::move(interaction));
  }
  r["searchParam"].push_back(search_param("status", "http://hl7.org/fhir/SearchParameter/Subscription-status", "token",
                                          "requested, active, error or off"));
  json::Value status = json::Value::object();
  status["name"] = "status";
  status["definition"] = "http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-status";
  r["operation"].push_back(std::move(status));
  return r;
}

}  // namespace

json::Value capability_statement(const std::string& base_url) {
  json::Value cs = json::Value::object();
  cs["resourceType"] = "CapabilityStatement";
  cs["url"] = "https://mfr-fhir.org/fhir/CapabilityStatement/mfr-fhir-server";
  cs["version"] = "0.1.0";
  cs["name"] = "MfrFhirServer";
  cs["title"] = "mfr-fhir server";
  cs["status"] = "active";
  cs["date"] = "2026-11-25";
  cs["publisher"] = "mfr-fhir";
  cs["description"] =
      "The mfr-fhir server: a clinic's skin rolling sessions (Procedure) and findings (Observation), read and "
      "searched by partner clinics, received from them as transaction or batch Bundles, and exported in bulk "
      "(NDJSON).";
  cs["kind"] = "instance";
  cs["software"]["name"] = "mfr-fhir";
  cs["software"]["version"] = "0.1.0";
  cs["implementation"]["description"] = "mfr-fhir server";
  cs["implementation"]["url"] = base_url;
  cs["fhirVersion"] = "4.0.1";
  cs["format"].push_back("json");
  json::Value rest = json::Value::object();
  rest["mode"] = "server";
  rest["documentation"] =
      "JSON only (application/fhir+json). Search parameters not listed are refused with 400 (an OperationOutcome "
      "'not-supported'; a malformed or unknown value: 'invalid'); paging with _count and the next link, an "
      "included resource on the page of the match that needs it; _sort=date only (ascending, by instant); "
      "_total=accurate counts the matches (estimate: on the last page; none: no total); _summary=count, true, "
      "text, data, false; _elements. Bulk Data $export ([base]/$export and [base]/Patient/$export, Prefer: respond-async; "
      "_type, _since, _outputFormat=application/fhir+ndjson) answers 202 with a status URL; the files are "
      "downloaded with the same token.";
  rest["security"]["cors"] = false;
  json::Value service = json::Value::object();
  json::Value coding = json::Value::object();
  coding["system"] = "http://terminology.hl7.org/CodeSystem/restful-security-service";
  coding["code"] = "OAuth";
  coding["display"] = "OAuth";
  service["coding"].push_back(std::move(coding));
  rest["security"]["service"].push_back(std::move(service));
  rest["security"]["description"] =
      "TLS; every request but GET metadata carries a bearer token issued by the clinic (Authorization: Bearer), "
      "with the read and/or write scope; optionally a client certificate (mTLS).";
  rest["resource"].push_back(
      resource("Procedure", "https://mfr-fhir.org/fhir/StructureDefinition/mfr-skin-rolling-procedure"));
  rest["resource"].push_back(
      resource("Observation", "https://mfr-fhir.org/fhir/StructureDefinition/mfr-skin-rolling-finding"));
  rest["resource"].push_back(subscription_resource());
  for (const char* code : {"transaction", "batch"}) {
    json::Value interaction = json::Value::object();
    interaction["code"] = code;
    rest["interaction"].push_back(std::move(interaction));
  }
  // Bulk Data Access: system-level and patient-level $export (async kick-off, polling, NDJSON).
  const std::pair<const char*, const char*> operations[] = {
      {"export", "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export"},
      {"patient-export", "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export"}};
  for (const auto& [name, definition] : operations) {
    json::Value operation = json::Value::object();
    operation["name"] = name;
    operation["definition"] = definition;
    rest["operation"].push_back(std::move(operation));
  }
  cs["rest"].push_back(std::move(rest));
  return cs;
}

}  // namespace mfr::server
