// Bulk Data $export on the service called directly: kick-off, polling, manifest, the NDJSON
// files against the store, _type/_since, owners, cancel, expiry, bad parameters, audit.
#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <thread>

#include "../exchange/test_bundles.hpp"
#include "exchange/server/query.hpp"
#include "exchange/server/reply.hpp"
#include "model/date_time.hpp"
#include "service_fixture.hpp"
#include "validate/validate.hpp"

namespace mfr::test {
namespace {

using namespace std::chrono_literals;

const std::vector<std::pair<std::string, std::string>> kAsync = {{"prefer", "respond-async"},
                                                                 {"accept", "application/fhir+json"}};

// Kicks off and returns the status path ("/fhir/$export-poll/<id>") of the job.
std::string kick_off(ServiceFixture& f, const std::string& target, const server::Caller& caller = kReader) {
  const server::Reply reply = f.call("GET", target, {}, kAsync, caller);
  REQUIRE(reply.status == 202);
  const std::string location = header_of(reply, "Content-Location");
  REQUIRE(location.starts_with("https://clinic.example.org/fhir/$export-poll/"));
  return location.substr(std::string("https://clinic.example.org").size());
}

// Polls until the job is no longer running (202), at most a few seconds.
server::Reply poll(ServiceFixture& f, const std::string& status_path, const server::Caller& caller = kReader) {
  for (int i = 0; i < 500; ++i) {
    server::Reply reply = f.call("GET", status_path, {}, {}, caller);
    if (reply.status != 202) return reply;
    CHECK(!header_of(reply, "X-Progress").empty());
    CHECK(header_of(reply, "Retry-After") == "1");
    std::this_thread::sleep_for(10ms);
  }
  FAIL("the export did not finish");
  return {};
}

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The file behind an output URL of the manifest, as the service answers its download.
std::vector<std::string> download(ServiceFixture& f, const std::string& url, const server::Caller& caller = kReader) {
  const server::Reply reply = f.call("GET", url.substr(std::string("https://clinic.example.org").size()), {},
                                     {{"accept", "application/fhir+ndjson"}}, caller);
  REQUIRE(reply.status == 200);
  CHECK(header_of(reply, "Content-Type") == "application/fhir+ndjson");
  REQUIRE(!reply.body_file.empty());
  return lines_of(reply.body_file);
}

// Transactions naming the patient by a conditional reference ("Patient?identifier=..."), which the
// server stores as the logical reference valid outside a transaction.
void store_sessions(ServiceFixture& f, int count) {
  for (int i = 0; i < count; ++i)
    REQUIRE(f.call("POST", "/fhir", session_bundle("S-2024-" + std::to_string(100 + i), 1 + i % 28)).status == 200);
}

}  // namespace

TEST_CASE("a system $export writes every Procedure and Observation as valid NDJSON, as stored", "[server][export]") {
  ServiceFixture f;
  store_sessions(f, 3);
  const std::string status_path = kick_off(f, "/fhir/$export?_outputFormat=application%2Ffhir%2Bndjson");
  const server::Reply done = poll(f, status_path);
  REQUIRE(done.status == 200);
  CHECK(header_of(done, "Content-Type").starts_with("application/json"));
  const json::Value manifest = body_of(done);
  CHECK(manifest.string_at("request") == std::optional<std::string_view>(
                                             "https://clinic.example.org/fhir/$export?_outputFormat=application%2Ffhir%2Bndjson"));
  CHECK(manifest.find("requiresAccessToken")->as_bool());
  CHECK(manifest.find("error")->size() == 0);
  CHECK(DateTime::parse(*manifest.string_at("transactionTime")).has_value());
  const json::Array& outputs = manifest.find("output")->as_array();
  REQUIRE(outputs.size() == 2);
  std::set<std::string> types;
  for (const json::Value& output : outputs) {
    const std::string type(*output.string_at("type"));
    types.insert(type);
    const auto lines = download(f, std::string(*output.string_at("url")));
    const auto stored = f.store->search(every(type));
    CHECK(lines.size() == stored.size());
    CHECK(output.find("count")->as_integer() == static_cast<long long>(stored.size()));
    std::set<std::string> expected, got;
    for (const auto& s : stored) expected.insert(s.json);
    for (const std::string& line : lines) {
      const json::Value resource = json::Value::parse(line);
      CHECK(resource.string_at("resourceType") == std::optional<std::string_view>(type));
      const auto issues = validate::validate(resource, validate::Strictness::Lenient);
      for (const auto& issue : issues) UNSCOPED_INFO(issue.expression + ": " + issue.diagnostics);
      CHECK_FALSE(validate::has_errors(issues));
      got.insert(line);
    }
    CHECK(got == expected);
  }
  CHECK(types == std::set<std::string>{"Procedure", "Observation"});
}

TEST_CASE("$export honours _type and _since, and Patient/$export the patient compartment", "[server][export]") {
  ServiceFixture f;
  store_sessions(f, 2);
  json::Value manifest = body_of(poll(f, kick_off(f, "/fhir/$export?_type=Observation")));
  REQUIRE(manifest.find("output")->size() == 1);
  CHECK(manifest.find("output")->as_array()[0].string_at("type") == std::optional<std::string_view>("Observation"));

  manifest = body_of(poll(f, kick_off(f, "/fhir/$export?_since=2999-01-01T00:00:00Z")));
  CHECK(manifest.find("output")->size() == 0);  // nothing changed since then: no file at all

  manifest = body_of(poll(f, kick_off(f, "/fhir/$export?_since=2000-01-01T00:00:00%2B01:00&_type=Procedure")));
  REQUIRE(manifest.find("output")->size() == 1);
  CHECK(manifest.find("output")->as_array()[0].find("count")->as_integer() == 2);

  manifest = body_of(poll(f, kick_off(f, "/fhir/Patient/$export")));
  std::size_t exported = 0;
  for (const json::Value& output : manifest.find("output")->as_array()) exported += static_cast<std::size_t>(output.find("count")->as_integer().value());
  std::size_t with_patient = 0;
  for (const char* type : {"Procedure", "Observation"})
    for (const auto& r : f.store->search(every(type))) with_patient += r.json.find("\"subject\"") != std::string::npos;
  CHECK(exported == with_patient);
  CHECK(exported > 0);
}

TEST_CASE("$export refuses what it cannot do with 400 and an OperationOutcome", "[server][export]") {
  ServiceFixture f;
  CHECK(f.call("GET", "/fhir/$export", {}, {}, kReader).status == 400);  // no Prefer: respond-async
  CHECK(issue_of(f.call("GET", "/fhir/$export", {}, {}, kReader), "diagnostics").find("respond-async") != std::string::npos);
  const auto bad = [&](const std::string& query, const std::string& parameter) {
    const server::Reply reply = f.call("GET", "/fhir/$export?" + query, {}, kAsync, kReader);
    CHECK(reply.status == 400);
    CHECK(issue_of(reply, "expression") == parameter);
  };
  bad("_outputFormat=text%2Fcsv", "_outputFormat");
  bad("_type=Patient", "_type");
  bad("_type=Observation,Encounter", "_type");
  bad("_since=yesterday", "_since");
  bad("_since=2024-01-01", "_since");  // a date is not an instant
  bad("_typeFilter=Observation%3Fcode%3Dx", "_typeFilter");
  CHECK(f.call("POST", "/fhir/$export", "{}", kAsync, kReader).status == 405);
  const server::Caller writer_only{"clinic-writer", false, true};
  CHECK(f.call("GET", "/fhir/$export", {}, kAsync, writer_only).status == 403);
  CHECK(f.call("GET", "/fhir/$export", {}, kAsync, std::nullopt).status == 401);
  for (const char* ok : {"application/fhir+ndjson", "application/ndjson", "ndjson"})  // one after another: 2 run at once
    CHECK(poll(f, kick_off(f, std::string("/fhir/$export?_outputFormat=") + server::url_encode(ok))).status == 200);
}

TEST_CASE("an export job answers only its owner; cancel removes it and its files; unknown is 404", "[server][export]") {
  ServiceFixture f;
  store_sessions(f, 1);
  const std::string status_path = kick_off(f, "/fhir/$export");
  const json::Value manifest = body_of(poll(f, status_path));
  const std::string url(*manifest.find("output")->as_array()[0].string_at("url"));
  const std::string file_path = url.substr(std::string("https://clinic.example.org").size());
  const std::string on_disk = f.call("GET", file_path, {}, {}, kReader).body_file;
  REQUIRE(std::filesystem::exists(on_disk));

  CHECK(f.call("GET", status_path, {}, {}, kWriter).status == 404);  // another partner's token
  CHECK(f.call("GET", file_path, {}, {}, kWriter).status == 404);
  CHECK(f.call("DELETE", status_path, {}, {}, kWriter).status == 404);
  CHECK(f.call("GET", file_path + "x", {}, {}, kReader).status == 404);
  CHECK(f.call("GET", "/fhir/$export-file/" + server::random_uuid() + "/Observation.ndjson", {}, {}, kReader).status == 404);

  CHECK(f.call("DELETE", status_path, {}, {}, kReader).status == 202);
  CHECK_FALSE(std::filesystem::exists(on_disk));
  CHECK(f.call("GET", status_path, {}, {}, kReader).status == 404);
  CHECK(f.call("GET", file_path, {}, {}, kReader).status == 404);
  CHECK(f.call("DELETE", status_path, {}, {}, kReader).status == 404);
}

TEST_CASE("an expired export job answers 410 Gone", "[server][export]") {
  ServiceFixture f("https://clinic.example.org/fhir", 0s);
  store_sessions(f, 1);
  const std::string status_path = kick_off(f, "/fhir/$export");
  server::Reply reply;
  for (int i = 0; i < 3000 && (reply = f.call("GET", status_path, {}, {}, kReader)).status == 202; ++i)
    std::this_thread::sleep_for(10ms);
  CHECK(reply.status == 410);
}

TEST_CASE("kick-off when the running jobs' bound is reached is 429 with Retry-After", "[server][export]") {
  server::ServiceConfig config;
  config.export_max_running = 0;  // the bound reached from the start: no timing involved
  server::FhirService service(config, std::make_shared<store::Store>(store::Store::open("")));
  server::Request request;
  request.method = "GET";
  request.target = "/fhir/$export";
  request.headers = kAsync;
  const server::Reply reply = service.handle(request, kReader);
  CHECK(reply.status == 429);
  CHECK(header_of(reply, "Retry-After") == "30");
}

TEST_CASE("stopping the exports removes every job's files and folder", "[server][export]") {
  ServiceFixture f;
  store_sessions(f, 1);
  const json::Value manifest = body_of(poll(f, kick_off(f, "/fhir/$export")));
  const std::string url(*manifest.find("output")->as_array()[0].string_at("url"));
  const std::filesystem::path file =
      f.call("GET", url.substr(std::string("https://clinic.example.org").size()), {}, {}, kReader).body_file;
  const std::filesystem::path directory = file.parent_path().parent_path();
  REQUIRE(std::filesystem::exists(file));
  f.service.stop_exports();
  CHECK_FALSE(std::filesystem::exists(file));
  CHECK_FALSE(std::filesystem::exists(directory));
}

TEST_CASE("kick-off, completion and each download leave an AuditEvent naming the client and the job", "[server][export]") {
  ServiceFixture f;
  store_sessions(f, 1);
  f.service.flush_audit();
  const auto before = f.store->audit_log().count();
  const std::string status_path = kick_off(f, "/fhir/$export?_type=Procedure");
  const std::string job = status_path.substr(status_path.rfind('/') + 1);
  const json::Value manifest = body_of(poll(f, status_path));
  download(f, std::string(*manifest.find("output")->as_array()[0].string_at("url")));
  f.service.flush_audit();
  std::multiset<std::string> details;
  int mentioning = 0;
  for (const auto& event : f.store->audit_log().entries()) {
    if (event.json.find(job) == std::string::npos) continue;
    ++mentioning;
    const json::Value e = json::Value::parse(event.json);
    CHECK_FALSE(validate::has_errors(validate::validate(e, validate::Strictness::Lenient)));
    CHECK(e.find("agent")->as_array()[0].find("who")->find("identifier")->string_at("value") ==
          std::optional<std::string_view>("clinic-nice"));
    CHECK(e.find("subtype")->as_array()[0].string_at("code") == std::optional<std::string_view>("operation"));
    if (const json::Value* d = e.find("entity")->as_array()[0].find("detail"))
      details.insert(std::string(*d->as_array()[0].string_at("type")));
  }
  // kick-off, each poll, completion ("Procedure.ndjson": its count), the download ("file")
  CHECK(mentioning >= 4);
  CHECK(details.count("Procedure.ndjson") == 1);
  CHECK(details.count("file") == 1);
  CHECK(f.store->audit_log().count() > before);
}

}  // namespace mfr::test
