// Bulk Data Access (FHIR Bulk Data IG v2) on the service: the $export kick-off, status polling,
// cancel and file download. The jobs themselves run in ExportJobs, off the HTTP threads.
//
// A job answers only the client (token name) that started it, and that client needs the read
// scope for every step: another partner's token, even a read one, gets 404 for its URLs.
#include <algorithm>

#include "exchange/server/audit_event.hpp"
#include "exchange/server/query.hpp"
#include "exchange/server/reply.hpp"
#include "exchange/server/service.hpp"
#include "model/date_time.hpp"

namespace mfr::server {
namespace {

constexpr std::string_view kExportTypes[] = {"Procedure", "Observation"};

bool ndjson_format(std::string_view format) {
  return format == "application/fhir+ndjson" || format == "application/ndjson" || format == "ndjson";
}

Reply not_allowed(std::string_view method, std::string_view allowed) {
  Reply reply = error_reply(405, "not-supported",
                            std::string(method) + " is not supported here; allowed: " + std::string(allowed));
  reply.headers.emplace_back("Allow", std::string(allowed));
  return reply;
}

// "Procedure,Observation" -> the types, each one we export, none twice; throws QueryError.
std::vector<std::string> export_types(std::string_view list) {
  std::vector<std::string> types;
  while (true) {
    const auto comma = list.find(',');
    std::string_view type = list.substr(0, comma);
    while (!type.empty() && type.front() == ' ') type.remove_prefix(1);
    while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
    if (std::find(std::begin(kExportTypes), std::end(kExportTypes), type) == std::end(kExportTypes))
      throw QueryError("_type", "_type '" + std::string(type) + "' is not exported here (Procedure and Observation are)",
                       "not-supported");
    if (std::find(types.begin(), types.end(), type) == types.end()) types.emplace_back(type);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return types;
}

}  // namespace

json::Value FhirService::export_entity(const std::string& job_id, const std::string& file_name) {
  json::Value entity = json::Value::object();
  entity["what"]["identifier"]["system"] = "https://mfr-fhir.org/fhir/sid/bulk-export-job";
  entity["what"]["identifier"]["value"] = job_id;
  entity["type"]["system"] = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
  entity["type"]["code"] = "2";
  entity["type"]["display"] = "System Object";
  if (!file_name.empty()) {
    json::Value detail = json::Value::object();
    detail["type"] = "file";
    detail["valueString"] = file_name;
    entity["detail"].push_back(std::move(detail));
  }
  return entity;
}

Reply FhirService::export_kickoff(const Request& request, const Caller& caller, Route& route) {
  route.interaction = "operation";
  if (request.method != "GET") return not_allowed(request.method, "GET");
  if (request.header("prefer").find("respond-async") == std::string_view::npos)
    return error_reply(400, "invalid", "$export runs asynchronously: send the header Prefer: respond-async");

  ExportRequest job;
  job.client_id = caller.client_id;
  job.patient_level = route.type == "Patient";
  job.types.assign(std::begin(kExportTypes), std::end(kExportTypes));
  for (const auto& [name, value] : parse_query(route.query)) {
    if (name == "_outputFormat") {
      if (!ndjson_format(value))
        return error_reply(400, "not-supported",
                           "_outputFormat '" + value + "' is not served (application/fhir+ndjson is)", "_outputFormat");
    } else if (name == "_type") {
      job.types = export_types(value);
    } else if (name == "_since") {
      const auto since = DateTime::parse(value);
      if (!since || !since->has_time())
        return error_reply(400, "invalid", "_since '" + value + "' is not a FHIR instant (2024-03-05T09:30:00Z)",
                           "_since");
      job.since = since->epoch_seconds();
    } else {
      return error_reply(400, "not-supported",
                         "$export parameter '" + name + "' is not supported (_type, _since and _outputFormat are)", name);
    }
  }
  const std::string base = base_url(request);
  job.request_url = base + request.target.substr(std::min(config_.base_path.size(), request.target.size()));
  job.transaction_time = fhir_instant_now();
  const auto id = exports_->start(std::move(job));
  if (!id) {
    Reply busy = error_reply(429, "throttled", "the server is running as many exports as it can; try again later");
    busy.headers.emplace_back("Retry-After", "30");
    return busy;
  }
  route.export_job = *id;
  Reply reply;
  reply.status = 202;
  reply.headers.emplace_back("Content-Location", base + "/$export-poll/" + *id);
  return reply;
}

Reply FhirService::export_status(const Request& request, const Caller& caller, Route& route) {
  route.interaction = "operation";
  if (request.method == "DELETE") {
    if (!exports_->remove(route.id, caller.client_id))
      return error_reply(404, "not-found", "there is no export job " + route.id);
    Reply reply;
    reply.status = 202;
    return reply;
  }
  if (request.method != "GET") return not_allowed(request.method, "GET, DELETE");
  const ExportStatus status = exports_->status(route.id, caller.client_id);
  using State = ExportStatus::State;
  switch (status.state) {
    case State::Unknown:
      return error_reply(404, "not-found", "there is no export job " + route.id);
    case State::Expired:
      return error_reply(410, "not-found", "the export job " + route.id + " has expired; its files are gone");
    case State::Failed:
      return error_reply(500, "exception", "the export failed: " + status.error);
    case State::Running: {
      Reply reply;
      reply.status = 202;
      reply.headers.emplace_back("X-Progress", status.progress);
      reply.headers.emplace_back("Retry-After", "1");
      return reply;
    }
    case State::Done:
      break;
  }
  const std::string base = base_url(request);
  json::Value manifest = json::Value::object();
  manifest["transactionTime"] = status.request.transaction_time;
  manifest["request"] = status.request.request_url;
  manifest["requiresAccessToken"] = true;
  manifest["output"] = json::Value::array();
  for (const ExportFile& file : status.files) {
    json::Value output = json::Value::object();
    output["type"] = file.type;
    output["url"] = base + "/$export-file/" + route.id + "/" + file.name;
    output["count"] = static_cast<unsigned long>(file.count);
    manifest["output"].push_back(std::move(output));
  }
  manifest["error"] = json::Value::array();
  Reply reply;
  reply.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  reply.body = manifest.dump();
  return reply;
}

Reply FhirService::export_file(const Caller& caller, Route& route) {
  route.interaction = "operation";
  const auto path = exports_->file(route.id, caller.client_id, route.version);
  if (!path) return error_reply(404, "not-found", "export job " + route.id + " has no file " + route.version);
  Reply reply;
  reply.headers.emplace_back("Content-Type", "application/fhir+ndjson");
  reply.body_file = path->string();
  return reply;
}

void FhirService::audit_export_finished(const std::string& job_id, const ExportRequest& request,
                                        const ExportStatus& status) {
  const bool done = status.state == ExportStatus::State::Done;
  json::Value entity = export_entity(job_id, "");
  for (const ExportFile& file : status.files) {
    json::Value detail = json::Value::object();
    detail["type"] = file.name;
    detail["valueString"] = std::to_string(file.count) + " resources";
    entity["detail"].push_back(std::move(detail));
  }
  const std::string failure = done ? std::string() : "the export failed: " + status.error;
  AuditFacts facts;
  facts.interaction = "operation";
  facts.action = "E";
  facts.status = done ? 200 : 500;
  facts.client_id = request.client_id;
  facts.outcome_desc = failure;
  audit_trail_->record(audit_event_json(facts, {entity.dump()}));
}

}  // namespace mfr::server
