// The FHIR service called directly: interactions, FHIR HTTP semantics and the audit trail.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <thread>

#include "../exchange/test_bundles.hpp"
#include "exchange/server/audit_trail.hpp"
#include "net_helpers.hpp"
#include "service_fixture.hpp"
#include "validate/validate.hpp"

namespace mfr::test {
namespace {

std::vector<std::string> locations(const json::Value& response_bundle) {
  std::vector<std::string> out;
  for (const json::Value& entry : response_bundle.find("entry")->as_array())
    out.emplace_back(entry.find("response")->string_at("location").value_or(""));
  return out;
}

std::vector<std::string> statuses(const json::Value& response_bundle) {
  std::vector<std::string> out;
  for (const json::Value& entry : response_bundle.find("entry")->as_array())
    out.emplace_back(entry.find("response")->string_at("status").value_or(""));
  return out;
}

std::size_t entries(const json::Value& bundle, const char* mode = nullptr) {
  const json::Value* list = bundle.find("entry");
  if (!list) return 0;
  std::size_t n = 0;
  for (const json::Value& entry : list->as_array())
    if (!mode || entry.find("search")->string_at("mode") == std::optional<std::string_view>(mode)) ++n;
  return n;
}

std::string next_link(const json::Value& bundle) {
  for (const json::Value& link : bundle.find("link")->as_array())
    if (link.string_at("relation") == std::optional<std::string_view>("next")) return std::string(*link.string_at("url"));
  return {};
}

std::string minimal_procedure(const std::string& id = {}) {
  std::string text = R"({"resourceType":"Procedure",)";
  if (!id.empty()) text += R"("id":")" + id + R"(",)";
  return text + R"("status":"completed","subject":{"reference":"Patient/p1"},"performedDateTime":"2024-05-02T10:00:00Z"})";
}

}  // namespace

TEST_CASE("a partner's transaction is stored with assigned ids and its urn:uuid references rewritten", "[server]") {
  ServiceFixture f;
  const auto reply = f.call("POST", "/fhir", session_bundle("S-2024-0311"));
  REQUIRE(reply.status == 200);
  const json::Value answer = body_of(reply);
  CHECK(answer.string_at("type") == std::optional<std::string_view>("transaction-response"));
  CHECK(statuses(answer) == std::vector<std::string>{"201 Created", "201 Created", "201 Created"});
  CHECK(f.store->count("Procedure") == 1);
  CHECK(f.store->count("Observation") == 2);
  REQUIRE(f.received.size() == 3);

  const std::string procedure = locations(answer)[0].substr(0, locations(answer)[0].find("/_history"));
  const auto finding = f.store->search(every("Observation"));
  REQUIRE(finding.size() == 2);
  for (const auto& stored : finding) {
    const json::Value resource = json::Value::parse(stored.json);
    CHECK(resource.find("partOf")->as_array()[0].string_at("reference") == std::optional<std::string_view>(procedure));
    CHECK(resource.find("meta")->string_at("versionId") == std::optional<std::string_view>("1"));
    CHECK(stored.json.find("urn:uuid:") == std::string::npos);
  }
}

TEST_CASE("a resent transaction creates nothing and points at what the first one created", "[server]") {
  ServiceFixture f;
  const auto first = f.call("POST", "/fhir", session_bundle("S-2024-0311"));
  const auto again = f.call("POST", "/fhir", session_bundle("S-2024-0311"));
  REQUIRE(again.status == 200);
  CHECK(statuses(body_of(again)) == std::vector<std::string>{"200 OK", "200 OK", "200 OK"});
  CHECK(locations(body_of(again)) == locations(body_of(first)));
  CHECK(f.store->count("Procedure") == 1);
  CHECK(f.store->count("Observation") == 2);
  CHECK(f.received.size() == 3);  // the resend announced nothing new
}

TEST_CASE("a transaction with one invalid entry stores nothing and says which entry", "[server]") {
  ServiceFixture f;
  std::string bundle = session_bundle("S-2024-0312");
  const auto last_status = bundle.rfind(R"("status":"final")");
  bundle.replace(last_status, 16, R"("status":"finished")");
  const auto reply = f.call("POST", "/fhir", bundle);
  CHECK(reply.status == 422);
  CHECK(issue_of(reply, "expression").starts_with("Bundle.entry[2].resource"));
  CHECK(issue_of(reply, "expression").find("status") != std::string::npos);
  CHECK(f.store->count("Procedure") == 0);
  CHECK(f.store->count("Observation") == 0);
  CHECK(f.received.empty());
}

TEST_CASE("a batch stores its good entries and answers the bad one with an OperationOutcome", "[server]") {
  ServiceFixture f;
  std::string bundle = session_bundle("S-2024-0313");
  bundle.replace(bundle.find(R"("type":"transaction")"), 20, R"("type":"batch")");
  bundle.replace(bundle.rfind(R"("status":"final")"), 16, R"("status":"finished")");
  const auto reply = f.call("POST", "/fhir", bundle);
  REQUIRE(reply.status == 200);
  const json::Value answer = body_of(reply);
  CHECK(answer.string_at("type") == std::optional<std::string_view>("batch-response"));
  CHECK(statuses(answer) == std::vector<std::string>{"201 Created", "201 Created", "422 Unprocessable Entity"});
  CHECK(answer.find("entry")->as_array()[2].find("response")->find("outcome") != nullptr);
  CHECK(f.store->count("Observation") == 1);
}

TEST_CASE("read and vread answer the stored version with ETag, Last-Modified and the JSON as stored", "[server]") {
  ServiceFixture f;
  const auto created = f.call("POST", "/fhir/Procedure", minimal_procedure());
  REQUIRE(created.status == 201);
  const std::string location = header_of(created, "Location");
  REQUIRE(location.starts_with("https://clinic.example.org/fhir/Procedure/"));
  const std::string id(body_of(created).string_at("id").value());
  CHECK(header_of(created, "ETag") == "W/\"1\"");

  json::Value changed = body_of(created);
  changed["status"] = "entered-in-error";
  const auto updated = f.call("PUT", "/fhir/Procedure/" + id, changed.dump(), {{"if-match", "W/\"1\""}});
  REQUIRE(updated.status == 200);
  CHECK(header_of(updated, "ETag") == "W/\"2\"");

  const auto current = f.call("GET", "/fhir/Procedure/" + id);
  CHECK(current.status == 200);
  CHECK(header_of(current, "ETag") == "W/\"2\"");
  CHECK(header_of(current, "Content-Type").starts_with("application/fhir+json"));
  CHECK(header_of(current, "Last-Modified").ends_with(" GMT"));
  CHECK(body_of(current).string_at("status") == std::optional<std::string_view>("entered-in-error"));
  CHECK(current.body == f.store->read("Procedure", id)->json);

  const auto first = f.call("GET", "/fhir/Procedure/" + id + "/_history/1");
  CHECK(first.status == 200);
  CHECK(body_of(first).string_at("status") == std::optional<std::string_view>("completed"));
  CHECK(f.call("GET", "/fhir/Procedure/" + id + "/_history/7").status == 404);
  const auto history = body_of(f.call("GET", "/fhir/Procedure/" + id + "/_history"));
  CHECK(history.find("entry")->size() == 2);
}

TEST_CASE("update refuses a stale If-Match with 412 and keeps the current version", "[server]") {
  ServiceFixture f;
  const auto created = f.call("PUT", "/fhir/Procedure/proc-1", minimal_procedure("proc-1"));
  CHECK(created.status == 201);
  CHECK(f.call("PUT", "/fhir/Procedure/proc-1", minimal_procedure("proc-1"), {{"if-match", "W/\"1\""}}).status == 200);
  const auto stale = f.call("PUT", "/fhir/Procedure/proc-1", minimal_procedure("proc-1"), {{"if-match", "W/\"1\""}});
  CHECK(stale.status == 412);
  CHECK(f.store->read("Procedure", "proc-1")->version == 2);
  const auto wrong_id = f.call("PUT", "/fhir/Procedure/proc-2", minimal_procedure("proc-1"));
  CHECK(wrong_id.status == 400);
  CHECK(issue_of(wrong_id, "expression") == "Procedure.id");
}

TEST_CASE("create honours Prefer and If-None-Exist", "[server]") {
  ServiceFixture f;
  const std::string body =
      R"({"resourceType":"Procedure","identifier":[{"system":"urn:s","value":"v1"}],"status":"completed",)"
      R"("subject":{"reference":"Patient/p1"}})";
  const auto minimal = f.call("POST", "/fhir/Procedure", body, {{"prefer", "return=minimal"}});
  CHECK(minimal.status == 201);
  CHECK(minimal.body.empty());
  CHECK(!header_of(minimal, "Location").empty());
  const auto again = f.call("POST", "/fhir/Procedure", body,
                            {{"if-none-exist", "identifier=urn:s%7Cv1"}, {"prefer", "return=OperationOutcome"}});
  CHECK(again.status == 200);
  CHECK(body_of(again).string_at("resourceType") == std::optional<std::string_view>("OperationOutcome"));
  CHECK(header_of(again, "Location") == header_of(minimal, "Location"));
  CHECK(f.store->count("Procedure") == 1);
}

TEST_CASE("searches filter by patient, code, identifier, part-of and date prefixes, and page with next links",
          "[server]") {
  ServiceFixture f("https://proxy.example.org/clinic/fhir");
  for (int day = 1; day <= 6; ++day)
    REQUIRE(f.call("POST", "/fhir", session_bundle("S-2024-03" + std::to_string(10 + day), day)).status == 200);
  auto search = [&](const std::string& query) {
    const auto reply = f.call("GET", "/fhir/" + query);
    REQUIRE(reply.status == 200);
    return body_of(reply);
  };
  CHECK(entries(search("Observation?_count=100")) == 12);
  const std::string mrn = "Patient%3Fidentifier%3Dhttps%3A%2F%2Fclinic-lyon.example.org%2Fmrn%7C884422";
  CHECK(entries(search("Procedure?patient=" + mrn)) == 6);
  CHECK(entries(search("Procedure?subject=Patient/other")) == 0);
  CHECK(entries(search("Observation?code=https://mfr-fhir.org/fhir/CodeSystem/mfr%7Crestriction&_count=50")) == 12);
  CHECK(entries(search("Observation?code=http://loinc.org%7C72514-3")) == 0);
  CHECK(entries(search("Procedure?identifier=https://clinic-lyon.example.org/fhir/sessions%7CS-2024-0313")) == 1);

  // Two findings a day, 1 to 6 March.
  CHECK(entries(search("Observation?date=2024-03-03")) == 2);
  CHECK(entries(search("Observation?date=eq2024-03&_count=50")) == 12);
  CHECK(entries(search("Observation?date=lt2024-03-03")) == 4);
  CHECK(entries(search("Observation?date=le2024-03-03")) == 6);
  CHECK(entries(search("Observation?date=gt2024-03-03")) == 6);
  CHECK(entries(search("Observation?date=ge2024-03-03&date=lt2024-03-05&_sort=date")) == 4);

  const json::Value procedure = search("Procedure?date=lt2024-03-02");
  const std::string procedure_id(procedure.find("entry")->as_array()[0].find("resource")->string_at("id").value());
  const json::Value parts = search("Observation?part-of=Procedure/" + procedure_id + "&_include=Observation:part-of");
  CHECK(entries(parts, "match") == 2);
  CHECK(entries(parts, "include") == 1);

  // Paging: 12 findings, 5 a page; the next links are built on the public base URL.
  std::string url = "Observation?_count=5";
  std::set<std::string> seen;
  int pages = 0;
  for (; !url.empty(); ++pages) {
    const json::Value page = search(url);
    for (const json::Value& entry : page.find("entry")->as_array()) seen.insert(std::string(*entry.string_at("fullUrl")));
    const std::string next = next_link(page);
    if (next.empty()) break;
    REQUIRE(next.starts_with("https://proxy.example.org/clinic/fhir/Observation?"));
    url = next.substr(std::string("https://proxy.example.org/clinic/fhir/").size());
  }
  CHECK(pages + 1 == 3);
  CHECK(seen.size() == 12);
}

TEST_CASE("date search compares instants: offsets in the query, every FHIR prefix, _sort by instant, _total",
          "[server]") {
  ServiceFixture f;
  // Sessions on 1 to 6 March 2024 at 09:30+01:00, i.e. 08:30 UTC.
  for (int day = 1; day <= 6; ++day)
    REQUIRE(f.call("POST", "/fhir", session_bundle("S-2024-03" + std::to_string(10 + day), day)).status == 200);
  auto found = [&](const std::string& query) {
    const auto reply = f.call("GET", "/fhir/" + query);
    REQUIRE(reply.status == 200);
    return entries(body_of(reply));
  };
  // Two findings each day, at the session's start: 10:00+01:00 on the 3rd is after those of
  // the 3rd, 09:00+01:00 before them.
  CHECK(found("Observation?date=lt2024-03-03T10:00:00%2B01:00") == 6);
  CHECK(found("Observation?date=lt2024-03-03T09:00:00%2B01:00") == 4);
  CHECK(found("Observation?date=eq2024-03-03T08:30:00Z") == 2);
  CHECK(found("Observation?date=2024-03-03T09:30") == 0);  // no offset: UTC, an hour after the session
  CHECK(found("Observation?date=ne2024-03-03") == 10);
  CHECK(found("Observation?date=sa2024-03-03") == 6);
  CHECK(found("Observation?date=eb2024-03-03") == 4);
  CHECK(found("Observation?date=ap2024-03-03&_count=50") == 12);  // within a tenth of the ~3 years since
  CHECK(found("Observation?date=ap2019-03-03") == 0);
  // The sessions have a start and no end: for FHIR search an open period, still going on. It is
  // within no day, starts after the 3rd for the last three, and ends before nothing.
  CHECK(found("Procedure?date=2024-03-03") == 0);
  CHECK(found("Procedure?date=sa2024-03-03") == 3);
  CHECK(found("Procedure?date=eb2024-03-03") == 0);
  CHECK(found("Procedure?date=lt2024-03-03") == 2);
  CHECK(found("Procedure?date=ge2024-03-03") == 6);
  CHECK(found("Procedure?date=ap2024-03-03") == 6);

  const json::Value sorted = body_of(f.call("GET", "/fhir/Procedure?_sort=date&_count=4&_total=accurate"));
  CHECK(sorted.find("total")->as_integer() == 6);
  std::vector<std::string> starts;
  for (const json::Value& entry : sorted.find("entry")->as_array())
    starts.emplace_back(*entry.find("resource")->find("performedPeriod")->string_at("start"));
  CHECK(starts == std::vector<std::string>{"2024-03-01T09:30:00+01:00", "2024-03-02T09:30:00+01:00",
                                           "2024-03-03T09:30:00+01:00", "2024-03-04T09:30:00+01:00"});
  CHECK_FALSE(body_of(f.call("GET", "/fhir/Procedure?_count=4")).find("total"));

  // Paging by date with _include: each page includes its own matches' Procedures, and the next
  // link keeps the criteria, _include and _total and moves the offset.
  std::string url = "Observation?_sort=date&_include=Observation:part-of&_total=accurate&_count=4";
  std::vector<std::string> match_days;
  for (int page = 0; !url.empty(); ++page) {
    REQUIRE(page < 3);
    const json::Value bundle = body_of(f.call("GET", "/fhir/" + url));
    CHECK(bundle.find("total")->as_integer() == 12);
    std::set<std::string> sessions_matched, sessions_included;
    for (const json::Value& entry : bundle.find("entry")->as_array()) {
      const json::Value& resource = *entry.find("resource");
      if (entry.find("search")->string_at("mode") == std::optional<std::string_view>("include")) {
        sessions_included.insert("Procedure/" + std::string(*resource.string_at("id")));
      } else {
        match_days.emplace_back(resource.string_at("effectiveDateTime")->substr(0, 10));
        sessions_matched.insert(std::string(*resource.find("partOf")->as_array()[0].string_at("reference")));
      }
    }
    CHECK(sessions_included == sessions_matched);
    const std::string next = next_link(bundle);
    url = next.empty() ? "" : next.substr(std::string("https://clinic.example.org/fhir/").size());
    if (!next.empty()) CHECK(next.find("_offset=" + std::to_string(4 * (page + 1))) != std::string::npos);
  }
  CHECK(match_days == std::vector<std::string>{"2024-03-01", "2024-03-01", "2024-03-02", "2024-03-02", "2024-03-03",
                                               "2024-03-03", "2024-03-04", "2024-03-04", "2024-03-05", "2024-03-05",
                                               "2024-03-06", "2024-03-06"});
  CHECK_FALSE(body_of(f.call("GET", "/fhir/Procedure?_count=4&_total=none")).find("total"));

  const auto unreadable = f.call("GET", "/fhir/Procedure?date=ge2024-03-03T09");
  CHECK(unreadable.status == 400);
  CHECK(issue_of(unreadable, "expression") == "date");
  CHECK_THAT(issue_of(unreadable, "diagnostics"), Catch::Contains("'ge2024-03-03T09' is not a FHIR date"));
  // A '+' left unescaped in a URL is a space: refused, not read as another offset.
  CHECK(f.call("GET", "/fhir/Procedure?date=lt2024-03-03T10:00:00+01:00").status == 400);
  CHECK(f.call("GET", "/fhir/Procedure?date=2024-02-30").status == 400);
}

TEST_CASE("a search parameter the server does not support is refused with 400, not ignored", "[server]") {
  ServiceFixture f;
  const auto reply = f.call("GET", "/fhir/Observation?value-quantity=5");
  CHECK(reply.status == 400);
  CHECK(issue_of(reply, "expression") == "value-quantity");
  const auto unknown_prefix = f.call("GET", "/fhir/Observation?date=on2024");
  CHECK(unknown_prefix.status == 400);
  CHECK(issue_of(reply, "code") == "not-supported");
  CHECK(issue_of(unknown_prefix, "code") == "invalid");  // a malformed value, not an unsupported search
  CHECK(issue_of(unknown_prefix, "expression") == "date");
  CHECK(issue_of(unknown_prefix, "diagnostics") ==
        "date prefix 'on' is not a FHIR prefix (eq, ne, gt, lt, ge, le, sa, eb or ap)");
  CHECK(f.call("GET", "/fhir/Observation?_total=some").status == 400);
  CHECK(f.call("GET", "/fhir/Observation?_sort=-date").status == 400);
  CHECK(f.call("GET", "/fhir/Procedure?_include=Observation:part-of").status == 400);
}

TEST_CASE("an error that quotes bytes from the request that are not UTF-8 is still valid JSON", "[server]") {
  ServiceFixture f;
  const auto bad_date = f.call("GET", "/fhir/Observation?date=ge202\xff\xfe-01");
  CHECK(bad_date.status == 400);
  CHECK(issue_of(bad_date, "diagnostics").find("\xEF\xBF\xBD") != std::string::npos);
  const auto bad_id = f.call("GET", "/fhir/Procedure/caf\xc3");
  CHECK(bad_id.status == 404);
  CHECK_NOTHROW(body_of(bad_id));
}

TEST_CASE("errors are OperationOutcomes with the status FHIR asks for", "[server]") {
  ServiceFixture f;
  const auto malformed = f.call("POST", "/fhir/Procedure", "{\n  \"resourceType\": \"Procedure\",\n  \"status\" \"x\"\n}");
  CHECK(malformed.status == 400);
  const json::Value outcome = body_of(malformed);
  CHECK(outcome.string_at("resourceType") == std::optional<std::string_view>("OperationOutcome"));
  CHECK(malformed.body.find("Line[3]") != std::string::npos);

  const auto invalid = f.call("POST", "/fhir/Procedure", R"({"resourceType":"Procedure","status":"done","subject":{"reference":"Patient/1"}})");
  CHECK(invalid.status == 422);
  CHECK(issue_of(invalid, "expression") == "Procedure.status");

  CHECK(f.call("GET", "/fhir/Procedure/unknown").status == 404);
  CHECK(f.call("GET", "/fhir/Patient/1").status == 404);
  CHECK(f.call("GET", "/elsewhere").status == 404);
  const auto not_allowed = f.call("DELETE", "/fhir/Procedure/x");
  CHECK(not_allowed.status == 405);
  CHECK(header_of(not_allowed, "Allow") == "GET, PUT");
  CHECK(f.call("GET", "/fhir/Procedure?_format=xml").status == 406);
  CHECK(f.call("GET", "/fhir/Procedure", {}, {{"accept", "application/fhir+xml"}}).status == 406);
  CHECK(f.call("GET", "/fhir/Procedure", {}, {{"accept", "application/fhir+xml, application/fhir+json;q=0.5"}}).status == 200);
  CHECK(f.call("POST", "/fhir/Procedure", minimal_procedure(), {{"content-type", "application/xml"}}).status == 415);

  const auto anonymous = f.call("GET", "/fhir/Procedure", {}, {}, std::nullopt);
  CHECK(anonymous.status == 401);
  CHECK(header_of(anonymous, "WWW-Authenticate").starts_with("Bearer"));
  const auto read_only = f.call("POST", "/fhir", session_bundle("S-1"), {}, kReader);
  CHECK(read_only.status == 403);
  CHECK(issue_of(read_only, "code") == "forbidden");
  CHECK(f.store->count("Procedure") == 0);
}

TEST_CASE("metadata tells what the server supports and needs no token", "[server]") {
  ServiceFixture f;
  const auto reply = f.call("GET", "/fhir/metadata", {}, {}, std::nullopt);
  REQUIRE(reply.status == 200);
  const json::Value cs = body_of(reply);
  CHECK(cs.string_at("resourceType") == std::optional<std::string_view>("CapabilityStatement"));
  CHECK(cs.find("implementation")->string_at("url") == std::optional<std::string_view>("https://clinic.example.org/fhir"));
  const json::Value& rest = cs.find("rest")->as_array()[0];
  REQUIRE(rest.find("resource")->size() == 3);
  const json::Value& subscriptions = rest.find("resource")->as_array()[2];
  CHECK(subscriptions.string_at("type") == std::optional<std::string_view>("Subscription"));
  CHECK(subscriptions.find("extension")->as_array()[0].string_at("valueCanonical") ==
        std::optional<std::string_view>("https://mfr-fhir.org/fhir/SubscriptionTopic/skin-rolling-record"));
  CHECK(rest.find("interaction")->size() == 2);
  std::set<std::string> operations;
  for (const json::Value& op : rest.find("operation")->as_array()) operations.insert(std::string(*op.string_at("definition")));
  CHECK(operations == std::set<std::string>{"http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export",
                                            "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export"});
  CHECK_FALSE(validate::has_errors(validate::validate(cs, validate::Strictness::Lenient)));
  CHECK(f.call("POST", "/fhir/metadata", "{}", {}, kWriter).status == 405);
}

namespace {
// Members in key order, so two JSON texts that differ only in member order compare equal.
json::Value sorted_keys(const json::Value& v) {
  if (v.is_array()) {
    json::Value out = json::Value::array();
    for (const json::Value& item : v.as_array()) out.push_back(sorted_keys(item));
    return out;
  }
  if (!v.is_object()) return v;
  json::Object members = v.as_object();
  std::sort(members.begin(), members.end(), [](const json::Member& a, const json::Member& b) { return a.key < b.key; });
  for (json::Member& m : members) m.value = sorted_keys(m.value);
  return json::Value(std::move(members));
}
}  // namespace

TEST_CASE("the conformance package's CapabilityStatement describes the server that runs", "[server]") {
  ServiceFixture f;
  const json::Value served = body_of(f.call("GET", "/fhir/metadata", {}, {}, std::nullopt));
  std::ifstream in(std::string(MFR_TEST_DATA) + "/../../packaging/fhir/package/CapabilityStatement-mfr-fhir-server.json");
  REQUIRE(in);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const json::Value packaged = json::Value::parse(text);
  // The instance-only parts (implementation, kind, text, status) differ by design; what is served
  // must be what the package says.
  CHECK(sorted_keys(*packaged.find("rest")).dump(true) == sorted_keys(*served.find("rest")).dump(true));
  CHECK(*packaged.find("format") == *served.find("format"));
  CHECK(packaged.string_at("fhirVersion") == served.string_at("fhirVersion"));
  CHECK(packaged.string_at("url") == served.string_at("url"));
}

TEST_CASE("every read, search and write leaves an AuditEvent naming the client and no patient data", "[server]") {
  ServiceFixture f;
  REQUIRE(f.call("POST", "/fhir", session_bundle("S-2024-0311")).status == 200);
  const std::string id(f.store->search(every("Procedure"))[0].id);
  f.call("GET", "/fhir/Procedure/" + id, {}, {}, kReader);
  f.call("GET", "/fhir/Observation?identifier=https://clinic-lyon.example.org/fhir/findings%7CX", {}, {}, kReader);
  f.call("GET", "/fhir/Observation", {}, {}, std::nullopt);
  f.service.flush_audit();
  const auto events = f.store->audit_log().entries();
  REQUIRE(events.size() == 4);
  CHECK(f.store->count("AuditEvent") == 0);  // in the audit log, not among the resources
  std::multiset<std::string> who, outcome, action;
  for (const auto& event : events) {
    const json::Value e = json::Value::parse(event.json);
    who.insert(std::string(*e.find("agent")->as_array()[0].find("who")->find("identifier")->string_at("value")));
    outcome.insert(std::string(*e.string_at("outcome")));
    action.insert(std::string(*e.string_at("action")));
    CHECK(validate::has_errors(validate::validate(e, validate::Strictness::Lenient)) == false);
    CHECK(event.json.find("884422") == std::string::npos);
    CHECK(event.json.find("findings") == std::string::npos);
  }
  CHECK(who == std::multiset<std::string>{"clinic-lyon", "clinic-nice", "clinic-nice", "unauthenticated"});
  CHECK(outcome == std::multiset<std::string>{"0", "0", "0", "4"});
  CHECK(action == std::multiset<std::string>{"E", "R", "R", "R"});
  const auto touching = std::count_if(events.begin(), events.end(), [&](const store::AuditEntry& e) {
    return e.json.find("\"Procedure/" + id + "\"") != std::string::npos;
  });
  CHECK(touching == 2);  // the transaction that wrote it and the read
}

}  // namespace mfr::test

namespace mfr::test {

TEST_CASE("the audit trail stores every event from many threads, in batches; flush and destruction wait for them",
          "[server]") {
  auto store = std::make_shared<store::Store>(store::Store::open(""));
  auto event = [](int thread, int i) {
    return "{\"resourceType\":\"AuditEvent\",\"id\":\"t" + std::to_string(thread) + "-" + std::to_string(i) + "\"}";
  };
  {
    server::AuditTrail trail(store, std::chrono::milliseconds(5), 64);  // a small queue: writers block
    std::vector<std::thread> writers;
    for (int t = 0; t < 4; ++t)
      writers.emplace_back([&, t] {
        for (int i = 0; i < 250; ++i) trail.record(event(t, i));
      });
    for (auto& w : writers) w.join();
    trail.flush();
    CHECK(store->audit_log().count() == 1000);
    trail.record(event(9, 0));
    CHECK(trail.failed_batches() == 0);
  }  // destroyed: the last event is written before it goes
  const auto entries = store->audit_log().entries(0, 2000);
  REQUIRE(entries.size() == 1001);
  CHECK(entries.back().json == event(9, 0));
  CHECK(std::count_if(entries.begin(), entries.end(), [&](const store::AuditEntry& e) { return e.json == event(3, 249); }) == 1);
}

}  // namespace mfr::test

namespace mfr::test {

TEST_CASE("a store failure midway through a transaction leaves nothing of the Bundle stored", "[server]") {
  const std::string path = temp_file("midway.db", "");
  std::filesystem::remove(path);
  auto store = std::make_shared<store::Store>(store::Store::open(path));
  {  // Another connection makes the store refuse the second Observation, as a full disk would.
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db,
                         "CREATE TRIGGER full_disk BEFORE INSERT ON resource_version "
                         "WHEN NEW.type = 'Observation' AND "
                         "(SELECT COUNT(*) FROM resource_version WHERE type = 'Observation') >= 1 "
                         "BEGIN SELECT RAISE(ABORT, 'database or disk is full (test)'); END;",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  server::FhirService service(server::ServiceConfig{}, store);
  server::Request request;
  request.method = "POST";
  request.target = "/fhir";
  request.body = session_bundle("S-2024-0999");  // a Procedure and two Observations
  request.headers = {{"content-type", "application/fhir+json"}};
  const server::Reply reply = service.handle(request, kWriter);
  CHECK(reply.status == 500);
  CHECK(reply.body.find("disk is full") != std::string::npos);
  CHECK(store->count("Procedure") == 0);
  CHECK(store->count("Observation") == 0);
}

}  // namespace mfr::test
