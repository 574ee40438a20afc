// Subscriptions end to end: the FHIR service (called directly, as a partner's requests reach it)
// with its delivery thread, and the partner's rest-hook endpoint a real HTTPS server on
// 127.0.0.1 (hook_receiver.hpp) with certificates made at test time. Every wait is bounded.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "../exchange/test_bundles.hpp"
#include "../exchange/test_pki.hpp"
#include "exchange/server/service.hpp"
#include "hook_receiver.hpp"
#include "json/json.hpp"

using namespace mfr;
using namespace mfr::test;
using namespace std::chrono_literals;

namespace {

const server::Caller kLyon{"clinic-lyon", true, true};
constexpr auto kWithin = 10s;  // the issue's bound for a notification to arrive

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, from.size(), to);
  return text;
}

// A skin rolling session (a Procedure and two findings) for a patient known here by id.
std::string session_for(const std::string& patient, const std::string& session) {
  return replace_all(session_bundle(session), kPatientReference, "Patient/" + patient);
}

std::string subscription_json(const std::string& endpoint, const std::string& patient, const std::string& content,
                              const std::string& channel_extension = {}) {
  return R"({"resourceType":"Subscription","status":"requested","reason":"Findings of our shared patient",
  "criteria":"https://mfr-fhir.org/fhir/SubscriptionTopic/skin-rolling-record",
  "_criteria":{"extension":[{"url":"http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-filter-criteria","valueString":"Observation?patient=Patient/)" +
         patient + R"("}]},
  "channel":{)" + channel_extension + R"("type":"rest-hook","endpoint":")" + endpoint + R"(","payload":"application/fhir+json",
    "_payload":{"extension":[{"url":"http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-payload-content","valueCode":")" +
         content + R"("}]},
    "header":["X-Partner-Key: lyon-7f3a"]}})";
}

struct Clinic {
  std::filesystem::path dir;
  std::shared_ptr<store::Store> store;
  std::unique_ptr<server::FhirService> service;

  Clinic() {
    std::random_device random;
    dir = std::filesystem::temp_directory_path() / ("mfr-subscriptions-" + std::to_string(random()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "ca.pem") << test_pki().ca_pem;
    open();
  }
  ~Clinic() {
    close();
    std::filesystem::remove_all(dir);
  }
  void open() {
    store = std::make_shared<store::Store>(store::Store::open((dir / "clinic.db").string()));
    server::ServiceConfig config;
    config.public_base_url = "https://clinic.example.org/fhir";
    config.export_directory = dir / "exports";
    config.subscription_delivery.subscriber_ca_file = (dir / "ca.pem").string();
    config.subscription_delivery.idle_poll = 100ms;
    config.subscription_delivery.outbox.first_backoff = 200ms;
    config.subscription_delivery.outbox.max_backoff = 1s;
    service = std::make_unique<server::FhirService>(config, store);
  }
  void close() {
    service.reset();
    store.reset();
  }
  server::Reply call(const std::string& method, const std::string& target, const std::string& body = {},
                     const server::Caller& caller = kLyon) {
    server::Request request;
    request.method = method;
    request.target = target;
    request.body = body;
    request.peer = "127.0.0.1";
    if (!body.empty()) request.headers.emplace_back("content-type", "application/fhir+json");
    return service->handle(request, caller);
  }
  std::string subscribe(const std::string& endpoint, const std::string& patient, const std::string& content,
                        const std::string& channel_extension = {}) {
    const server::Reply created =
        call("POST", "/fhir/Subscription", subscription_json(endpoint, patient, content, channel_extension));
    REQUIRE(created.status == 201);
    return std::string(*json::Value::parse(created.body).string_at("id"));
  }
  std::string status_of(const std::string& id) {
    return std::string(*json::Value::parse(call("GET", "/fhir/Subscription/" + id).body).string_at("status"));
  }
  // Waits (bounded) for the Subscription to reach `status`.
  bool reaches(const std::string& id, const std::string& status) {
    for (auto until = std::chrono::steady_clock::now() + kWithin; std::chrono::steady_clock::now() < until;
         std::this_thread::sleep_for(50ms))
      if (status_of(id) == status) return true;
    return false;
  }
};

// The notification's Parameters status: name -> value text (valueCode, valueString, ...).
std::string status_value(const json::Value& bundle, const std::string& name) {
  const json::Value& parameters = *bundle.find("entry")->as_array()[0].find("resource");
  for (const json::Value& p : parameters.find("parameter")->as_array())
    if (p.string_at("name") == std::optional<std::string_view>(name))
      for (const char* key : {"valueCode", "valueString", "valueCanonical"})
        if (auto v = p.string_at(key)) return std::string(*v);
  return {};
}

std::vector<json::Value> bundles(const std::vector<ReceivedPost>& posts) {
  std::vector<json::Value> out;
  for (const auto& post : posts) out.push_back(json::Value::parse(post.body));
  return out;
}

}  // namespace

TEST_CASE("a partner's Subscription: handshake, then one notification per transaction for its patient only",
          "[server][subscription]") {
  HookReceiver hook(test_pki().server);
  Clinic clinic;
  const std::string id = clinic.subscribe(hook.url(), "P-884422", "full-resource");
  auto posts = hook.wait_for(1, kWithin);
  REQUIRE(posts.size() == 1);
  const json::Value handshake = json::Value::parse(posts[0].body);
  CHECK(handshake.string_at("type") == std::optional<std::string_view>("history"));
  CHECK(status_value(handshake, "type") == "handshake");
  CHECK(status_value(handshake, "topic") == "https://mfr-fhir.org/fhir/SubscriptionTopic/skin-rolling-record");
  CHECK(posts[0].header("x-partner-key") == "lyon-7f3a");
  CHECK(posts[0].target == "/hook");
  REQUIRE(clinic.reaches(id, "active"));

  // Another patient's session brings nothing; ours brings one Bundle with its two findings.
  REQUIRE(clinic.call("POST", "/fhir", session_for("P-100200", "S-2024-0400")).status == 200);
  REQUIRE(clinic.call("POST", "/fhir", session_for("P-884422", "S-2024-0311")).status == 200);
  posts = hook.wait_for(2, kWithin);
  REQUIRE(posts.size() == 2);
  const json::Value event = json::Value::parse(posts[1].body);
  CHECK(status_value(event, "type") == "event-notification");
  CHECK(status_value(event, "events-since-subscription-start") == "1");
  CHECK(posts[1].header("x-partner-key") == "lyon-7f3a");
  const auto& entries = event.find("entry")->as_array();
  REQUIRE(entries.size() == 3);  // the status, then the two Observations (the filter asks for Observations)
  for (std::size_t i = 1; i < entries.size(); ++i) {
    const json::Value& resource = *entries[i].find("resource");
    CHECK(resource.string_at("resourceType") == std::optional<std::string_view>("Observation"));
    CHECK(resource.find("subject")->string_at("reference") == std::optional<std::string_view>("Patient/P-884422"));
  }
  std::this_thread::sleep_for(500ms);  // five polls: nothing more comes for the other patient
  CHECK(hook.received().size() == 2);

  const json::Value status = json::Value::parse(clinic.call("GET", "/fhir/Subscription/" + id + "/$status").body);
  const auto& list = status.find("entry")->as_array()[0].find("resource")->find("parameter")->as_array();
  CHECK(list[2].string_at("valueCode") == std::optional<std::string_view>("active"));
  CHECK(list[4].string_at("valueString") == std::optional<std::string_view>("1"));
}

TEST_CASE("id-only notifications name the resources without carrying them", "[server][subscription]") {
  HookReceiver hook(test_pki().server);
  Clinic clinic;
  const std::string id = clinic.subscribe(hook.url(), "P-884422", "id-only");
  REQUIRE(clinic.reaches(id, "active"));
  REQUIRE(clinic.call("POST", "/fhir", session_for("P-884422", "S-2024-0311")).status == 200);
  const auto posts = hook.wait_for(2, kWithin);
  REQUIRE(posts.size() == 2);
  const json::Value event = json::Value::parse(posts[1].body);
  const auto& entries = event.find("entry")->as_array();
  REQUIRE(entries.size() == 3);
  CHECK(entries[1].find("resource") == nullptr);
  CHECK(std::string(*entries[1].string_at("fullUrl")).starts_with("https://clinic.example.org/fhir/Observation/"));
  CHECK(posts[1].header("x-partner-key") == "lyon-7f3a");
}

TEST_CASE("an endpoint that is down gets its notifications later, in order, counted without gaps",
          "[server][subscription]") {
  HookReceiver hook(test_pki().server);
  Clinic clinic;
  const std::string id = clinic.subscribe(hook.url(), "P-884422", "id-only");
  REQUIRE(clinic.reaches(id, "active"));
  hook.stop();
  for (const char* session : {"S-2024-0311", "S-2024-0312", "S-2024-0313"})
    REQUIRE(clinic.call("POST", "/fhir", session_for("P-884422", session)).status == 200);
  std::this_thread::sleep_for(700ms);  // a few failed attempts, with their backoff
  hook.start();
  const auto posts = hook.wait_for(4, kWithin);
  REQUIRE(posts.size() == 4);
  const auto received = bundles(posts);
  for (int n = 1; n <= 3; ++n) CHECK(status_value(received[n], "events-since-subscription-start") == std::to_string(n));
}

TEST_CASE("a restart of the server loses no notification", "[server][subscription]") {
  HookReceiver hook(test_pki().server);
  Clinic clinic;
  const std::string id = clinic.subscribe(hook.url(), "P-884422", "id-only");
  REQUIRE(clinic.reaches(id, "active"));
  hook.stop();
  REQUIRE(clinic.call("POST", "/fhir", session_for("P-884422", "S-2024-0311")).status == 200);
  clinic.close();  // the server goes down before the endpoint is back
  hook.start();
  clinic.open();
  const auto posts = hook.wait_for(2, kWithin);
  REQUIRE(posts.size() == 2);
  CHECK(status_value(json::Value::parse(posts[1].body), "events-since-subscription-start") == "1");
}

TEST_CASE("an endpoint whose certificate comes from an unknown CA is refused: the Subscription is in error",
          "[server][subscription]") {
  HookReceiver stranger(test_pki().untrusted);
  Clinic clinic;
  const std::string id = clinic.subscribe(stranger.url(), "P-884422", "id-only");
  REQUIRE(clinic.reaches(id, "error"));
  CHECK(stranger.received().empty());
  const json::Value status = json::Value::parse(clinic.call("GET", "/fhir/Subscription/" + id + "/$status").body);
  CHECK(status.dump().find("handshake failed") != std::string::npos);

  HookReceiver refusing(test_pki().server);
  refusing.answer_with(403);
  const std::string refused = clinic.subscribe(refusing.url(), "P-884422", "id-only");
  CHECK(clinic.reaches(refused, "error"));
}

TEST_CASE("a quiet Subscription gets heartbeats at its heartbeatPeriod", "[server][subscription]") {
  HookReceiver hook(test_pki().server);
  Clinic clinic;
  const std::string id = clinic.subscribe(
      hook.url(), "P-884422", "id-only",
      R"("extension":[{"url":"http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-heartbeat-period","valueUnsignedInt":1}],)");
  const auto posts = hook.wait_for(2, kWithin);
  REQUIRE(posts.size() == 2);
  const json::Value heartbeat = json::Value::parse(posts[1].body);
  CHECK(status_value(heartbeat, "type") == "heartbeat");
  CHECK(status_value(heartbeat, "events-since-subscription-start") == "0");
  CHECK(heartbeat.find("entry")->size() == 1);
  CHECK(posts[1].header("x-partner-key") == "lyon-7f3a");
  CHECK(clinic.status_of(id) == "active");
}
