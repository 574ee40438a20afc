#include <catch2/catch.hpp>

#include <set>
#include <thread>

#include "exchange/client.hpp"
#include "test_bundles.hpp"
#include "test_clients.hpp"

using namespace std::chrono_literals;
using mfr::exchange::Client;
using mfr::exchange::ErrorKind;
using mfr::exchange::ExchangeError;
using mfr::json::Value;
using namespace mfr::test;

namespace {

using Steady = std::chrono::steady_clock;

std::string session_identifier(const std::string& session) { return std::string(kSessionSystem) + "|" + session; }

}  // namespace

TEST_CASE("a transaction Bundle is pushed over HTTPS and stored once per record", "[exchange][client]") {
  TestFhirServer server(https_server());
  Client client(client_options(server));
  const auto response = client.post_transaction(session_bundle("S-2024-0311"));
  CHECK(response.status == 200);
  CHECK(response.attempts == 1);
  REQUIRE(response.body.string_at("type") == "transaction-response");
  const auto& entries = response.body.find("entry")->as_array();
  REQUIRE(entries.size() == 3);
  for (const Value& entry : entries) CHECK(entry.find("response")->string_at("status") == "201 Created");
  CHECK(server.stored("Procedure") == 1);
  CHECK(server.stored("Observation") == 2);

  // The conditional patient reference reaches the partner untouched.
  const auto procedure = server.find("Procedure", session_identifier("S-2024-0311"));
  REQUIRE(procedure);
  CHECK(procedure->find("subject")->string_at("reference") == kPatientReference);

  // Sending the same Bundle again (a retry after a lost answer) creates nothing new.
  const auto again = client.post_transaction(session_bundle("S-2024-0311"));
  CHECK(again.body.find("entry")->as_array()[0].find("response")->string_at("status") == "200 OK");
  CHECK(server.stored("Procedure") == 1);
  CHECK(server.stored("Observation") == 2);
  CHECK(client.connections_opened() == 1);  // keep-alive
}

TEST_CASE("503 with Retry-After 1 twice, then success: the client waits as asked and stores once",
          "[exchange][client][retry]") {
  TestFhirServer server(https_server());
  server.fail_next(2, 503, "1");
  Client client(client_options(server));
  const auto started = Steady::now();
  const auto response = client.post_transaction(session_bundle("S-2024-0312"));
  const auto waited = Steady::now() - started;
  CHECK(response.status == 200);
  CHECK(response.attempts == 3);
  CHECK(server.transactions_received() == 3);
  CHECK(waited >= 2s);  // two Retry-After: 1, although the backoff alone would be 100-200 ms
  CHECK(waited < 5s);
  CHECK(server.stored("Procedure") == 1);
}

TEST_CASE("a 429 or 503 that outlasts the retry budget comes back to the caller as the last answer",
          "[exchange][client][retry]") {
  TestFhirServer server(https_server());
  server.fail_next(10, 429);
  auto options = client_options(server);
  options.retry.max_attempts = 3;
  Client client(options);
  const auto response = client.post_transaction(session_bundle("S-2024-0313"));
  CHECK(response.status == 429);
  CHECK(response.attempts == 3);
  CHECK(response.body.string_at("resourceType") == "OperationOutcome");
  CHECK(server.stored("Procedure") == 0);
}

TEST_CASE("a response cut off mid-way is retried and the partner still holds each record once",
          "[exchange][client][retry]") {
  TestFhirServer server(https_server());
  server.drop_next(1);
  Client client(client_options(server));
  const auto response = client.post_transaction(session_bundle("S-2024-0314"));
  CHECK(response.status == 200);
  CHECK(server.transactions_received() == 2);
  // The first attempt was stored before the cut; the retry found it (ifNoneExist).
  CHECK(response.body.find("entry")->as_array()[0].find("response")->string_at("status") == "200 OK");
  CHECK(server.stored("Procedure") == 1);
  CHECK(server.stored("Observation") == 2);
}

TEST_CASE("a partner that is down at first and up a second later receives the Bundle",
          "[exchange][client][retry]") {
  TestFhirServer server(https_server());
  server.stop();
  std::thread comes_back([&] {
    std::this_thread::sleep_for(1s);
    server.start();
  });
  auto options = client_options(server);
  options.retry.max_attempts = 10;
  options.retry.initial_backoff = 150ms;
  Client client(options);
  Steady::time_point started = Steady::now();
  const auto response = client.post_transaction(session_bundle("S-2024-0315"));
  comes_back.join();
  CHECK(response.status == 200);
  CHECK(response.attempts > 1);
  CHECK(Steady::now() - started >= 1s);
  CHECK(server.stored("Procedure") == 1);
}

TEST_CASE("a partner that stays down is reported as a connect error after the allowed attempts",
          "[exchange][client][retry]") {
  TestFhirServer server(https_server());
  server.stop();
  auto options = client_options(server);
  options.retry.max_attempts = 3;
  Client client(options);
  try {
    client.post_transaction(session_bundle("S-2024-0316"));
    FAIL("a Bundle was accepted by a stopped server");
  } catch (const ExchangeError& e) {
    CHECK(e.kind() == ErrorKind::connect);
    CHECK(e.transient());
    CHECK_THAT(e.what(), Catch::Contains("cannot connect to 127.0.0.1:" + std::to_string(server.port())) &&
                             Catch::Contains("after 3 attempts"));
  }
}

TEST_CASE("a 4xx OperationOutcome comes back as it is, after one attempt", "[exchange][client]") {
  TestFhirServer server(https_server());
  Client client(client_options(server));
  std::string batch = session_bundle("S-2024-0317");
  batch.replace(batch.find("\"transaction\""), 13, "\"batch\"");
  const auto response = client.post_transaction(batch);
  CHECK(response.status == 400);
  CHECK(response.attempts == 1);
  CHECK(server.transactions_received() == 1);
  REQUIRE(response.body.string_at("resourceType") == "OperationOutcome");
  const Value& issue = response.body.find("issue")->as_array().at(0);
  CHECK(issue.string_at("code") == "invalid");
  CHECK(issue.find("expression")->as_array().at(0).as_string() == "Bundle.type");
  CHECK(server.stored("Procedure") == 0);
}

TEST_CASE("plain http is refused unless allow_insecure_http is set", "[exchange][client][security]") {
  TestServerOptions plain;
  plain.tls = false;
  TestFhirServer server(plain);
  auto options = client_options(server);
  REQUIRE(options.base_url.rfind("http://", 0) == 0);
  try {
    Client refused(options);
    FAIL("the client accepted http:// without being asked to");
  } catch (const ExchangeError& e) {
    CHECK(e.kind() == ErrorKind::configuration);
    CHECK_THAT(e.what(), Catch::StartsWith("refusing plain http:// for '127.0.0.1'"));
  }
  CHECK(server.requests_received() == 0);

  options.allow_insecure_http = true;
  Client client(options);
  CHECK(client.post_transaction(session_bundle("S-2024-0318")).status == 200);
  CHECK(server.stored("Procedure") == 1);
}

TEST_CASE("a search follows next links page by page: 1000 Observations, _count 100, 10 pages",
          "[exchange][client][search]") {
  TestFhirServer server(https_server());
  server.seed_observations("884422", 1000);
  server.seed_observations("990011", 30);  // another patient's, never returned
  Client client(client_options(server));
  std::set<std::string> ids;
  int pages_seen = 0;
  const auto summary = client.search("Observation", {{"patient", "884422"}}, [&](const Value& page) {
    ++pages_seen;
    CHECK(page.string_at("type") == "searchset");
    for (const Value& entry : page.find("entry")->as_array()) {
      const Value& resource = *entry.find("resource");
      CHECK(resource.find("subject")->string_at("reference") == "Patient/884422");
      ids.insert(std::string(*resource.string_at("id")));
    }
    return true;
  });
  CHECK(summary.pages == 10);
  CHECK(pages_seen == 10);
  CHECK(summary.entries == 1000);
  CHECK(summary.total == 1000);
  CHECK(ids.size() == 1000);
  CHECK(client.connections_opened() == 1);  // one keep-alive connection for all pages
}

TEST_CASE("a search stops when the page callback says so, and an error page throws with its OperationOutcome",
          "[exchange][client][search]") {
  TestFhirServer server(https_server());
  server.seed_observations("884422", 250);
  Client client(client_options(server));
  int pages = 0;
  const auto summary = client.search("Observation", {{"patient", "884422"}, {"_count", "50"}}, [&](const Value&) {
    return ++pages < 2;
  });
  CHECK(summary.pages == 2);
  CHECK(summary.stopped_by_caller);

  try {
    client.search("NoSuchType", {}, [](const Value&) { return true; });
    FAIL("a 404 search page was accepted");
  } catch (const ExchangeError& e) {
    CHECK(e.kind() == ErrorKind::http_status);
    CHECK(e.http_status() == 404);
    CHECK(e.outcome().string_at("resourceType") == "OperationOutcome");
  }
}

TEST_CASE("a partner that answers too slowly times out, and the retry finds what the slow attempt stored",
          "[exchange][client][timeout]") {
  TestFhirServer server(https_server());
  server.delay_transactions(1500ms);
  auto options = client_options(server);
  options.timeouts.request = 400ms;
  options.retry.max_attempts = 2;
  Client client(options);
  const auto started = Steady::now();
  try {
    client.post_transaction(session_bundle("S-2024-0319"));
    FAIL("a response slower than the request time limit was waited for");
  } catch (const ExchangeError& e) {
    CHECK(e.kind() == ErrorKind::timeout);
    CHECK_THAT(e.what(), Catch::StartsWith("timed out reading the response from 127.0.0.1:") &&
                             Catch::EndsWith("(after 2 attempts)"));
  }
  CHECK(Steady::now() - started < 1500ms);
  CHECK(server.transactions_received() == 2);
  CHECK(server.stored("Procedure") == 1);  // the second attempt met the first one's record

  // The whole-operation limit bounds a call whatever the per-step limits say.
  options.timeouts.request = 5s;
  options.timeouts.operation = 600ms;
  Client bounded(options);
  const auto bounded_start = Steady::now();
  CHECK_THROWS_AS(bounded.post_transaction(session_bundle("S-2024-0320")), ExchangeError);
  CHECK(Steady::now() - bounded_start < 1200ms);
}

TEST_CASE("a kept-alive connection the partner closed meanwhile is replaced without a retry",
          "[exchange][client]") {
  TestFhirServer server(https_server());
  Client client(client_options(server));
  CHECK(client.post_transaction(session_bundle("S-2024-0321")).status == 200);
  server.stop();  // closes every connection, then listens again on the same port
  server.start();
  const auto response = client.post_transaction(session_bundle("S-2024-0322"));
  CHECK(response.status == 200);
  CHECK(response.attempts == 1);
  CHECK(client.connections_opened() == 2);
  CHECK(server.stored("Procedure") == 2);
}
