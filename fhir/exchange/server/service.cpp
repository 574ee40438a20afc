#include "exchange/server/service.hpp"

#include <algorithm>

#include "exchange/server/audit_event.hpp"
#include "exchange/server/capability.hpp"
#include "exchange/server/query.hpp"
#include "exchange/server/reply.hpp"
#include "exchange/server/resource_edit.hpp"
#include "exchange/server/search_subset.hpp"
#include "validate/validate.hpp"

namespace mfr::server {
namespace {

using Kind = FhirService::Route::Kind;

bool supported_type(std::string_view type) { return type == "Procedure" || type == "Observation"; }

std::string_view media_type(std::string_view value) {
  value = value.substr(0, value.find(';'));
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  return value;
}

bool json_media(std::string_view type) {
  return type == "application/fhir+json" || type == "application/json" || type == "application/json+fhir" ||
         type == "json";
}

// True when an Accept header admits one of our JSON types.
bool accepts_json(std::string_view accept) {
  if (accept.empty()) return true;
  while (!accept.empty()) {
    const auto comma = accept.find(',');
    const std::string_view type = media_type(accept.substr(0, comma));
    if (json_media(type) || type == "*/*" || type == "application/*") return true;
    accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
  }
  return false;
}

Reply method_not_allowed(const std::string& method, std::string_view allowed) {
  Reply reply = error_reply(405, "not-supported", method + " is not supported here; allowed: " + std::string(allowed));
  reply.headers.emplace_back("Allow", std::string(allowed));
  return reply;
}

FhirService::Route route_of(const Request& request, const std::string& base_path) {
  FhirService::Route route;
  const auto question = request.target.find('?');
  std::string_view path = std::string_view(request.target).substr(0, question);
  if (question != std::string::npos) route.query = request.target.substr(question + 1);
  if (!base_path.empty()) {
    if (!path.starts_with(base_path)) return route;
    path.remove_prefix(base_path.size());
    if (!path.empty() && path.front() != '/') return route;
  }
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const auto slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash);
  }
  if (!parts.empty() && parts[0].starts_with('$')) {  // the Bulk Data endpoints
    if (parts.size() == 1 && parts[0] == "$export") route.kind = Kind::Export;
    else if (parts.size() == 2 && parts[0] == "$export-poll") route.kind = Kind::ExportStatus;
    else if (parts.size() == 3 && parts[0] == "$export-file") route.kind = Kind::ExportFile;
    else return route;
    if (parts.size() >= 2) route.export_job = route.id = std::string(parts[1]);
    if (parts.size() == 3) route.version = std::string(parts[2]);
    return route;
  }
  if (parts.size() == 2 && parts[0] == "Patient" && parts[1] == "$export") {
    route.kind = Kind::Export;
    route.type = "Patient";
    return route;
  }
  if (parts.empty()) {
    route.kind = Kind::Base;
  } else if (parts.size() == 1 && parts[0] == "metadata") {
    route.kind = Kind::Metadata;
  } else if (parts.size() == 1) {
    route.kind = Kind::Type;
  } else if (parts.size() == 2) {
    route.kind = Kind::Instance;
  } else if (parts.size() == 3 && parts[2] == "_history") {
    route.kind = Kind::History;
  } else if (parts.size() == 3 && parts[0] == "Subscription" && parts[2] == "$status") {
    route.kind = Kind::SubscriptionStatus;
  } else if (parts.size() == 4 && parts[2] == "_history") {
    route.kind = Kind::Version;
    route.version = std::string(parts[3]);
  } else {
    return route;
  }
  if (!parts.empty() && route.kind != Kind::Metadata) route.type = std::string(parts[0]);
  if (parts.size() >= 2) route.id = std::string(parts[1]);
  return route;
}

// The resource of a create or update: JSON, an object, of the route's type, valid FHIR.
// Throws json::ParseError; returns a reply when something else is wrong.
std::optional<Reply> check_resource(const json::Value& resource, const std::string& type) {
  if (!resource.is_object() || resource.string_at("resourceType") != std::optional<std::string_view>(type))
    return error_reply(400, "invalid", "the body is not a " + type + " resource", type);
  const auto issues = validate::validate(resource, validate::Strictness::Lenient);
  if (validate::has_errors(issues)) return issues_reply(422, issues);
  return std::nullopt;
}

Reply written_reply(int status, const store::StoredResource& stored, const Request& request, const std::string& base) {
  Reply reply;
  switch (prefer_return(request.header("prefer"), PreferReturn::Representation)) {
    case PreferReturn::Minimal:
      reply.status = status;
      break;
    case PreferReturn::Representation:
      reply = fhir_reply(status, stored.json);
      break;
    case PreferReturn::OperationOutcome:
      reply = fhir_reply(status, validate::to_operation_outcome({}).dump());
      break;
  }
  add_version_headers(reply, stored, base, true);
  return reply;
}

std::optional<std::string> if_match_version(std::string_view header) {
  if (header.empty()) return std::nullopt;
  if (header.starts_with("W/")) header.remove_prefix(2);
  if (header.size() >= 2 && header.front() == '"' && header.back() == '"') header = header.substr(1, header.size() - 2);
  return std::string(header);
}

}  // namespace

FhirService::FhirService(ServiceConfig config, std::shared_ptr<store::Store> store)
    : config_(std::move(config)), store_(std::move(store)) {
  while (!config_.base_path.empty() && config_.base_path.back() == '/') config_.base_path.pop_back();
  while (!config_.public_base_url.empty() && config_.public_base_url.back() == '/') config_.public_base_url.pop_back();
  ExportConfig exports;
  exports.directory = config_.export_directory.empty()
                          ? std::filesystem::temp_directory_path() / ("mfr-fhir-exports-" + random_uuid())
                          : config_.export_directory;
  exports.max_running = config_.export_max_running;
  exports.keep = config_.export_keep;
  audit_trail_ = std::make_unique<AuditTrail>(store_);
  if (config_.deliver_subscriptions) {
    config_.subscription_delivery.allow_http_loopback = config_.allow_http_subscribers;
    delivery_ = std::make_unique<subscription::Delivery>(store_, config_.subscription_delivery);
  }
  exports_ = std::make_unique<ExportJobs>(
      std::move(exports), store_,
      [this](const std::string& job, const ExportRequest& request, const ExportStatus& status) {
        audit_export_finished(job, request, status);
      });
}

FhirService::~FhirService() = default;

void FhirService::stop_exports() { exports_->stop_all(); }

void FhirService::flush_audit() { audit_trail_->flush(); }

bool FhirService::is_public(const Request& request) const {
  return request.method == "GET" && route_of(request, config_.base_path).kind == Kind::Metadata;
}

std::string FhirService::base_url(const Request& request) const {
  if (!config_.public_base_url.empty()) return config_.public_base_url;
  std::string host(request.header("host"));
  if (host.empty()) host = "localhost";
  return std::string(config_.tls ? "https://" : "http://") + host + config_.base_path;
}

Reply FhirService::handle(const Request& request, const std::optional<Caller>& caller) {
  Route route = route_of(request, config_.base_path);
  Reply reply;
  try {
    if (!caller && !is_public(request)) {
      reply = error_reply(401, "login", "this server needs a bearer token (Authorization: Bearer ...)");
      reply.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"mfr-fhir\"");
    } else {
      reply = dispatch(request, caller ? *caller : Caller{}, route);
      // A write committed (or a Subscription made): its notifications go out now, not at the next poll.
      if (delivery_ && request.method != "GET" && reply.status < 300) delivery_->wake();
    }
  } catch (const json::ParseError& e) {
    reply = fhir_reply(400, validate::to_operation_outcome(e).dump());
  } catch (const QueryError& e) {
    reply = error_reply(400, e.code(), e.what(), e.parameter());
  } catch (const std::exception& e) {
    reply = error_reply(500, "exception", std::string("the server could not answer: ") + e.what());
  }
  if (route.kind != Kind::Metadata) {
    try {
      audit(request, caller ? &*caller : nullptr, route, reply.status);
    } catch (const std::exception&) {
      // The answer stands; a full disk shows up in the next write.
    }
  }
  return reply;
}

Reply FhirService::dispatch(const Request& request, const Caller& caller, Route& route) {
  const auto params = parse_query(route.query);
  for (const auto& [name, value] : params)
    if (name == "_format" && !json_media(media_type(value)))
      return error_reply(406, "not-supported", "_format '" + value + "' is not served: this server speaks JSON only");
  if (route.kind != Kind::ExportFile && !accepts_json(request.header("accept")))
    return error_reply(406, "not-supported", "this server answers only in application/fhir+json");
  if ((request.method == "POST" || request.method == "PUT") && !json_media(media_type(request.header("content-type"))))
    return error_reply(415, "not-supported", "send FHIR resources as application/fhir+json");

  const bool reading = request.method == "GET";
  auto needs = [&](bool scope, const char* name) -> std::optional<Reply> {
    if (scope) return std::nullopt;
    return error_reply(403, "forbidden", "token '" + caller.client_id + "' lacks the " + name + " scope");
  };
  const bool bulk = route.kind == Kind::Export || route.kind == Kind::ExportStatus || route.kind == Kind::ExportFile;
  if (bulk) {
    if (auto refused = needs(caller.can_read, "read")) return *refused;
    if (route.kind == Kind::Export) return export_kickoff(request, caller, route);
    if (route.kind == Kind::ExportStatus) return export_status(request, caller, route);
    if (!reading) return method_not_allowed(request.method, "GET");
    return export_file(caller, route);
  }
  if (route.type == "Subscription" && route.kind != Kind::History && route.kind != Kind::Version) {
    if (!route.id.empty() && !is_fhir_id(route.id)) return error_reply(404, "not-found", "'" + route.id + "' is not a FHIR id");
    return subscription(request, caller, route);
  }
  if (route.kind != Kind::Unknown && route.kind != Kind::Metadata && route.kind != Kind::Base &&
      !supported_type(route.type))
    return error_reply(404, "not-supported", "resource type '" + route.type + "' is not served here (Procedure and Observation are)");
  if (!route.id.empty() && !is_fhir_id(route.id)) return error_reply(404, "not-found", "'" + route.id + "' is not a FHIR id");

  switch (route.kind) {
    case Kind::Unknown:
    case Kind::Export:
    case Kind::ExportStatus:
    case Kind::ExportFile:
    case Kind::SubscriptionStatus:
      return error_reply(404, "not-found", "nothing is served at this path");
    case Kind::Metadata:
      if (!reading) return method_not_allowed(request.method, "GET");
      route.interaction = "capabilities";
      return fhir_reply(200, capability_statement(base_url(request)).dump());
    case Kind::Base:
      if (request.method != "POST") return method_not_allowed(request.method, "POST");
      if (auto refused = needs(caller.can_write, "write")) return *refused;
      return bundle(request, route);
    case Kind::Type:
      if (reading) {
        if (auto refused = needs(caller.can_read, "read")) return *refused;
        return search(request, route);
      }
      if (request.method != "POST") return method_not_allowed(request.method, "GET, POST");
      if (auto refused = needs(caller.can_write, "write")) return *refused;
      return create(request, route);
    case Kind::Instance:
      if (reading) {
        if (auto refused = needs(caller.can_read, "read")) return *refused;
        return read(request, route);
      }
      if (request.method != "PUT") return method_not_allowed(request.method, "GET, PUT");
      if (auto refused = needs(caller.can_write, "write")) return *refused;
      return update(request, route);
    case Kind::History:
    case Kind::Version:
      if (!reading) return method_not_allowed(request.method, "GET");
      if (auto refused = needs(caller.can_read, "read")) return *refused;
      return route.kind == Kind::History ? history(request, route) : read(request, route);
  }
  return error_reply(404, "not-found", "nothing is served at this path");
}

Reply FhirService::read(const Request& request, Route& route) {
  const bool vread = route.kind == Kind::Version;
  route.interaction = vread ? "vread" : "read";
  route.touched.push_back(route.type + "/" + route.id);
  const SearchRequest subset = parse_read(route.type, parse_query(route.query));
  auto stored = vread ? store_->read_version(route.type, route.id, route.version) : store_->read(route.type, route.id);
  if (!stored)
    return error_reply(404, "not-found",
                       vread ? route.type + "/" + route.id + " has no version " + route.version
                             : route.type + "/" + route.id + " is not known here");
  if (subsets(subset)) stored->json = subset_resource(route.type, stored->json, subset);
  Reply reply = fhir_reply(200, stored->json);
  add_version_headers(reply, *stored, base_url(request), false);
  return reply;
}

Reply FhirService::history(const Request& request, Route& route) {
  route.interaction = "history-instance";
  route.touched.push_back(route.type + "/" + route.id);
  const auto versions = store_->history(route.type, route.id);
  if (versions.empty()) return error_reply(404, "not-found", route.type + "/" + route.id + " is not known here");
  const std::string base = base_url(request);
  json::Value bundle = json::Value::object();
  bundle["resourceType"] = "Bundle";
  bundle["type"] = "history";
  bundle["total"] = static_cast<unsigned long>(versions.size());
  for (const auto& version : versions) {
    json::Value entry = json::Value::object();
    entry["fullUrl"] = base + "/" + version.type + "/" + version.id;
    entry["resource"] = json::Value::parse(version.json);
    entry["request"]["method"] = version.version == 1 ? "POST" : "PUT";
    entry["request"]["url"] = version.version == 1 ? version.type : version.type + "/" + version.id;
    entry["response"]["status"] = version.version == 1 ? "201" : "200";
    entry["response"]["etag"] = "W/\"" + version.version_id + "\"";
    bundle["entry"].push_back(std::move(entry));
  }
  return fhir_reply(200, bundle.dump());
}

Reply FhirService::create(const Request& request, Route& route) {
  route.interaction = "create";
  json::Value resource = json::Value::parse(request.body);
  if (auto refused = check_resource(resource, route.type)) return *refused;
  const std::string base = base_url(request);
  std::lock_guard lock(write_mutex_);
  if (const std::string_view condition = request.header("if-none-exist"); !condition.empty()) {
    SearchRequest search = parse_search(route.type, parse_query(condition), 2, 2);
    search.query.limit = 2;
    const auto found = store_->search(search.query);
    if (found.size() > 1)
      return error_reply(412, "duplicate", "If-None-Exist matches more than one " + route.type);
    if (found.size() == 1) {
      route.touched.push_back(route.type + "/" + found[0].id);
      return written_reply(200, found[0], request, base);
    }
  }
  const std::string id = random_uuid();
  const auto stored = store_->put(stamp(resource, id, 1, fhir_instant_now()));
  route.touched.push_back(route.type + "/" + id);
  if (config_.on_received) config_.on_received(stored);
  return written_reply(201, stored, request, base);
}

Reply FhirService::update(const Request& request, Route& route) {
  route.interaction = "update";
  route.touched.push_back(route.type + "/" + route.id);
  json::Value resource = json::Value::parse(request.body);
  if (auto refused = check_resource(resource, route.type)) return *refused;
  if (resource.string_at("id") != std::optional<std::string_view>(route.id))
    return error_reply(400, "invalid", "the resource's id must be the id in the URL (" + route.id + ")",
                       route.type + ".id");
  const std::string base = base_url(request);
  std::lock_guard lock(write_mutex_);
  const auto current = store_->read(route.type, route.id);
  if (const auto expected = if_match_version(request.header("if-match"))) {
    if (!current || current->version_id != *expected)
      return error_reply(412, "conflict",
                         "If-Match asks for version " + *expected + " but the current version is " +
                             (current ? current->version_id : std::string("none")));
  }
  const std::int64_t version = current ? current->version + 1 : 1;
  const auto stored = store_->put(stamp(resource, route.id, version, fhir_instant_now()));
  if (config_.on_received) config_.on_received(stored);
  return written_reply(current ? 200 : 201, stored, request, base);
}

void FhirService::audit(const Request& request, const Caller* caller, const Route& route, int status) {
  const std::string& method = request.method;
  const char* action = route.kind == Kind::Export || route.kind == Kind::Base ? "E"
                       : method == "GET"    ? "R"
                       : method == "PUT"    ? "U"
                       : method == "DELETE" ? "D"
                                            : "C";
  std::vector<std::string> entities;
  if (!route.export_job.empty()) entities.push_back(export_entity(route.export_job, route.version).dump());
  // What was touched, by id only: queries and contents stay out of the trail.
  if (route.touched.empty() && !route.type.empty()) entities.push_back(resource_type_entity(route.type));
  for (std::size_t i = 0; i < route.touched.size() && i < 200; ++i) entities.push_back(reference_entity(route.touched[i]));
  AuditFacts facts;
  facts.interaction = route.interaction;
  facts.action = action;
  facts.status = status;
  facts.client_id = caller ? std::string_view(caller->client_id) : std::string_view("unauthenticated");
  facts.peer = request.peer;
  audit_trail_->record(audit_event_json(facts, entities));
}

}  // namespace mfr::server
