// The Subscription interactions of the FHIR service, called directly: create, read, search by
// status, $status and delete, each confined to the partner that made the Subscription.
#include <catch2/catch.hpp>

#include <string>

#include "service_fixture.hpp"

using namespace mfr;
using namespace mfr::test;

namespace {

const server::Caller kOtherPartner{"clinic-nice-2", true, true};

std::string lyon_subscription(const std::string& endpoint = "https://clinic-lyon.example.org/fhir-hook") {
  return R"({"resourceType":"Subscription","status":"requested",
  "reason":"Skin rolling findings of our shared patient",
  "criteria":"https://mfr-fhir.org/fhir/SubscriptionTopic/skin-rolling-record",
  "_criteria":{"extension":[{"url":"http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-filter-criteria","valueString":"Observation?patient=Patient/P-1954-031"}]},
  "channel":{"type":"rest-hook","endpoint":")" +
         endpoint + R"(","payload":"application/fhir+json",
    "_payload":{"extension":[{"url":"http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-payload-content","valueCode":"id-only"}]},
    "header":["X-Partner-Key: lyon-7f3a"]}})";
}

}  // namespace

TEST_CASE("a partner creates a Subscription, reads it, finds it by status and deletes it", "[server][subscription]") {
  ServiceFixture f;
  const server::Reply created = f.call("POST", "/fhir/Subscription", lyon_subscription());
  REQUIRE(created.status == 201);
  const json::Value resource = body_of(created);
  const std::string id(*resource.string_at("id"));
  CHECK(header_of(created, "Location") == "https://clinic.example.org/fhir/Subscription/" + id + "/_history/1");
  CHECK(resource.string_at("status") == std::optional<std::string_view>("requested"));
  CHECK(resource.find("channel")->find("header")->as_array()[0].as_string() == "X-Partner-Key: lyon-7f3a");

  const server::Reply read = f.call("GET", "/fhir/Subscription/" + id);
  REQUIRE(read.status == 200);
  CHECK(body_of(read).string_at("criteria") ==
        std::optional<std::string_view>("https://mfr-fhir.org/fhir/SubscriptionTopic/skin-rolling-record"));

  const json::Value requested = body_of(f.call("GET", "/fhir/Subscription?status=requested"));
  REQUIRE(requested.find("entry")->size() == 1);
  CHECK(requested.find("entry")->as_array()[0].string_at("fullUrl") ==
        std::optional<std::string>("https://clinic.example.org/fhir/Subscription/" + id));
  CHECK(body_of(f.call("GET", "/fhir/Subscription?status=active")).find("entry") == nullptr);
  CHECK(f.call("GET", "/fhir/Subscription?criteria=x").status == 400);

  const json::Value status = body_of(f.call("GET", "/fhir/Subscription/" + id + "/$status"));
  CHECK(status.string_at("type") == std::optional<std::string_view>("searchset"));
  const json::Value& parameters = *status.find("entry")->as_array()[0].find("resource");
  CHECK(parameters.string_at("resourceType") == std::optional<std::string_view>("Parameters"));
  const auto& list = parameters.find("parameter")->as_array();
  CHECK(list[2].string_at("valueCode") == std::optional<std::string_view>("requested"));
  CHECK(list[3].string_at("valueCode") == std::optional<std::string_view>("query-status"));
  CHECK(list[4].string_at("valueString") == std::optional<std::string_view>("0"));

  CHECK(f.call("DELETE", "/fhir/Subscription/" + id).status == 204);
  CHECK(f.call("GET", "/fhir/Subscription/" + id).status == 404);
  CHECK(f.call("DELETE", "/fhir/Subscription/" + id).status == 404);
}

TEST_CASE("another partner can neither see nor delete a partner's Subscription", "[server][subscription]") {
  ServiceFixture f;
  const server::Reply created = f.call("POST", "/fhir/Subscription", lyon_subscription());
  REQUIRE(created.status == 201);
  const std::string id(*body_of(created).string_at("id"));
  // 404 with the same words as for an id that was never made: nothing tells it exists.
  const server::Reply other = f.call("GET", "/fhir/Subscription/" + id, {}, {}, kOtherPartner);
  CHECK(other.status == 404);
  CHECK(issue_of(other, "diagnostics") == "Subscription/" + id + " is not known here");
  CHECK(issue_of(f.call("GET", "/fhir/Subscription/never-made", {}, {}, kOtherPartner), "diagnostics") ==
        "Subscription/never-made is not known here");
  CHECK(f.call("GET", "/fhir/Subscription/" + id + "/$status", {}, {}, kOtherPartner).status == 404);
  CHECK(f.call("DELETE", "/fhir/Subscription/" + id, {}, {}, kOtherPartner).status == 404);
  CHECK(body_of(f.call("GET", "/fhir/Subscription", {}, {}, kOtherPartner)).find("entry") == nullptr);
  CHECK(f.call("GET", "/fhir/Subscription/" + id).status == 200);  // still there for its owner
}

TEST_CASE("a Subscription is refused with the exact issue, and without the write scope", "[server][subscription]") {
  ServiceFixture f;
  const server::Reply plain_http = f.call("POST", "/fhir/Subscription", lyon_subscription("http://clinic-lyon.example.org/hook"));
  CHECK(plain_http.status == 422);
  CHECK(issue_of(plain_http, "expression") == "Subscription.channel.endpoint");
  CHECK(issue_of(plain_http, "diagnostics") ==
        "the endpoint must be https:// (this server verifies the endpoint's certificate)");
  const server::Reply reader = f.call("POST", "/fhir/Subscription", lyon_subscription(), {}, kReader);
  CHECK(reader.status == 403);
  CHECK(issue_of(reader, "diagnostics") == "token 'clinic-nice' lacks the write scope");
  CHECK(f.call("POST", "/fhir/Subscription", "{\"resourceType\":\"Subscription\"").status == 400);
  CHECK(f.call("PUT", "/fhir/Subscription/x", lyon_subscription()).status == 405);
  CHECK(body_of(f.call("GET", "/fhir/Subscription")).find("entry") == nullptr);  // nothing was kept
}
