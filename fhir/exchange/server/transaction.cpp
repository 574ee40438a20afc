// Transaction and batch Bundles POSTed to the base.
// A transaction is all-or-nothing: the whole Bundle is validated and every entry planned (ids
// assigned, conditional creates resolved, If-Match checked) before anything is written, so one bad
// entry stores nothing. Writes run under the service's write mutex, so a resend racing itself
// still finds what the first copy created.
#include <map>
#include <optional>
#include <string_view>

#include "codec/elements.hpp"
#include "exchange/server/query.hpp"
#include "exchange/server/reply.hpp"
#include "exchange/server/resource_edit.hpp"
#include "exchange/server/service.hpp"
#include "validate/validate.hpp"

namespace mfr::server {
namespace {

struct EntryFailure {
  int status;
  json::Value outcome;
};

EntryFailure failure(int status, std::string_view code, const std::string& diagnostics, const std::string& expression) {
  const Reply reply = error_reply(status, code, diagnostics, expression);
  return {status, json::Value::parse(reply.body)};
}

std::string status_line(int status) {
  switch (status) {
    case 200: return "200 OK";
    case 201: return "201 Created";
    case 400: return "400 Bad Request";
    case 412: return "412 Precondition Failed";
    case 422: return "422 Unprocessable Entity";
    default: return std::to_string(status);
  }
}

struct Planned {
  std::string type, id, full_url;
  json::Value resource;
  std::int64_t version = 1;
  bool created = true;
  std::optional<store::StoredResource> existing;  // a conditional create that matched: nothing to write
};

}  // namespace

Reply FhirService::bundle(const Request& request, Route& route) {
  const json::Value bundle = json::Value::parse(request.body);
  if (!bundle.is_object() || bundle.string_at("resourceType") != std::optional<std::string_view>("Bundle"))
    return error_reply(400, "invalid", "the base accepts only a Bundle of type transaction or batch");
  const auto kind = bundle.string_at("type");
  const bool transaction = kind == std::optional<std::string_view>("transaction");
  if (!transaction && kind != std::optional<std::string_view>("batch"))
    return error_reply(400, "invalid", "the base accepts only a Bundle of type transaction or batch", "Bundle.type");
  route.interaction = transaction ? "transaction" : "batch";
  // The whole Bundle is validated at once (conditional references are valid only inside one).
  // A transaction fails on any error; a batch fails only the entries its errors point into.
  const auto issues = validate::validate(bundle, validate::Strictness::Lenient);
  std::map<std::size_t, std::vector<validate::Issue>> entry_issues;
  if (validate::has_errors(issues)) {
    if (transaction) return issues_reply(422, issues);
    for (const validate::Issue& issue : issues) {
      if (issue.severity != validate::Severity::Error && issue.severity != validate::Severity::Fatal) continue;
      constexpr std::string_view kEntry = "Bundle.entry[";
      if (!std::string_view(issue.expression).starts_with(kEntry)) return issues_reply(422, issues);
      entry_issues[std::stoul(issue.expression.substr(kEntry.size()))].push_back(issue);
    }
  }
  static const json::Array kNone;
  const json::Value* entry_list = bundle.find("entry");
  const json::Array& entries = entry_list && entry_list->is_array() ? entry_list->as_array() : kNone;
  const std::string base = base_url(request);

  std::lock_guard lock(write_mutex_);
  auto plan = [&](const json::Value& entry, std::size_t index) {
    const std::string path = "Bundle.entry[" + std::to_string(index) + "]";
    const json::Value* resource = entry.find("resource");
    const json::Value* req = entry.find("request");
    if (!resource || !resource->is_object() || !req)
      throw failure(400, "required", "each entry needs a resource and a request", path);
    if (auto found = entry_issues.find(index); found != entry_issues.end())
      throw EntryFailure{422, validate::to_operation_outcome(found->second)};
    Planned p;
    p.type = std::string(resource->string_at("resourceType").value_or(""));
    p.full_url = std::string(entry.string_at("fullUrl").value_or(""));
    p.resource = *resource;
    if (p.type != "Procedure" && p.type != "Observation")
      throw failure(400, "not-supported", "only Procedure and Observation are stored here, not " + p.type,
                    path + ".resource");
    const std::string method(req->string_at("method").value_or(""));
    std::string url(req->string_at("url").value_or(""));
    if (url.starts_with("/")) url.erase(0, 1);
    if (method == "POST") {
      if (url != p.type) throw failure(400, "invalid", "a POST entry's url must be " + p.type, path + ".request.url");
      if (const auto condition = req->string_at("ifNoneExist")) {
        SearchRequest search;
        try {
          search = parse_search(p.type, parse_query(*condition), 2, 2);
        } catch (const QueryError& e) {
          throw failure(400, e.code(), e.what(), path + ".request.ifNoneExist");
        }
        search.query.limit = 2;
        auto found = store_->search(search.query);
        if (found.size() > 1)
          throw failure(412, "duplicate", "ifNoneExist matches more than one " + p.type, path + ".request.ifNoneExist");
        if (found.size() == 1) {
          p.id = found[0].id;
          p.created = false;
          p.existing = std::move(found[0]);
          return p;
        }
      }
      p.id = random_uuid();
    } else if (method == "PUT") {
      const auto slash = url.find('/');
      p.id = slash == std::string::npos ? std::string() : url.substr(slash + 1);
      if (url.substr(0, slash) != p.type || !is_fhir_id(p.id))
        throw failure(400, "invalid", "a PUT entry's url must be " + p.type + "/[id]", path + ".request.url");
      if (p.resource.string_at("id") != std::optional<std::string_view>(p.id))
        throw failure(400, "invalid", "the resource's id must be the id in request.url", path + ".resource.id");
      const auto current = store_->read(p.type, p.id);
      if (const auto expected = req->string_at("ifMatch")) {
        std::string_view tag = *expected;
        if (tag.starts_with("W/")) tag.remove_prefix(2);
        if (tag.size() >= 2 && tag.front() == '"') tag = tag.substr(1, tag.size() - 2);
        if (!current || current->version_id != tag)
          throw failure(412, "conflict", "ifMatch names a version that is not the current one", path + ".request.ifMatch");
      }
      p.version = current ? current->version + 1 : 1;
      p.created = !current;
    } else {
      throw failure(400, "not-supported", "entry method '" + method + "' is not supported (POST and PUT are)",
                    path + ".request.method");
    }
    return p;
  };
  const std::string now = fhir_instant_now();
  auto commit = [&](Planned& p) {
    if (p.existing) return *p.existing;
    codec::to_logical_references(p.resource);
    return store_->put(stamp(p.resource, p.id, p.version, now));
  };
  auto response_entry = [&](const Planned& p, const store::StoredResource& stored) {
    json::Value entry = json::Value::object();
    entry["fullUrl"] = base + "/" + stored.type + "/" + stored.id;
    json::Value& response = entry["response"];
    response["status"] = status_line(p.created ? 201 : 200);
    response["location"] = stored.type + "/" + stored.id + "/_history/" + stored.version_id;
    response["etag"] = "W/\"" + stored.version_id + "\"";
    response["lastModified"] = stored.last_updated;
    return entry;
  };

  json::Value answer = json::Value::object();
  answer["resourceType"] = "Bundle";
  answer["id"] = random_uuid();
  answer["type"] = transaction ? "transaction-response" : "batch-response";
  json::Value& answers = answer["entry"] = json::Value::array();
  std::vector<store::StoredResource> written;

  if (transaction) {
    std::vector<Planned> plans;
    try {
      for (std::size_t i = 0; i < entries.size(); ++i) plans.push_back(plan(entries[i], i));
    } catch (const EntryFailure& f) {
      return fhir_reply(f.status, f.outcome.dump());
    }
    std::map<std::string, std::string, std::less<>> targets;
    for (const Planned& p : plans)
      if (!p.full_url.empty()) targets[p.full_url] = p.type + "/" + p.id;
    // One store transaction for every new version: a store failure (a full disk) midway leaves
    // nothing of the Bundle behind.
    std::vector<std::string> versions;
    for (Planned& p : plans)
      if (!p.existing) {
        rewrite_references(p.resource, targets);
        // This server holds no Patients to resolve "Patient?identifier=…" against, and such a
        // reference is valid only inside a transaction: stored as the same logical reference.
        codec::to_logical_references(p.resource);
        versions.push_back(stamp(p.resource, p.id, p.version, now));
      }
    std::vector<store::StoredResource> stored_versions = store_->put_all(versions);
    std::size_t next = 0;
    for (Planned& p : plans) {
      const store::StoredResource stored = p.existing ? *p.existing : stored_versions.at(next++);
      route.touched.push_back(stored.type + "/" + stored.id);
      answers.push_back(response_entry(p, stored));
      if (!p.existing) written.push_back(stored);
    }
  } else {
    for (std::size_t i = 0; i < entries.size(); ++i) {
      try {
        Planned p = plan(entries[i], i);
        const store::StoredResource stored = commit(p);
        route.touched.push_back(stored.type + "/" + stored.id);
        answers.push_back(response_entry(p, stored));
        if (!p.existing) written.push_back(stored);
      } catch (const EntryFailure& f) {
        json::Value entry = json::Value::object();
        entry["response"]["status"] = status_line(f.status);
        entry["response"]["outcome"] = f.outcome;
        answers.push_back(std::move(entry));
      }
    }
  }
  if (config_.on_received)
    for (const auto& stored : written) config_.on_received(stored);
  if (answers.size() == 0) answer.erase("entry");
  return fhir_reply(200, answer.dump());
}

}  // namespace mfr::server
