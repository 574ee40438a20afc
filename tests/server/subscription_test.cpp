// The Subscriptions R5 Backport pieces without sockets: the topic's filters, reading a partner's
// Subscription (and refusing bad ones with the exact issue), and the notification Bundles.
#include <catch2/catch.hpp>

#include <fstream>
#include <string>

#include "exchange/subscription/notification.hpp"
#include "exchange/subscription/subscription.hpp"
#include "exchange/subscription/topic.hpp"
#include "json/json.hpp"

using namespace mfr;
using subscription::Content;
using subscription::Filter;

namespace {

json::Value example(const std::string& name) {
  std::ifstream in(std::string(MFR_TEST_DATA) + "/../../packaging/fhir/package/example/" + name);
  REQUIRE(in);
  return json::Value::parse(std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
}

// A Subscription as a partner clinic writes it, from the IG's R4 examples.
std::string subscription_text(const std::string& channel_extra = {}, const std::string& criteria_extension =
                                  R"("_criteria":{"extension":[{"url":"http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-filter-criteria","valueString":"Observation?patient=Patient/example"}]},)") {
  return R"({"resourceType":"Subscription","meta":{"profile":["http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription"]},
  "status":"requested","reason":"Skin rolling findings of our shared patient",
  "criteria":"https://mfr-fhir.org/fhir/SubscriptionTopic/skin-rolling-record",)" +
         criteria_extension + R"(
  "channel":{"extension":[{"url":"http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-heartbeat-period","valueUnsignedInt":120}],
    "type":"rest-hook","endpoint":"https://partner.example.org/fhir-hook",
    "payload":"application/fhir+json",
    "_payload":{"extension":[{"url":"http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-payload-content","valueCode":"full-resource"}]},
    "header":["Authorization: Bearer secret-of-the-partner"])" +
         channel_extra + "}}";
}

// The one issue a refused Subscription gets.
validate::Issue only_issue(const std::string& text, subscription::EndpointRules rules = {}) {
  auto read = subscription::read_subscription(json::Value::parse(text), rules);
  REQUIRE(std::holds_alternative<std::vector<validate::Issue>>(read));
  const auto& issues = std::get<std::vector<validate::Issue>>(read);
  REQUIRE(issues.size() == 1);
  return issues[0];
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("a patient filter is read from Type?patient=Patient/id, a bare id or no type", "[subscription]") {
  CHECK(std::get<Filter>(subscription::parse_filter("Observation?patient=Patient/123")) ==
        Filter{"Observation", "Patient/123"});
  CHECK(std::get<Filter>(subscription::parse_filter("Procedure?patient=123")) == Filter{"Procedure", "Patient/123"});
  CHECK(std::get<Filter>(subscription::parse_filter("patient=https://clinic.example.org/fhir/Patient/9")) ==
        Filter{"", "Patient/9"});
  CHECK(std::get<std::string>(subscription::parse_filter("Patient?patient=1")) ==
        "the filter names 'Patient'; the topic skin-rolling-record carries Procedure and Observation");
  CHECK(std::get<std::string>(subscription::parse_filter("Observation?code=restriction")) ==
        "the filter parameter 'code' is not supported; the topic skin-rolling-record filters by patient");
  CHECK(std::get<std::string>(subscription::parse_filter("Observation?patient=Group/4")) ==
        "the patient filter 'Group/4' is not Patient/[id] or [id]");
  CHECK(std::holds_alternative<std::string>(subscription::parse_filter("Observation?patient=1&patient=2")));
}

TEST_CASE("the topic matches our resources for the filtered patient, and only the filtered types", "[subscription]") {
  const json::Value finding = example("Observation-example-t4-left.json");  // subject Patient/example
  const json::Value session = example("Procedure-example-session.json");
  REQUIRE(session.find("subject")->string_at("reference") == std::optional<std::string_view>("Patient/example"));
  const std::vector<Filter> none;
  CHECK(subscription::matches(none, "Observation", finding));
  CHECK(subscription::matches(none, "Procedure", session));
  CHECK_FALSE(subscription::matches(none, "AuditEvent", finding));

  const std::vector<Filter> ours{{"Observation", "Patient/example"}};
  CHECK(subscription::matches(ours, "Observation", finding));
  CHECK_FALSE(subscription::matches(ours, "Procedure", session));  // the filter asks for Observations only
  const std::vector<Filter> other{{"Observation", "Patient/someone-else"}};
  CHECK_FALSE(subscription::matches(other, "Observation", finding));
  const std::vector<Filter> both{{"Observation", "Patient/example"}, {"Procedure", "Patient/example"}};
  CHECK(subscription::matches(both, "Procedure", session));
  CHECK(subscription::matches({{"", "Patient/example"}}, "Procedure", session));
  json::Value anonymous = finding;
  anonymous.erase("subject");
  CHECK_FALSE(subscription::matches({{"", "Patient/example"}}, "Observation", anonymous));
}

TEST_CASE("a Subscription in the backport form is read with its filter, endpoint, headers, content and heartbeat",
          "[subscription]") {
  auto read = subscription::read_subscription(json::Value::parse(subscription_text()), {});
  REQUIRE(std::holds_alternative<subscription::SubscriptionRequest>(read));
  const auto& request = std::get<subscription::SubscriptionRequest>(read);
  CHECK(request.filters == std::vector<Filter>{{"Observation", "Patient/example"}});
  CHECK(request.endpoint == "https://partner.example.org/fhir-hook");
  REQUIRE(request.headers.size() == 1);
  CHECK(request.headers[0] == std::pair<std::string, std::string>("Authorization", "Bearer secret-of-the-partner"));
  CHECK(request.content == Content::FullResource);
  CHECK(request.heartbeat_seconds == 120);

  const std::string id_only = replaced(subscription_text(), "\"full-resource\"", "\"id-only\"");
  CHECK(std::get<subscription::SubscriptionRequest>(subscription::read_subscription(json::Value::parse(id_only), {}))
            .content == Content::IdOnly);
}

TEST_CASE("a Subscription this server cannot honour is refused with the issue naming its element", "[subscription]") {
  const std::string good = subscription_text();
  auto issue = only_issue(replaced(good, "https://mfr-fhir.org/fhir/SubscriptionTopic/skin-rolling-record",
                                   "Observation?code=restriction"));
  CHECK(issue.expression == "Subscription.criteria");
  CHECK(validate::to_code(issue.code) == "not-supported");
  CHECK(issue.diagnostics == "the topic 'Observation?code=restriction' is not offered here; the topic is "
                             "https://mfr-fhir.org/fhir/SubscriptionTopic/skin-rolling-record");

  issue = only_issue(replaced(good, "\"rest-hook\"", "\"websocket\""));
  CHECK(issue.expression == "Subscription.channel.type");
  CHECK(issue.diagnostics == "the channel type must be rest-hook (the only one this server sends)");

  issue = only_issue(replaced(good, "https://partner.example.org", "http://partner.example.org"));
  CHECK(issue.expression == "Subscription.channel.endpoint");
  CHECK(issue.diagnostics == "the endpoint must be https:// (this server verifies the endpoint's certificate)");
  issue = only_issue(replaced(good, "https://partner.example.org", "http://partner.example.org"),
                     {.allow_http_loopback = true});
  CHECK(issue.diagnostics == "an http:// endpoint must be on a loopback address (127.0.0.1, [::1]); use https://");
  CHECK(std::holds_alternative<subscription::SubscriptionRequest>(subscription::read_subscription(
      json::Value::parse(replaced(good, "https://partner.example.org", "http://127.0.0.1:8443")),
      {.allow_http_loopback = true})));

  issue = only_issue(replaced(good, "\"status\":\"requested\"", "\"status\":\"active\""));
  CHECK(issue.expression == "Subscription.status");
  CHECK(issue.diagnostics == "a new Subscription is 'requested', not 'active'; the server sets it active");

  issue = only_issue(replaced(good, "Patient/example", "Group/4"));
  CHECK(issue.expression == "Subscription.criteria.extension");
  CHECK(issue.diagnostics == "the patient filter 'Group/4' is not Patient/[id] or [id]");

  issue = only_issue(replaced(good, "\"full-resource\"", "\"everything\""));
  CHECK(issue.expression == "Subscription.channel.payload.extension");
  CHECK(validate::to_code(issue.code) == "code-invalid");

  issue = only_issue(replaced(good, "\"Authorization: Bearer secret-of-the-partner\"", "\"Host: elsewhere\""));
  CHECK(issue.expression == "Subscription.channel.header[0]");
  CHECK(issue.diagnostics == "the header Host is set by the server itself");
  issue = only_issue(replaced(good, "\"Authorization: Bearer secret-of-the-partner\"", "\"no colon here\""));
  CHECK(issue.diagnostics == "a header is \"Name: value\" with an HTTP token as its name");
  issue = only_issue(replaced(good, "\"Authorization: Bearer secret-of-the-partner\"", "\"X-A: b\\r\\nX-Injected: c\""));
  CHECK(issue.diagnostics == "a header may not hold CR, LF or NUL");

  issue = only_issue(replaced(good, "\"valueUnsignedInt\":120", "\"valueUnsignedInt\":0"));
  CHECK(issue.expression == "Subscription.channel.extension");
  CHECK(issue.diagnostics == "backport-heartbeat-period is one valueUnsignedInt of 1 to 86400 seconds");

  issue = only_issue(replaced(good, "\"payload\":\"application/fhir+json\",", ""));
  CHECK(issue.expression == "Subscription.channel.payload");
  CHECK(validate::to_code(issue.code) == "required");

  // Several faults: one issue each, every one named.
  auto read = subscription::read_subscription(
      json::Value::parse(replaced(replaced(good, "\"rest-hook\"", "\"email\""), "\"reason\":", "\"comment\":")), {});
  REQUIRE(std::holds_alternative<std::vector<validate::Issue>>(read));
  const auto& issues = std::get<std::vector<validate::Issue>>(read);
  REQUIRE(issues.size() == 2);
  CHECK(issues[0].expression == "Subscription.reason");
  CHECK(issues[1].expression == "Subscription.channel.type");
}

TEST_CASE("loopback URLs are 127.0.0.0/8, [::1] and localhost only", "[subscription]") {
  CHECK(subscription::loopback_url("http://127.0.0.1:8080/hook"));
  CHECK(subscription::loopback_url("http://127.3.4.5/hook"));
  CHECK(subscription::loopback_url("http://[::1]:9000/"));
  CHECK(subscription::loopback_url("http://localhost/"));
  CHECK_FALSE(subscription::loopback_url("http://127.0.0.1.evil.example/"));
  CHECK_FALSE(subscription::loopback_url("http://user@127.0.0.1/"));
  CHECK_FALSE(subscription::loopback_url("http://10.0.0.1/"));
  CHECK_FALSE(subscription::loopback_url("ftp://127.0.0.1/"));
}

TEST_CASE("a notification is a history Bundle: the Parameters status first, then each resource", "[subscription]") {
  store::StoredResource finding;
  finding.type = "Observation";
  finding.id = "f-1";
  finding.version = 1;
  finding.json = example("Observation-example-t4-left.json").dump();
  store::StoredResource changed = finding;
  changed.id = "f-2";
  changed.version = 3;
  subscription::StatusFacts facts;
  facts.base_url = "https://clinic.example.org/fhir";
  facts.subscription_id = "sub-1";
  facts.status = "active";
  facts.type = subscription::NotificationType::EventNotification;
  facts.events_since_start = 7;
  facts.now = "2026-12-02T10:00:00.000Z";
  const std::vector<subscription::Event> events{{7, "2026-12-02T09:59:59.500Z", {finding, changed}}};

  const json::Value full = json::Value::parse(subscription::notification_bundle(facts, events, Content::FullResource));
  CHECK(full.string_at("type") == std::optional<std::string_view>("history"));
  const auto& entries = full.find("entry")->as_array();
  REQUIRE(entries.size() == 3);
  const json::Value& status = *entries[0].find("resource");
  CHECK(status.string_at("resourceType") == std::optional<std::string_view>("Parameters"));
  CHECK(status.find("meta")->find("profile")->as_array()[0].as_string() == subscription::kStatusProfile);
  CHECK(entries[0].find("request")->string_at("url") ==
        std::optional<std::string_view>("https://clinic.example.org/fhir/Subscription/sub-1/$status"));
  const auto& parameters = status.find("parameter")->as_array();
  REQUIRE(parameters.size() == 6);
  CHECK(parameters[0].find("valueReference")->string_at("reference") ==
        std::optional<std::string_view>("https://clinic.example.org/fhir/Subscription/sub-1"));
  CHECK(parameters[1].string_at("valueCanonical") == std::optional<std::string_view>(subscription::kTopicUrl));
  CHECK(parameters[2].string_at("valueCode") == std::optional<std::string_view>("active"));
  CHECK(parameters[3].string_at("valueCode") == std::optional<std::string_view>("event-notification"));
  CHECK(parameters[4].string_at("name") == std::optional<std::string_view>("events-since-subscription-start"));
  CHECK(parameters[4].string_at("valueString") == std::optional<std::string_view>("7"));
  const auto& event = parameters[5].find("part")->as_array();
  REQUIRE(event.size() == 4);
  CHECK(event[0].string_at("valueString") == std::optional<std::string_view>("7"));
  CHECK(event[1].string_at("valueInstant") == std::optional<std::string_view>("2026-12-02T09:59:59.500Z"));
  CHECK(event[2].find("valueReference")->string_at("reference") ==
        std::optional<std::string_view>("https://clinic.example.org/fhir/Observation/f-1"));
  CHECK(event[3].find("valueReference")->string_at("reference") ==
        std::optional<std::string_view>("https://clinic.example.org/fhir/Observation/f-2"));
  CHECK(entries[1].string_at("fullUrl") == std::optional<std::string_view>("https://clinic.example.org/fhir/Observation/f-1"));
  CHECK(entries[1].find("resource")->string_at("resourceType") == std::optional<std::string_view>("Observation"));
  CHECK(entries[1].find("request")->string_at("method") == std::optional<std::string_view>("POST"));
  CHECK(entries[2].find("request")->string_at("url") == std::optional<std::string_view>("Observation/f-2"));
  CHECK(entries[2].find("response")->string_at("status") == std::optional<std::string_view>("200"));

  const json::Value ids = json::Value::parse(subscription::notification_bundle(facts, events, Content::IdOnly));
  REQUIRE(ids.find("entry")->size() == 3);
  CHECK(ids.find("entry")->as_array()[1].find("resource") == nullptr);
  CHECK(ids.find("entry")->as_array()[1].string_at("fullUrl") == entries[1].string_at("fullUrl"));
  CHECK(json::Value::parse(subscription::notification_bundle(facts, events, Content::Empty)).find("entry")->size() == 1);
  // The same notification again (a retry) carries the same ids; the next event another.
  CHECK(ids.string_at("id") == full.string_at("id"));
  const std::vector<subscription::Event> next{{8, "2026-12-02T10:00:01.000Z", {finding}}};
  CHECK(json::Value::parse(subscription::notification_bundle(facts, next, Content::IdOnly)).string_at("id") !=
        full.string_at("id"));

  facts.type = subscription::NotificationType::Handshake;
  facts.events_since_start = 0;
  const json::Value handshake = json::Value::parse(subscription::notification_bundle(facts, {}, Content::FullResource));
  const auto& handshake_status = handshake.find("entry")->as_array()[0].find("resource")->find("parameter")->as_array();
  CHECK(handshake_status[3].string_at("valueCode") == std::optional<std::string_view>("handshake"));
  CHECK(handshake_status[4].string_at("valueString") == std::optional<std::string_view>("0"));
  CHECK(handshake_status.size() == 5);
}
