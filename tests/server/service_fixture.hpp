#pragma once
// A FhirService over an in-memory store, called directly (no sockets), and small readers for
// its answers.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "exchange/server/service.hpp"
#include "json/json.hpp"
#include "store/store.hpp"

namespace mfr::test {

inline const server::Caller kWriter{"clinic-lyon", true, true};
inline const server::Caller kReader{"clinic-nice", true, false};

struct ServiceFixture {
  std::shared_ptr<store::Store> store = std::make_shared<store::Store>(store::Store::open(""));
  std::vector<store::StoredResource> received;
  server::FhirService service;

  explicit ServiceFixture(std::string public_base = "https://clinic.example.org/fhir",
                          std::chrono::seconds export_keep = std::chrono::hours(1))
      : service(config(std::move(public_base), export_keep), store) {}

  server::ServiceConfig config(std::string public_base, std::chrono::seconds export_keep) {
    server::ServiceConfig c;
    c.export_keep = export_keep;
    c.public_base_url = std::move(public_base);
    c.default_page_size = 10;
    c.deliver_subscriptions = false;  // no notification leaves these tests (subscription_delivery_test sends them)
    c.on_received = [this](const store::StoredResource& r) { received.push_back(r); };
    return c;
  }

  server::Reply call(const std::string& method, const std::string& target, const std::string& body = {},
                     std::vector<std::pair<std::string, std::string>> headers = {},
                     std::optional<server::Caller> caller = kWriter) {
    server::Request request;
    request.method = method;
    request.target = target;
    request.body = body;
    request.peer = "127.0.0.1";
    request.headers = std::move(headers);
    bool has_type = false;
    for (const auto& [k, v] : request.headers) has_type = has_type || k == "content-type";
    if (!body.empty() && !has_type) request.headers.emplace_back("content-type", "application/fhir+json");
    return service.handle(request, caller);
  }
};

// A store query for every current resource of a type.
inline store::SearchQuery every(const std::string& type) {
  store::SearchQuery query;
  query.type = type;
  return query;
}

inline std::string header_of(const server::Reply& reply, const std::string& name) {
  for (const auto& [k, v] : reply.headers)
    if (k == name) return v;
  return {};
}

inline json::Value body_of(const server::Reply& reply) { return json::Value::parse(reply.body); }

// A member (diagnostics, code, expression[0]) of the first error issue of an OperationOutcome
// reply (warnings before it are skipped).
inline std::string issue_of(const server::Reply& reply, const std::string& member) {
  const json::Value outcome = body_of(reply);
  const json::Array& issues = outcome.find("issue")->as_array();
  std::size_t first = 0;
  while (first + 1 < issues.size() && issues[first].string_at("severity") == std::optional<std::string_view>("warning"))
    ++first;
  const json::Value& issue = issues.at(first);
  if (member == "expression") return issue.find("expression") ? std::string(issue.find("expression")->as_array().at(0).as_string()) : "";
  return std::string(issue.string_at(member).value_or(""));
}

}  // namespace mfr::test
