// The Subscription interactions (Subscriptions R5 Backport IG, R4 form): create, read, delete,
// search by status and $status, each on the caller's own Subscriptions only. Another partner's
// Subscription answers 404 exactly as one that does not exist.
#include "exchange/server/query.hpp"
#include "exchange/server/reply.hpp"
#include "exchange/server/resource_edit.hpp"
#include "exchange/server/service.hpp"
#include "exchange/subscription/notification.hpp"
#include "exchange/subscription/subscription.hpp"

namespace mfr::server {
namespace {

using Kind = FhirService::Route::Kind;

// The Subscription as a reader sees it: as accepted, with its present status.
json::Value current_resource(const store::SubscriptionRow& row) {
  json::Value resource = json::Value::parse(row.json);
  resource["status"] = row.status;
  if (row.error) resource["error"] = *row.error;
  else resource.erase("error");
  return resource;
}

Reply not_known(const std::string& id) {
  return error_reply(404, "not-found", "Subscription/" + id + " is not known here");
}

}  // namespace

Reply FhirService::subscription(const Request& request, const Caller& caller, Route& route) {
  const bool reading = request.method == "GET";
  if (reading ? !caller.can_read : !caller.can_write)
    return error_reply(403, "forbidden", "token '" + caller.client_id + "' lacks the " +
                                             (reading ? "read" : "write") + " scope");
  store::SubscriptionStore subscriptions = store_->subscriptions();
  const std::string base = base_url(request);
  if (!route.id.empty()) route.touched.push_back("Subscription/" + route.id);

  if (route.kind == Kind::Type && request.method == "POST") {
    route.interaction = "create";
    json::Value resource = json::Value::parse(request.body);
    auto read = subscription::read_subscription(resource, {.allow_http_loopback = config_.allow_http_subscribers});
    if (auto* issues = std::get_if<std::vector<validate::Issue>>(&read)) return issues_reply(422, *issues);
    const std::string id = random_uuid();
    store::StoredResource stored;
    stored.type = "Subscription";
    stored.id = id;
    stored.version = 1;
    stored.last_updated = fhir_instant_now();
    stored.version_id = "1";
    stored.json = stamp(resource, id, 1, stored.last_updated);
    subscriptions.create(id, caller.client_id, stored.json, base);
    route.touched.push_back("Subscription/" + id);
    Reply reply = fhir_reply(201, stored.json);
    add_version_headers(reply, stored, base, true);
    return reply;
  }
  if (route.kind == Kind::Type) {
    if (!reading) return error_reply(405, "not-supported", request.method + " is not supported here; allowed: GET, POST");
    route.interaction = "search-type";
    std::optional<std::string> status;
    for (const auto& [name, value] : parse_query(route.query)) {
      if (name == "status") status = value;
      else if (name != "_format")
        return error_reply(400, "not-supported", "Subscriptions are searched by status only, not by '" + name + "'",
                           name);
    }
    json::Value bundle = json::Value::object();
    bundle["resourceType"] = "Bundle";
    bundle["id"] = random_uuid();
    bundle["meta"]["lastUpdated"] = fhir_instant_now();
    bundle["type"] = "searchset";
    const auto rows = subscriptions.list(caller.client_id, status);
    bundle["total"] = static_cast<unsigned long>(rows.size());
    for (const auto& row : rows) {
      json::Value entry = json::Value::object();
      entry["fullUrl"] = base + "/Subscription/" + row.id;
      entry["resource"] = current_resource(row);
      entry["search"]["mode"] = "match";
      bundle["entry"].push_back(std::move(entry));
    }
    return fhir_reply(200, bundle.dump());
  }
  if (route.kind == Kind::Instance && request.method == "DELETE") {
    route.interaction = "delete";
    if (!subscriptions.remove(route.id, caller.client_id)) return not_known(route.id);
    Reply reply;
    reply.status = 204;
    return reply;
  }
  if (route.kind == Kind::Instance) {
    if (!reading) return error_reply(405, "not-supported", request.method + " is not supported here; allowed: GET, DELETE");
    route.interaction = "read";
    const auto row = subscriptions.get(route.id, caller.client_id);
    if (!row) return not_known(route.id);
    return fhir_reply(200, current_resource(*row).dump());
  }
  if (route.kind == Kind::SubscriptionStatus) {
    if (!reading) return error_reply(405, "not-supported", request.method + " is not supported here; allowed: GET");
    route.interaction = "operation";
    const auto row = subscriptions.get(route.id, caller.client_id);
    if (!row) return not_known(route.id);
    subscription::StatusFacts facts;
    facts.base_url = base;
    facts.subscription_id = row->id;
    facts.status = row->status;
    facts.type = subscription::NotificationType::QueryStatus;
    facts.events_since_start = row->events;
    facts.error = row->error.value_or("");
    // The IG's $status answers a searchset Bundle of SubscriptionStatus (Parameters) resources.
    json::Value bundle = json::Value::object();
    bundle["resourceType"] = "Bundle";
    bundle["id"] = random_uuid();
    bundle["type"] = "searchset";
    bundle["total"] = 1;
    json::Value entry = json::Value::object();
    entry["fullUrl"] = "urn:uuid:" + random_uuid();
    entry["resource"] = subscription::status_parameters(facts, {});
    entry["search"]["mode"] = "match";
    bundle["entry"].push_back(std::move(entry));
    return fhir_reply(200, bundle.dump());
  }
  return error_reply(404, "not-found", "nothing is served at this path");
}

}  // namespace mfr::server
