// The exchange as a host sees it: through mfr.h / mfr.hpp, linked against libmfr-fhir, talking
// to the real HTTPS FHIR test server of tests/exchange (certificates made at test time).
#include <catch2/catch.hpp>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "abi_helpers.hpp"
#include "json/json.hpp"
#include "mfr/mfr.hpp"
#include "test_clients.hpp"
#include "test_pki.hpp"
#include "test_server.hpp"

using namespace mfr::test::abi;

TEST_CASE("Sessions pushed through the ABI are stored by the partner once, however often they are pushed", "[exchange_abi]") {
  TestFhirServer server(mfr::test::https_server());
  TempDir dir;
  const mfr::Api api = mfr::Api::linked();
  mfr::Context ctx(api, kSystem);
  Deliveries deliveries;
  PartnerSetup partner(server, dir, &deliveries);
  ctx.add_partner(partner.options);
  const mfr::Session a = session(ctx, "S-2024-0311", "Patient/p-884422", 4, 3);
  const mfr::Session b = session(ctx, "S-2024-0318", "Patient/p-884422", 11, 5);

  const auto first = ctx.push("bordeaux", {&a, &b});
  REQUIRE(first.status == MFR_OK);
  CHECK(first.result.inserted == 1);
  CHECK(first.result.state == MFR_OUTBOX_SENT);
  CHECK(first.result.http_status == 200);
  CHECK(first.result.entries == 2 + 8);
  CHECK(mfr::json::Value::parse(first.answer).string_at("type") == "transaction-response");
  CHECK(server.stored("Procedure") == 2);
  CHECK(server.stored("Observation") == 8);
  CHECK(deliveries.states == std::vector<mfr_outbox_state>{MFR_OUTBOX_SENT});
  const int transactions = server.transactions_received();

  // The same Bundle again: the outbox knows it was sent, nothing goes out.
  const auto again = ctx.push("bordeaux", {&a, &b});
  CHECK(again.status == MFR_OK);
  CHECK(again.result.inserted == 0);
  CHECK(again.result.state == MFR_OUTBOX_SENT);
  CHECK(again.result.outbox_id == first.result.outbox_id);
  CHECK(server.transactions_received() == transactions);

  // Another workstation with its own empty outbox sends it again: the conditional creates
  // keep the partner at one record each.
  mfr::Context other(api, kSystem);
  other.add_partner(partner.options);
  const auto elsewhere = other.push("bordeaux", {&a, &b});
  CHECK(elsewhere.status == MFR_OK);
  CHECK(server.transactions_received() == transactions + 1);
  CHECK(server.stored("Procedure") == 2);
  CHECK(server.stored("Observation") == 8);
  CHECK(elsewhere.answer.find("200 OK") != std::string::npos);

  const mfr_outbox_counts counts = ctx.outbox_counts();
  CHECK(counts.sent == 1);
  CHECK(counts.queued + counts.failed + counts.dead + counts.in_flight == 0);
}

TEST_CASE("A Bundle pushed while the partner is down stays queued on disk, and a later flush sends it", "[exchange_abi]") {
  TestFhirServer server(mfr::test::https_server());
  server.stop();
  TempDir dir;
  const std::string store = (dir.path / "clinic.db").string();
  const mfr::Api api = mfr::Api::linked();
  Deliveries deliveries;
  PartnerSetup partner(server, dir, &deliveries);
  std::int64_t row = 0;
  {
    mfr::Context ctx(api, kSystem);
    ctx.open_store(store);
    ctx.add_partner(partner.options);
    const mfr::Session s = session(ctx, "S-2024-0401", "Patient/p-17", 1, 4);
    const auto pushed = ctx.push("bordeaux", {&s});
    CHECK(pushed.status == MFR_ERR_NETWORK);
    CHECK(pushed.message.find("stays queued as outbox row") != std::string::npos);
    CHECK(pushed.message.find("cannot connect") != std::string::npos);
    CHECK(pushed.result.state == MFR_OUTBOX_FAILED);
    CHECK(pushed.answer.empty());
    row = pushed.result.outbox_id;
    CHECK(row > 0);
  }  // the workstation closes; the Bundle is in the file

  server.start();
  mfr::Context later(api, kSystem);
  later.open_store(store);
  later.add_partner(partner.options);
  CHECK(later.outbox_counts().failed == 1);
  // Its backoff (about 2 s after the failure) has not run out yet: nothing is due.
  const mfr_flush_report early = later.flush("bordeaux");
  CHECK(early.sent == 0);
  CHECK(early.remaining == 1);
  CHECK(server.transactions_received() == 0);

  std::this_thread::sleep_for(2600ms);
  const mfr_flush_report report = later.flush("bordeaux");
  CHECK(report.sent == 1);
  CHECK(report.failed == 0);
  CHECK(report.stopped_early == 0);
  CHECK(report.remaining == 0);
  CHECK(server.stored("Procedure") == 1);
  CHECK(server.stored("Observation") == 4);
  CHECK(deliveries.states == std::vector<mfr_outbox_state>{MFR_OUTBOX_FAILED, MFR_OUTBOX_SENT});
  CHECK(deliveries.statuses == std::vector<int>{0, 200});
  const auto rows = mfr::json::Value::parse(later.outbox_list());
  REQUIRE(rows.size() == 1);
  CHECK(rows.as_array()[0].find("id")->as_integer() == row);
  CHECK(rows.as_array()[0].string_at("state") == "sent");
  CHECK(rows.as_array()[0].string_at("responseSummary") == "200: 5 entries (201 Created x5)");
}

TEST_CASE("A queue-only push sends nothing until the flush", "[exchange_abi]") {
  TestFhirServer server(mfr::test::https_server());
  TempDir dir;
  const mfr::Api api = mfr::Api::linked();
  mfr::Context ctx(api, kSystem);
  PartnerSetup partner(server, dir);
  ctx.add_partner(partner.options);
  const mfr::Session s1 = session(ctx, "S-2024-0501", "Patient/p-3", 2, 2);
  const mfr::Session s2 = session(ctx, "S-2024-0502", "Patient/p-3", 9, 2);
  CHECK(ctx.push("bordeaux", {&s1}, MFR_PUSH_QUEUE_ONLY).result.state == MFR_OUTBOX_QUEUED);
  CHECK(ctx.push("bordeaux", {&s2}, MFR_PUSH_QUEUE_ONLY).result.state == MFR_OUTBOX_QUEUED);
  CHECK(server.transactions_received() == 0);
  CHECK(ctx.outbox_counts().queued == 2);
  const mfr_flush_report report = ctx.flush("bordeaux");
  CHECK(report.sent == 2);
  CHECK(server.stored("Procedure") == 2);
  CHECK(ctx.outbox_counts().sent == 2);
}

TEST_CASE("A patient's 250 findings come back from the partner over several pages, as sessions", "[exchange_abi]") {
  TestFhirServer server(mfr::test::https_server());
  TempDir dir;
  const mfr::Api api = mfr::Api::linked();
  mfr::Context ctx(api, kSystem);
  PartnerSetup partner(server, dir);
  partner.options.page_size = 100;
  partner.options.operation_timeout_ms = 20000;
  ctx.add_partner(partner.options);
  std::vector<mfr::Session> sessions;
  for (int i = 0; i < 25; ++i) sessions.push_back(session(ctx, "S-250-" + std::to_string(100 + i), "Patient/p-250", 1 + i, 10));
  const mfr::Session stranger = session(ctx, "S-999-1", "Patient/p-999", 3, 6);
  std::vector<const mfr::Session*> list;
  for (const auto& s : sessions) list.push_back(&s);
  REQUIRE(ctx.push("bordeaux", list).status == MFR_OK);
  REQUIRE(ctx.push("bordeaux", {&stranger}).status == MFR_OK);
  REQUIRE(server.stored("Observation") == 256);

  // A reader elsewhere, with nothing of its own.
  mfr::Context reader(api, "https://clinic-bordeaux.example.org/fhir/sessions");
  reader.add_partner(partner.options);
  const int requests = server.requests_received();
  const mfr::ImportResult fetched = reader.fetch("bordeaux", "Patient/p-250");
  CHECK(fetched.status() == MFR_OK);
  CHECK(server.requests_received() - requests == 1 + 3);  // Procedures: one page; Observations: 100, 100, 50
  const mfr_import_counts counts = fetched.counts();
  CHECK(counts.resources == 275);
  CHECK(counts.rejected == 0);
  CHECK(counts.warnings == 0);  // every Observation found its Procedure
  REQUIRE(counts.sessions == 25);
  std::size_t findings = 0;
  std::set<std::string> ids;
  for (std::size_t i = 0; i < fetched.size(); ++i) {
    const mfr::Session s = fetched.session(i);
    const mfr_session_info info = s.info();
    CHECK(std::string(info.patient) == "Patient/p-250");
    ids.insert(info.id);
    findings += info.finding_count;
    if (std::string(info.id) == "S-250-107") {
      // Day 8: what was pushed comes back, finding by finding.
      const std::vector<mfr_finding> got = s.findings();
      REQUIRE(got.size() == 10);
      std::multiset<std::tuple<int, int, int, int>> want, have;
      for (int k = 0; k < 10; ++k) want.insert({MFR_LEVEL_T1 + k, k % 2 ? MFR_SIDE_RIGHT : MFR_SIDE_LEFT, (k + 8) % 4, (k + 8) % 11});
      for (const mfr_finding& f : got) have.insert({f.level, f.side, f.restriction, f.pain_nrs});
      CHECK(have == want);
    }
  }
  CHECK(findings == 250);
  CHECK(ids.size() == 25);
  CHECK(ids.count("S-250-100") == 1);
  CHECK(ids.count("S-999-1") == 0);
}

TEST_CASE("A partner certificate from a CA we do not trust is MFR_ERR_TLS, and the Bundle stays queued", "[exchange_abi]") {
  mfr::test::TestServerOptions options = mfr::test::https_server();
  options.identity = test_pki().untrusted;
  TestFhirServer server(options);
  TempDir dir;
  const mfr::Api api = mfr::Api::linked();
  mfr::Context ctx(api, kSystem);
  PartnerSetup partner(server, dir);
  ctx.add_partner(partner.options);
  const mfr::Session s = session(ctx, "S-2024-0601", "Patient/p-5", 6, 2);
  const auto pushed = ctx.push("bordeaux", {&s});
  CHECK(pushed.status == MFR_ERR_TLS);
  CHECK(pushed.message.find("TLS certificate of 127.0.0.1") != std::string::npos);
  CHECK(pushed.message.find("was refused") != std::string::npos);
  CHECK(pushed.result.state == MFR_OUTBOX_FAILED);
  CHECK(server.stored("Procedure") == 0);
  CHECK(std::string(mfr_status_str(MFR_ERR_TLS)).rfind("MFR_ERR_TLS", 0) == 0);

  mfr_import_result* result = nullptr;
  CHECK(mfr_exchange_fetch(&result, ctx.get(), "bordeaux", "Patient/p-5") == MFR_ERR_TLS);
  CHECK(result == nullptr);
}

TEST_CASE("A plain http:// partner is refused unless allow_insecure_http is set", "[exchange_abi]") {
  mfr::test::TestServerOptions options;
  options.tls = false;
  TestFhirServer server(options);
  const mfr::Api api = mfr::Api::linked();
  mfr::Context ctx(api, kSystem);
  const std::string url = server.base_url();
  REQUIRE(url.rfind("http://", 0) == 0);
  mfr_partner_options o = MFR_PARTNER_OPTIONS_INIT;
  o.name = "loopback";
  o.base_url = url.c_str();
  CHECK(mfr_exchange_add_partner(ctx.get(), &o) == MFR_ERR_INVALID_ARGUMENT);
  CHECK(std::string(mfr_last_error()).find("refusing plain http://") != std::string::npos);
  const mfr::Session s = session(ctx, "S-2024-0701", "Patient/p-6", 7, 1);
  const mfr_session* handles[] = {s.get()};
  CHECK(mfr_exchange_push(nullptr, nullptr, ctx.get(), "loopback", handles, 1, MFR_PUSH_SEND_NOW, 0) == MFR_ERR_NOT_FOUND);

  o.allow_insecure_http = 1;
  REQUIRE(mfr_exchange_add_partner(ctx.get(), &o) == MFR_OK);
  CHECK(ctx.push("loopback", {&s}).status == MFR_OK);
  CHECK(server.stored("Procedure") == 1);
}

TEST_CASE("A 4xx refusal is MFR_ERR_REFUSED with the partner's OperationOutcome as it came, and retry and purge look after dead rows", "[exchange_abi]") {
  TestFhirServer server(mfr::test::https_server());
  TempDir dir;
  const mfr::Api api = mfr::Api::linked();
  mfr::Context ctx(api, kSystem);
  PartnerSetup partner(server, dir);
  ctx.add_partner(partner.options);
  const mfr::Session s = session(ctx, "S-2024-0801", "Patient/p-8", 8, 3);

  server.fail_next(1, 422);
  const auto refused = ctx.push("bordeaux", {&s});
  CHECK(refused.status == MFR_ERR_REFUSED);
  CHECK(refused.result.state == MFR_OUTBOX_DEAD);
  CHECK(refused.result.http_status == 422);
  const auto outcome = mfr::json::Value::parse(refused.answer);
  CHECK(outcome.string_at("resourceType") == "OperationOutcome");
  CHECK(outcome.find("issue")->as_array()[0].string_at("code") == "transient");
  CHECK(refused.message.find("HTTP 422") != std::string::npos);
  CHECK(server.stored("Procedure") == 0);

  // Pushed again, a dead Bundle is not re-sent on its own.
  const int transactions = server.transactions_received();
  const auto again = ctx.push("bordeaux", {&s});
  CHECK(again.status == MFR_ERR_REFUSED);
  CHECK(again.message.find("refused before") != std::string::npos);
  CHECK(server.transactions_received() == transactions);

  // The list says what happened without the Bundle: no patient, no clinical content.
  const std::string listed = ctx.outbox_list("bordeaux", MFR_OUTBOX_DEAD);
  const auto rows = mfr::json::Value::parse(listed);
  REQUIRE(rows.size() == 1);
  CHECK(rows.as_array()[0].string_at("lastError").value_or("").find("HTTP 422") != std::string_view::npos);
  CHECK(listed.find("Patient/p-8") == std::string::npos);
  CHECK(listed.find("Observation") == std::string::npos);

  ctx.outbox_retry(refused.result.outbox_id);
  CHECK(ctx.outbox_counts().queued == 1);
  CHECK(ctx.flush("bordeaux").sent == 1);
  CHECK(server.stored("Procedure") == 1);
  CHECK(mfr_exchange_outbox_retry(ctx.get(), refused.result.outbox_id) == MFR_ERR_NOT_FOUND);  // sent: nothing to retry

  const mfr::Session other = session(ctx, "S-2024-0802", "Patient/p-8", 15, 1);
  server.fail_next(1, 400);
  CHECK(ctx.push("bordeaux", {&other}).status == MFR_ERR_REFUSED);
  CHECK(ctx.outbox_purge_dead() == 1);
  CHECK(ctx.outbox_counts().dead == 0);
  CHECK(ctx.outbox_counts().sent == 1);
}

namespace {
struct LogLines {
  std::vector<std::string> lines;
  static void record(void* user_data, mfr_log_level, const char* message) {
    static_cast<LogLines*>(user_data)->lines.emplace_back(message);
  }
};
}  // namespace

TEST_CASE("SMART Backend Services through the ABI: a token is fetched, and neither it nor the key is logged", "[exchange_abi]") {
  mfr::test::TestServerOptions options = mfr::test::https_server();
  options.smart_public_key_pem = test_pki().smart_ec_public_pem;
  TestFhirServer server(options);
  TempDir dir;
  const mfr::Api api = mfr::Api::linked();
  LogLines log;
  mfr::Context ctx(api, kSystem, LogLines::record, &log, MFR_LOG_DEBUG);
  PartnerSetup partner(server, dir);
  const std::string token_url = server.token_url();
  const std::string key_file = dir.write("smart.pem", test_pki().smart_ec_private_pem);
  partner.options.smart_token_url = token_url.c_str();
  partner.options.smart_client_id = "clinic-lyon";
  partner.options.smart_private_key_file = key_file.c_str();
  partner.options.smart_key_id = "clinic-lyon-2024";
  partner.options.smart_algorithm = MFR_SMART_ES384;
  ctx.add_partner(partner.options);
  const mfr::Session s = session(ctx, "S-2024-0901", "Patient/p-9", 9, 2);
  CHECK(ctx.push("bordeaux", {&s}).status == MFR_OK);
  CHECK(server.tokens_issued() == 1);
  CHECK(server.stored("Procedure") == 1);
  REQUIRE(!log.lines.empty());
  for (const std::string& line : log.lines) {
    CHECK(line.find("PRIVATE KEY") == std::string::npos);
    CHECK(line.find("Patient/p-9") == std::string::npos);
    CHECK(line.find("Bearer") == std::string::npos);
  }

  // A key file that is not there is an I/O error naming the file.
  partner.options.smart_private_key_file = "/nonexistent/smart.pem";
  CHECK(mfr_exchange_add_partner(ctx.get(), &partner.options) == MFR_ERR_IO);
  CHECK(std::string(mfr_last_error()).find("/nonexistent/smart.pem") != std::string::npos);
}

TEST_CASE("Exchange calls check their handles, partner names and structs", "[exchange_abi]") {
  const mfr::Api api = mfr::Api::linked();
  mfr::Context ctx(api, kSystem);
  mfr_flush_report report = MFR_FLUSH_REPORT_INIT;
  CHECK(mfr_exchange_flush(&report, nullptr, "bordeaux") == MFR_ERR_INVALID_HANDLE);
  CHECK(mfr_exchange_flush(&report, ctx.get(), "nobody") == MFR_ERR_NOT_FOUND);
  CHECK(std::string(mfr_last_error()).find("No partner named \"nobody\"") != std::string::npos);
  mfr_partner_options o = MFR_PARTNER_OPTIONS_INIT;
  o.struct_size = 8;
  CHECK(mfr_exchange_add_partner(ctx.get(), &o) == MFR_ERR_INVALID_ARGUMENT);
  const mfr_partner_options fresh = MFR_PARTNER_OPTIONS_INIT;
  o = fresh;
  o.name = "p";
  o.base_url = "https://partner.example/fhir";
  o.ca_file = "/nonexistent/ca.pem";
  CHECK(mfr_exchange_add_partner(ctx.get(), &o) == MFR_ERR_IO);
  CHECK(mfr_exchange_outbox_retry(ctx.get(), 12345) == MFR_ERR_NOT_FOUND);
  CHECK(mfr_exchange_outbox_list(nullptr, nullptr, ctx.get(), nullptr, -1) == MFR_ERR_INVALID_ARGUMENT);
  char* json = nullptr;
  CHECK(mfr_exchange_outbox_list(&json, nullptr, ctx.get(), nullptr, 9) == MFR_ERR_INVALID_ARGUMENT);
  CHECK(mfr_exchange_open_store(ctx.get(), "/nonexistent/dir/clinic.db") == MFR_ERR_IO);
  const mfr_api* table = mfr_plugin_entry(MFR_ABI_VERSION);
  REQUIRE(table);
  CHECK(table->exchange_push == mfr_exchange_push);
  CHECK(table->exchange_outbox_purge_dead == mfr_exchange_outbox_purge_dead);
}

TEST_CASE("mTLS through the ABI: our client certificate is presented, and without it the partner refuses the connection", "[exchange_abi]") {
  mfr::test::TestServerOptions options = mfr::test::https_server();
  options.client_ca_pem = test_pki().ca_pem;
  TestFhirServer server(options);
  TempDir dir;
  const mfr::Api api = mfr::Api::linked();
  mfr::Context ctx(api, kSystem);
  PartnerSetup partner(server, dir);
  ctx.add_partner(partner.options);
  const mfr::Session s = session(ctx, "S-2024-1001", "Patient/p-10", 10, 2);
  const auto without = ctx.push("bordeaux", {&s});
  // TLS 1.3 finishes the client side of the handshake before the server checks our certificate,
  // so its refusal may arrive as an alert (TLS) or as a closed connection (network).
  INFO(without.message);
  CHECK((without.status == MFR_ERR_TLS || without.status == MFR_ERR_NETWORK));
  CHECK(without.message.find("127.0.0.1") != std::string::npos);
  CHECK(without.result.state == MFR_OUTBOX_FAILED);
  CHECK(server.stored("Procedure") == 0);

  const std::string cert = dir.write("client.pem", test_pki().client.certificate_pem);
  const std::string key = dir.write("client-key.pem", test_pki().client.key_pem);
  partner.options.client_cert_file = cert.c_str();
  partner.options.client_key_file = key.c_str();
  ctx.add_partner(partner.options);  // replaces the partner of that name
  const auto with = ctx.push("bordeaux", {&s});
  CHECK(with.status == MFR_OK);
  CHECK(with.result.inserted == 0);  // the same outbox row, sent now
  CHECK(with.result.state == MFR_OUTBOX_SENT);
  CHECK(server.stored("Procedure") == 1);

  partner.options.client_key_file = nullptr;
  CHECK(mfr_exchange_add_partner(ctx.get(), &partner.options) == MFR_ERR_INVALID_ARGUMENT);
  CHECK(std::string(mfr_last_error()).find("go together") != std::string::npos);
}

TEST_CASE("A partner slower than the push's time limit is MFR_ERR_TIMEOUT, and the resend later is stored once", "[exchange_abi]") {
  TestFhirServer server(mfr::test::https_server());
  TempDir dir;
  const mfr::Api api = mfr::Api::linked();
  mfr::Context ctx(api, kSystem);
  PartnerSetup partner(server, dir);
  ctx.add_partner(partner.options);
  const mfr::Session s = session(ctx, "S-2024-1101", "Patient/p-11", 11, 3);
  server.delay_transactions(1500ms);  // stores, then answers late
  const auto start = std::chrono::steady_clock::now();
  const auto late = ctx.push("bordeaux", {&s}, MFR_PUSH_SEND_NOW, 500);
  CHECK(std::chrono::steady_clock::now() - start < 1400ms);
  CHECK(late.status == MFR_ERR_TIMEOUT);
  CHECK(late.result.state == MFR_OUTBOX_FAILED);
  CHECK(server.stored("Procedure") == 1);  // the partner got it; we never heard

  server.delay_transactions(0ms);
  std::this_thread::sleep_for(2600ms);
  const mfr_flush_report report = ctx.flush("bordeaux");
  CHECK(report.sent == 1);
  CHECK(server.stored("Procedure") == 1);
  CHECK(server.stored("Observation") == 3);
  const auto rows = mfr::json::Value::parse(ctx.outbox_list());
  REQUIRE(rows.size() == 1);
  CHECK(rows.as_array()[0].string_at("responseSummary") == "200: 4 entries (200 OK x4)");
}
