// The server on 127.0.0.1 with certificates made at test time, driven by real clients: the
// exchange client, curl, and raw sockets for what well-behaved clients never send.
#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "../exchange/test_bundles.hpp"
#include "../exchange/test_pki.hpp"
#include "exchange/client.hpp"
#include "exchange/server/http_server.hpp"
#include "net_helpers.hpp"
#include "service_fixture.hpp"

namespace mfr::test {
namespace {

using namespace std::chrono_literals;

constexpr const char* kLyonToken = "lyon-secret-0123456789";
constexpr const char* kNiceToken = "nice-secret-0123456789";

server::ServerOptions base_options(bool tls) {
  server::ServerOptions options;
  if (tls) {
    options.certificate_pem = test_pki().server.certificate_pem;
    options.private_key_pem = test_pki().server.key_pem;
  } else {
    options.allow_plain_http = true;
  }
  options.tokens = {server::parse_token_grant(std::string("clinic-lyon:") + kLyonToken + ":read,write"),
                    server::parse_token_grant(std::string("clinic-nice:") + kNiceToken + ":read")};
  options.header_timeout = 1s;
  options.body_timeout = 3s;
  options.body_limit = 64 * 1024;
  options.header_limit = 8 * 1024;
  options.requests_per_second = 0;
  return options;
}

struct Running {
  std::shared_ptr<store::Store> store = std::make_shared<store::Store>(store::Store::open(""));
  std::mutex mutex;
  std::vector<std::string> log;
  std::atomic<int> received{0};
  std::unique_ptr<server::HttpServer> server;

  explicit Running(server::ServerOptions options) {
    options.on_log = [this](std::string_view line) {
      std::lock_guard lock(mutex);
      log.emplace_back(line);
    };
    options.on_received = [this](const store::StoredResource&) { ++received; };
    server = std::make_unique<server::HttpServer>(std::move(options), store);
    server->start();
  }
  std::uint16_t port() const { return server->port(); }
};

std::string ca_file() {
  static const std::string path = temp_file("ca.pem", test_pki().ca_pem);
  return path;
}

std::string curl_tls(const Running& r, const std::string& path, const std::string& extra = {}) {
  return "--cacert '" + ca_file() + "' " + extra + " 'https://127.0.0.1:" + std::to_string(r.port()) + "/fhir" + path + "'";
}

std::string bearer(const char* token) { return std::string("-H 'Authorization: Bearer ") + token + "'"; }

std::string request(const std::string& method, const std::string& path, const std::string& body = {},
                    const std::string& extra_headers = {}) {
  std::string text = method + " /fhir" + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                     kLyonToken + "\r\nConnection: close\r\n" + extra_headers;
  if (!body.empty() || method == "PUT" || method == "POST")
    text += "Content-Type: application/fhir+json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  return text + "\r\n" + body;
}

std::string etag_of(const RawResponse& response) {
  const auto at = response.head.find("ETag: W/\"");
  if (at == std::string::npos) return {};
  return response.head.substr(at + 9, response.head.find('"', at + 9) - at - 9);
}

exchange::ClientOptions client_for(const Running& r, const char* token) {
  exchange::ClientOptions options;
  options.base_url = r.server->base_url();
  options.tls.ca_pem = test_pki().ca_pem;
  options.bearer_token = token;
  options.timeouts.connect = 2s;
  options.timeouts.tls_handshake = 2s;
  options.timeouts.request = 5s;
  options.timeouts.operation = 10s;
  options.page_size = 3;
  return options;
}

}  // namespace

TEST_CASE("the exchange client sends transactions over TLS and pages back what the server stored",
          "[server][http]") {
  Running r(base_options(true));
  exchange::Client client(client_for(r, kLyonToken));
  for (const char* session : {"S-2024-0311", "S-2024-0318"}) {
    const auto response = client.post_transaction(session_bundle(session, session[9] == '1' ? 11 : 18));
    REQUIRE(response.status == 200);
    CHECK(response.body.string_at("type") == std::optional<std::string_view>("transaction-response"));
  }
  CHECK(r.received == 6);
  const auto resent = client.post_transaction(session_bundle("S-2024-0311", 11));
  CHECK(resent.status == 200);
  CHECK(r.store->count("Observation") == 4);
  CHECK(r.received == 6);

  std::size_t findings = 0;
  const auto summary = client.search("Observation", {{"date", "ge2024-03-01"}}, [&](const json::Value& page) {
    findings += page.find("entry") ? page.find("entry")->size() : 0;
    return true;
  });
  CHECK(summary.pages == 2);
  CHECK(findings == 4);
  CHECK(client.connections_opened() == 1);  // keep-alive across the transactions and pages

  std::lock_guard lock(r.mutex);
  REQUIRE(!r.log.empty());
  for (const std::string& line : r.log) {
    CHECK(line.find('?') == std::string::npos);
    CHECK(line.find("884422") == std::string::npos);
  }
}

TEST_CASE("curl gets metadata without a token, data only with a valid one, and writes only with the write scope",
          "[server][http]") {
  Running r(base_options(true));
  const auto metadata = curl(curl_tls(r, "/metadata"));
  CHECK(metadata.status == 200);
  CHECK(metadata.body.find("\"CapabilityStatement\"") != std::string::npos);
  CHECK(metadata.headers.find("application/fhir+json") != std::string::npos);

  const auto anonymous = curl(curl_tls(r, "/Procedure"));
  CHECK(anonymous.status == 401);
  CHECK(anonymous.body.find("OperationOutcome") != std::string::npos);
  CHECK(curl(curl_tls(r, "/Procedure", "-H 'Authorization: Bearer lyon-secret-0123456788'")).status == 401);
  CHECK(curl(curl_tls(r, "/Procedure", "-H 'Authorization: Basic bHlvbjpzZWNyZXQ='")).status == 401);

  const std::string bundle_path = temp_file("bundle.json", session_bundle("S-2024-0320", 20));
  const std::string post = "-X POST -H 'Content-Type: application/fhir+json' --data-binary '@" + bundle_path + "' ";
  CHECK(curl(curl_tls(r, "", post + bearer(kNiceToken))).status == 403);
  CHECK(r.store->count("Procedure") == 0);
  const auto stored = curl(curl_tls(r, "", post + bearer(kLyonToken)));
  CHECK(stored.status == 200);
  REQUIRE(r.store->count("Procedure") == 1);

  const std::string id = r.store->search(every("Procedure"))[0].id;
  const auto read = curl(curl_tls(r, "/Procedure/" + id, bearer(kNiceToken)));
  CHECK(read.status == 200);
  CHECK(read.headers.find("ETag: W/\"1\"") != std::string::npos);
  CHECK(read.headers.find("Last-Modified: ") != std::string::npos);
  CHECK(curl(curl_tls(r, "/Procedure/" + id + "/_history/1", bearer(kNiceToken))).status == 200);
  const auto search = curl(curl_tls(r, "/Observation?part-of=Procedure/" + id + "&_include=Observation:part-of",
                                    bearer(kNiceToken)));
  CHECK(search.status == 200);
  CHECK(search.body.find("\"mode\":\"include\"") != std::string::npos);
}

TEST_CASE("curl runs a Bulk $export over TLS: kick-off, polling, manifest, NDJSON files as stored, cancel",
          "[server][http][export]") {
  Running r(base_options(true));
  for (int i = 0; i < 5; ++i) {
    const std::string bundle_path = temp_file("bundle.json", session_bundle("S-2024-05" + std::to_string(i), 1 + i));
    REQUIRE(curl(curl_tls(r, "", "-X POST -H 'Content-Type: application/fhir+json' --data-binary '@" + bundle_path +
                                     "' " + bearer(kLyonToken))).status == 200);
  }
  const std::string async = "-H 'Prefer: respond-async' -H 'Accept: application/fhir+json' ";
  CHECK(curl(curl_tls(r, "/$export", async)).status == 401);
  CHECK(curl(curl_tls(r, "/$export", async + "-H 'Authorization: Bearer nice-secret-0123456780'")).status == 401);
  CHECK(curl(curl_tls(r, "/$export", bearer(kNiceToken))).status == 400);  // no Prefer: respond-async
  CHECK(curl(curl_tls(r, "/$export?_outputFormat=text/csv", async + bearer(kNiceToken))).status == 400);

  const auto kick = curl(curl_tls(r, "/$export?_type=Procedure,Observation", async + bearer(kNiceToken)));
  REQUIRE(kick.status == 202);
  const std::string prefix = "Content-Location: https://127.0.0.1:" + std::to_string(r.port()) + "/fhir/$export-poll/";
  const auto at = kick.headers.find(prefix);
  REQUIRE(at != std::string::npos);
  const std::string job = kick.headers.substr(at + prefix.size(), kick.headers.find('\r', at) - at - prefix.size());
  CurlResult status;
  for (int i = 0; i < 300 && (status = curl(curl_tls(r, "/$export-poll/" + job, bearer(kNiceToken)))).status == 202; ++i)
    std::this_thread::sleep_for(10ms);
  REQUIRE(status.status == 200);
  CHECK(curl(curl_tls(r, "/$export-poll/" + job, bearer(kLyonToken))).status == 404);  // not the owner
  const json::Value manifest = json::Value::parse(status.body);
  REQUIRE(manifest.find("output")->size() == 2);
  for (const json::Value& output : manifest.find("output")->as_array()) {
    const std::string url(*output.string_at("url"));
    CHECK(curl("--cacert '" + ca_file() + "' '" + url + "'").status == 401);
    const auto file = curl("--cacert '" + ca_file() + "' " + bearer(kNiceToken) + " '" + url + "'");
    REQUIRE(file.status == 200);
    CHECK(file.headers.find("Content-Type: application/fhir+ndjson") != std::string::npos);
    std::set<std::string> got, expected;
    std::istringstream lines(file.body);
    for (std::string line; std::getline(lines, line);) {
      CHECK_NOTHROW(json::Value::parse(line));
      got.insert(line);
    }
    for (const auto& stored : r.store->search(every(std::string(*output.string_at("type"))))) expected.insert(stored.json);
    CHECK(got == expected);
    CHECK(output.find("count")->as_integer() == static_cast<long long>(expected.size()));
  }
  CHECK(curl(curl_tls(r, "/$export-poll/" + job, "-X DELETE " + bearer(kNiceToken))).status == 202);
  CHECK(curl(curl_tls(r, "/$export-poll/" + job, bearer(kNiceToken))).status == 404);
  CHECK(curl(curl_tls(r, "/metadata")).status == 200);  // and the server goes on serving
}

TEST_CASE("oversized, malformed and oversized-header requests are refused and the server goes on serving",
          "[server][http]") {
  Running r(base_options(false));
  const auto too_big = raw_exchange(r.port(), std::string("POST /fhir/Procedure HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ") +
                                                  kLyonToken + "\r\nContent-Type: application/fhir+json\r\n"
                                                  "Content-Length: 10000000\r\n\r\n{");
  CHECK(too_big.status == 413);
  CHECK(too_big.body.find("OperationOutcome") != std::string::npos);
  CHECK(too_big.closed);

  // A refused body that was sent anyway: the answer still arrives (no reset).
  const std::string big(200 * 1024, ' ');
  const auto refused_with_body = raw_exchange(
      r.port(), std::string("POST /fhir/Procedure HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ") + kLyonToken +
                    "\r\nContent-Type: application/fhir+json\r\nContent-Length: " + std::to_string(big.size()) +
                    "\r\n\r\n" + big);
  CHECK(refused_with_body.status == 413);

  const auto garbage = raw_exchange(r.port(), "GET /fhir/metadata HTTX/1.1\r\n\r\n");
  CHECK(garbage.status == 400);
  CHECK(garbage.body.find("OperationOutcome") != std::string::npos);

  const auto huge_header = raw_exchange(r.port(), "GET /fhir/metadata HTTP/1.1\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n");
  CHECK(huge_header.status == 431);

  const auto invalid = raw_exchange(r.port(), request("POST", "/Procedure", R"({"resourceType":"Procedure","status":"done","subject":{"reference":"Patient/1"}})"));
  CHECK(invalid.status == 422);
  CHECK(invalid.body.find("\"Procedure.status\"") != std::string::npos);

  const auto after = raw_exchange(r.port(), request("GET", "/metadata"));
  CHECK(after.status == 200);

  SECTION("over TLS with curl too") {
    Running secure(base_options(true));
    const std::string big_file = temp_file("big.json", std::string(200 * 1024, ' '));
    const auto refused = curl(curl_tls(secure, "/Procedure", bearer(kLyonToken) +
                                       " -X POST -H 'Expect: 100-continue' -H 'Content-Type: application/fhir+json' "
                                       "--data-binary '@" + big_file + "'"));
    CHECK(refused.status == 413);
    CHECK(curl(curl_tls(secure, "/metadata")).status == 200);
  }
}

TEST_CASE("a client that trickles its headers is closed at the header deadline, as is a silent TLS client",
          "[server][http]") {
  Running r(base_options(false));
  const int fd = connect_loopback(r.port());
  REQUIRE(fd >= 0);
  const auto started = std::chrono::steady_clock::now();
  ::send(fd, "GET /fhir/metadata HTTP/1.1\r\n", 29, MSG_NOSIGNAL);
  bool closed = false;
  for (int i = 0; i < 40 && !closed; ++i) {
    ::send(fd, "X-Slow: 1\r\n", 11, MSG_NOSIGNAL);
    closed = closed_within(fd, 150ms);
  }
  const auto elapsed = std::chrono::steady_clock::now() - started;
  ::close(fd);
  CHECK(closed);
  CHECK(elapsed < 2500ms);
  CHECK(raw_exchange(r.port(), request("GET", "/metadata")).status == 200);

  Running secure(base_options(true));
  const int silent = connect_loopback(secure.port());
  REQUIRE(silent >= 0);
  CHECK(closed_within(silent, 2500ms));
  ::close(silent);
}

TEST_CASE("concurrent writers do not lose updates and concurrent resends store one copy", "[server][http]") {
  auto options = base_options(false);
  options.threads = 3;
  Running r(options);
  const std::string procedure =
      R"({"resourceType":"Procedure","id":"shared","status":"completed","subject":{"reference":"Patient/p1"}})";
  REQUIRE(raw_exchange(r.port(), request("PUT", "/Procedure/shared", procedure)).status == 201);

  constexpr int kWriters = 4, kUpdates = 6;
  std::atomic<int> conflicts{0}, failures{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int done = 0, tries = 0; done < kUpdates && tries < 200; ++tries) {
        const auto current = raw_exchange(r.port(), request("GET", "/Procedure/shared"));
        const std::string version = etag_of(current);
        if (current.status != 200 || version.empty()) {
          ++failures;
          continue;
        }
        const auto put = raw_exchange(r.port(), request("PUT", "/Procedure/shared", procedure,
                                                         "If-Match: W/\"" + version + "\"\r\n"));
        if (put.status == 200) ++done;
        else if (put.status == 412) ++conflicts;
        else ++failures;
      }
      // And each writer sends one session of its own as a transaction.
      const auto sent = raw_exchange(r.port(), request("POST", "", session_bundle("S-W" + std::to_string(w), w + 1)));
      if (sent.status != 200) ++failures;
    });
  }
  for (auto& t : writers) t.join();
  CHECK(failures == 0);
  CHECK(r.store->read("Procedure", "shared")->version == 1 + kWriters * kUpdates);
  CHECK(r.store->history("Procedure", "shared").size() == 1 + kWriters * kUpdates);
  CHECK(r.store->count("Procedure") == 1 + kWriters);
  CHECK(r.store->count("Observation") == 2 * kWriters);
  INFO("If-Match conflicts retried: " << conflicts.load());

  // The same transaction sent three times at once (a partner retrying in a hurry) stores one copy.
  std::vector<std::thread> resenders;
  std::atomic<int> answered{0};
  for (int i = 0; i < 3; ++i)
    resenders.emplace_back([&] {
      if (raw_exchange(r.port(), request("POST", "", session_bundle("S-SAME", 9))).status == 200) ++answered;
    });
  for (auto& t : resenders) t.join();
  CHECK(answered == 3);
  CHECK(r.store->count("Procedure") == 2 + kWriters);
  CHECK(r.store->count("Observation") == 2 * kWriters + 2);
}

TEST_CASE("too many requests from one address get 429 with Retry-After", "[server][http]") {
  auto options = base_options(false);
  options.requests_per_second = 1;
  options.burst = 3;
  Running r(options);
  int ok = 0, throttled = 0;
  for (int i = 0; i < 6; ++i) {
    const auto response = raw_exchange(r.port(), request("GET", "/metadata"));
    if (response.status == 200) ++ok;
    if (response.status == 429) {
      ++throttled;
      CHECK(response.head.find("Retry-After: 1") != std::string::npos);
    }
  }
  CHECK(ok >= 3);
  CHECK(ok <= 4);
  CHECK(throttled == 6 - ok);
}

TEST_CASE("connections beyond the limit are closed at once and the server serves again when one ends",
          "[server][http]") {
  auto options = base_options(false);
  options.max_connections = 2;
  Running r(options);
  const int first = connect_loopback(r.port());
  const int second = connect_loopback(r.port());
  std::this_thread::sleep_for(200ms);  // both accepted
  const int third = connect_loopback(r.port());
  CHECK(closed_within(third, 1s));
  ::close(third);
  CHECK_FALSE(closed_within(first, 100ms));
  ::close(first);
  std::this_thread::sleep_for(200ms);
  CHECK(raw_exchange(r.port(), request("GET", "/metadata")).status == 200);
  ::close(second);
}

TEST_CASE("stop returns promptly while partners hold idle keep-alive connections", "[server][http]") {
  Running r(base_options(false));
  std::vector<int> idle;
  for (int i = 0; i < 3; ++i) {
    const int fd = connect_loopback(r.port());
    const std::string keep = "GET /fhir/metadata HTTP/1.1\r\nHost: x\r\n\r\n";
    ::send(fd, keep.data(), keep.size(), MSG_NOSIGNAL);
    CHECK(read_response(fd, 2s).status == 200);
    idle.push_back(fd);
  }
  const auto started = std::chrono::steady_clock::now();
  r.server->stop();
  CHECK(std::chrono::steady_clock::now() - started < 1s);
  for (int fd : idle) {
    CHECK(closed_within(fd, 1s));
    ::close(fd);
  }
  r.server->stop();  // twice is harmless
}

TEST_CASE("plain HTTP is served only when asked for and only on loopback; TLS needs a certificate",
          "[server][http]") {
  auto store = std::make_shared<store::Store>(store::Store::open(""));
  auto plain_everywhere = base_options(false);
  plain_everywhere.bind_address = "0.0.0.0";
  CHECK_THROWS_WITH(server::HttpServer(plain_everywhere, store), Catch::Contains("loopback"));
  auto no_certificate = base_options(true);
  no_certificate.certificate_pem.clear();
  CHECK_THROWS_WITH(server::HttpServer(no_certificate, store), Catch::Contains("certificate"));
  auto no_tokens = base_options(true);
  no_tokens.tokens.clear();
  CHECK_THROWS_AS(server::HttpServer(no_tokens, store), std::invalid_argument);
  CHECK_THROWS_WITH(server::parse_token_grant("lyon:short:read"), Catch::Contains("16 characters"));
  CHECK_THROWS_WITH(server::parse_token_grant("lyon:long-enough-secret-123:admin"), Catch::Contains("admin"));
}

TEST_CASE("with a client CA, a partner without a client certificate is refused and one with it is served",
          "[server][http]") {
  auto options = base_options(true);
  options.client_ca_pem = test_pki().ca_pem;
  Running r(options);
  CHECK(curl(curl_tls(r, "/metadata")).status == 0);
  const std::string cert = temp_file("client.pem", test_pki().client.certificate_pem);
  const std::string key = temp_file("client.key", test_pki().client.key_pem);
  CHECK(curl(curl_tls(r, "/metadata", "--cert '" + cert + "' --key '" + key + "'")).status == 200);
}

}  // namespace mfr::test

namespace mfr::test {

TEST_CASE("a reply's head: status line, Server, Date, the reply's headers, Content-Length; Connection: close only "
          "when the connection closes",
          "[server][http]") {
  Running r(base_options(false));
  const std::string stored =
      R"({"resourceType":"Procedure","id":"p1","meta":{"versionId":"3","lastUpdated":"2024-03-05T09:30:00.123+01:00"},)"
      R"("status":"completed"})";
  r.store->put(stored);
  const int fd = connect_loopback(r.port());
  REQUIRE(fd >= 0);
  const std::string get =
      std::string("GET /fhir/Procedure/p1 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ") + kLyonToken + "\r\n";
  auto head_lines = [](const std::string& head) {
    std::vector<std::string> lines;
    for (std::size_t at = 0; at <= head.size();) {
      const auto end = std::min(head.find("\r\n", at), head.size());
      lines.push_back(head.substr(at, end - at));
      at = end + 2;
    }
    return lines;
  };
  const std::string date_prefix = "Date: ";
  for (const bool last : {false, true}) {
    const std::string text = get + (last ? "Connection: close\r\n\r\n" : "\r\n");
    REQUIRE(::send(fd, text.data(), text.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(text.size()));
    const RawResponse response = read_response(fd, 5s);
    CHECK(response.body == stored);
    CHECK(response.closed == last);
    std::vector<std::string> lines = head_lines(response.head);
    REQUIRE(lines.size() >= 3);
    CHECK(lines[2].starts_with(date_prefix));
    CHECK(lines[2].ends_with(" GMT"));
    lines[2] = "Date: (now)";
    std::vector<std::string> expected = {"HTTP/1.1 200 OK", "Server: mfr-fhir", "Date: (now)",
                                         "Content-Type: application/fhir+json; charset=utf-8", "ETag: W/\"3\"",
                                         "Last-Modified: Tue, 05 Mar 2024 08:30:00 GMT"};
    if (last) expected.push_back("Connection: close");
    expected.push_back("Content-Length: " + std::to_string(stored.size()));
    CHECK(lines == expected);
  }
  ::close(fd);
}

}  // namespace mfr::test
