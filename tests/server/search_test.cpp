// The result parameters of search (_summary, _elements, _total, _include, _revinclude), first
// through the service called directly, then as curl sees them over HTTPS on 127.0.0.1: every
// searchset Bundle validates, counts match the store, and paging never repeats or loses an entry.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "../exchange/test_bundles.hpp"
#include "../exchange/test_pki.hpp"
#include "exchange/server/http_server.hpp"
#include "net_helpers.hpp"
#include "service_fixture.hpp"
#include "validate/validate.hpp"

namespace mfr::test {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kSubsetted = "SUBSETTED";

// The findings of one more session (beyond session_bundle's two), partOf the Procedure `procedure`.
std::string extra_finding(const std::string& procedure, int n) {
  return R"({"resourceType":"Observation","status":"final",)"
         R"("code":{"coding":[{"system":"http://loinc.org","code":"72514-3"}]},)"
         R"("subject":{"reference":"Patient/p1"},"partOf":[{"reference":")" + procedure + R"("}],)"
         R"("effectiveDateTime":"2024-03-0)" + std::to_string(1 + n % 9) + R"(T10:00:00Z","valueInteger":)" +
         std::to_string(n % 10) + "}";
}

std::string link_of(const json::Value& bundle, std::string_view relation) {
  if (const json::Value* links = bundle.find("link"))
    for (const json::Value& link : links->as_array())
      if (link.string_at("relation") == std::optional<std::string_view>(relation)) return std::string(*link.string_at("url"));
  return {};
}

std::vector<const json::Value*> entries_in(const json::Value& bundle, std::string_view mode) {
  std::vector<const json::Value*> out;
  if (const json::Value* list = bundle.find("entry"))
    for (const json::Value& entry : list->as_array())
      if (entry.find("search")->string_at("mode") == std::optional<std::string_view>(mode)) out.push_back(&entry);
  return out;
}

bool is_subsetted(const json::Value& resource) {
  const json::Value* tags = resource.find("meta") ? resource.find("meta")->find("tag") : nullptr;
  if (!tags) return false;
  for (const json::Value& tag : tags->as_array())
    if (tag.string_at("code") == std::optional<std::string_view>(kSubsetted) &&
        tag.string_at("system") == std::optional<std::string_view>("http://terminology.hl7.org/CodeSystem/v3-ObservationValue"))
      return true;
  return false;
}

std::set<std::string> keys_of(const json::Value& resource) {
  std::set<std::string> keys;
  for (const json::Member& m : resource.as_object()) keys.emplace(std::string_view(m.key));
  return keys;
}

// The validator's errors for a Bundle, as text for the failure message ("" when there are none).
std::string errors_in(const json::Value& bundle) {
  std::string out;
  for (const auto& issue : validate::validate(bundle, validate::Strictness::Lenient))
    if (issue.severity == validate::Severity::Error || issue.severity == validate::Severity::Fatal)
      out += issue.expression + ": " + issue.diagnostics + "\n";
  return out;
}

// Six sessions, two findings each, and three more findings on the fourth session.
struct Sessions {
  ServiceFixture f;
  std::vector<std::string> procedures;  // "Procedure/<id>" by date
  Sessions() {
    for (int day = 1; day <= 6; ++day)
      REQUIRE(f.call("POST", "/fhir", session_bundle("S-2024-04" + std::to_string(10 + day), day)).status == 200);
    for (const auto& p : f.store->search(every("Procedure"))) procedures.push_back("Procedure/" + p.id);
    for (int n = 0; n < 3; ++n) REQUIRE(f.call("POST", "/fhir/Observation", extra_finding(procedures[3], n)).status == 201);
  }
  json::Value get(const std::string& query) {
    const auto reply = f.call("GET", "/fhir/" + query);
    INFO(query << " -> " << reply.body);
    REQUIRE(reply.status == 200);
    json::Value bundle = body_of(reply);
    INFO(errors_in(bundle));
    CHECK(errors_in(bundle).empty());
    return bundle;
  }
};

}  // namespace

TEST_CASE("_summary=count answers Bundle.total and no entries, as the store counts", "[server][search]") {
  Sessions s;
  for (const char* query : {"Observation?_summary=count", "Procedure?_summary=count", "Observation?_summary=count&_total=none",
                            "Observation?_summary=count&_include=Observation:part-of"}) {
    const json::Value bundle = s.get(query);
    CHECK_FALSE(bundle.find("entry"));
    const std::string type = std::string(query).substr(0, std::string(query).find('?'));
    CHECK(bundle.find("total")->as_integer() == static_cast<long long>(s.f.store->count(type)));
    CHECK(link_of(bundle, "self").find("_summary=count") != std::string::npos);
    CHECK(link_of(bundle, "next").empty());
  }
  const json::Value filtered = s.get("Observation?_summary=count&part-of=" + s.procedures[3]);
  CHECK(filtered.find("total")->as_integer() == 5);
  CHECK(s.get("Observation?_summary=count&date=ge2024-03-05").find("total")->as_integer() == 4);
}

TEST_CASE("_total: accurate counts, estimate is given when exact for free, none and absent give none",
          "[server][search]") {
  Sessions s;
  CHECK(s.get("Observation?_count=4&_total=accurate").find("total")->as_integer() == 15);
  CHECK_FALSE(s.get("Observation?_count=4&_total=estimate").find("total"));
  CHECK(s.get("Observation?_count=4&_offset=12&_total=estimate").find("total")->as_integer() == 15);
  CHECK(s.get("Observation?_count=20&_total=estimate").find("total")->as_integer() == 15);
  CHECK_FALSE(s.get("Observation?_count=20&_total=none").find("total"));
  CHECK_FALSE(s.get("Observation?_count=20").find("total"));
}

TEST_CASE("_summary=true keeps the R4 summary elements and the mandatory ones, tagged SUBSETTED", "[server][search]") {
  Sessions s;
  const json::Value bundle = s.get("Observation?_summary=true&_count=50&_include=Observation:part-of");
  REQUIRE(entries_in(bundle, "match").size() == 15);
  REQUIRE(entries_in(bundle, "include").size() == 6);
  for (const json::Value* entry : entries_in(bundle, "match")) {
    const json::Value& resource = *entry->find("resource");
    CHECK(is_subsetted(resource));
    const auto keys = keys_of(resource);
    for (const char* gone : {"category", "bodySite", "interpretation", "note", "text", "method", "extension"})
      CHECK(keys.count(gone) == 0);
    for (const char* kept : {"resourceType", "id", "meta", "status", "code", "subject", "partOf"})
      CHECK(keys.count(kept) == 1);
  }
  for (const json::Value* entry : entries_in(bundle, "include")) {  // the included Procedures in summary too
    const json::Value& resource = *entry->find("resource");
    CHECK(is_subsetted(resource));
    CHECK(resource.find("bodySite"));  // Procedure.bodySite is a summary element
    CHECK(resource.find("subject"));
  }
  // _summary=data drops only the narrative; false gives everything, untagged.
  const json::Value data = s.get("Procedure?_summary=data"), full = s.get("Procedure?_summary=false");
  for (const json::Value* entry : entries_in(data, "match")) {
    CHECK(is_subsetted(*entry->find("resource")));
    CHECK(entry->find("resource")->find("category"));
  }
  for (const json::Value* entry : entries_in(full, "match")) {
    CHECK_FALSE(is_subsetted(*entry->find("resource")));
    CHECK(entry->find("resource")->find("category"));
  }
  const json::Value text = s.get("Procedure?_summary=text");
  for (const json::Value* entry : entries_in(text, "match"))
    CHECK(keys_of(*entry->find("resource")) == std::set<std::string>{"resourceType", "id", "meta", "status", "subject"});
}

TEST_CASE("_elements keeps the top-level elements asked for, the mandatory ones, id and meta, tagged SUBSETTED",
          "[server][search]") {
  Sessions s;
  const json::Value bundle = s.get("Observation?_elements=effective,value&_count=50");
  REQUIRE(entries_in(bundle, "match").size() == 15);
  for (const json::Value* entry : entries_in(bundle, "match")) {
    const json::Value& resource = *entry->find("resource");
    CHECK(is_subsetted(resource));
    std::set<std::string> keys = keys_of(resource);
    CHECK(keys.count("effectiveDateTime") == 1);
    keys.erase("effectiveDateTime");
    CHECK((keys.erase("valueInteger") + keys.erase("valueCodeableConcept")) == 1);
    CHECK(keys == std::set<std::string>{"resourceType", "id", "meta", "status", "code"});
  }
  const json::Value procedures = s.get("Procedure?_elements=identifier,performedPeriod&_revinclude=Observation:part-of");
  for (const json::Value* entry : entries_in(procedures, "match"))
    CHECK(keys_of(*entry->find("resource")) ==
          std::set<std::string>{"resourceType", "id", "meta", "identifier", "status", "subject", "performedPeriod"});
  for (const json::Value* entry : entries_in(procedures, "include"))  // the other type comes whole
    CHECK_FALSE(is_subsetted(*entry->find("resource")));
  CHECK(link_of(s.get("Procedure?_elements=identifier&_count=2"), "next").find("_elements=identifier") != std::string::npos);
}

TEST_CASE("a read honours _summary and _elements too, and refuses _summary=count", "[server][search]") {
  Sessions s;
  const std::string path = "/fhir/" + s.procedures[0];
  const auto whole = s.f.call("GET", path);
  const auto summary = s.f.call("GET", path + "?_elements=identifier");
  REQUIRE(summary.status == 200);
  CHECK(header_of(summary, "ETag") == header_of(whole, "ETag"));
  const json::Value resource = body_of(summary);
  CHECK(is_subsetted(resource));
  CHECK(keys_of(resource) == std::set<std::string>{"resourceType", "id", "meta", "identifier", "status", "subject"});
  CHECK_FALSE(is_subsetted(body_of(whole)));
  CHECK(body_of(s.f.call("GET", path + "/_history/1?_summary=true")).find("bodySite"));
  CHECK_FALSE(body_of(s.f.call("GET", path + "/_history/1?_summary=data")).find("text"));
  CHECK(issue_of(s.f.call("GET", path + "?_summary=count"), "code") == "invalid");
  CHECK(issue_of(s.f.call("GET", path + "?_elements=colour"), "code") == "invalid");
}

TEST_CASE("_revinclude on Procedure pages: each page brings its Procedures' findings, none twice, none lost",
          "[server][search]") {
  Sessions s;
  std::string url = "Procedure?_revinclude=Observation:part-of&_count=2&_sort=date";
  std::vector<std::string> matches;
  std::multiset<std::string> included;
  int pages = 0;
  while (!url.empty()) {
    REQUIRE(++pages <= 3);
    const json::Value page = s.get(url);
    std::set<std::string> page_matches;
    for (const json::Value* entry : entries_in(page, "match")) {
      matches.emplace_back(*entry->find("resource")->string_at("id"));
      page_matches.insert("Procedure/" + matches.back());
    }
    for (const json::Value* entry : entries_in(page, "include")) {
      const json::Value& finding = *entry->find("resource");
      CHECK(finding.string_at("resourceType") == std::optional<std::string_view>("Observation"));
      included.insert(std::string(*finding.string_at("id")));
      CHECK(page_matches.count(std::string(*finding.find("partOf")->as_array()[0].string_at("reference"))) == 1);
    }
    const std::string next = link_of(page, "next");
    if (!next.empty()) CHECK(next.find("_revinclude=Observation%3Apart-of") != std::string::npos);
    url = next.empty() ? "" : next.substr(std::string("https://clinic.example.org/fhir/").size());
  }
  CHECK(pages == 3);
  CHECK(matches.size() == 6);
  CHECK(std::set<std::string>(matches.begin(), matches.end()).size() == 6);
  CHECK(included.size() == s.f.store->count("Observation"));
  CHECK(std::set<std::string>(included.begin(), included.end()).size() == included.size());
}

TEST_CASE("a malformed or unknown value is refused as invalid, an unsupported parameter as not-supported",
          "[server][search]") {
  ServiceFixture f;
  const std::pair<const char*, const char*> refusals[] = {
      {"Observation?_summary=maybe", "invalid"},
      {"Observation?_total=some", "invalid"},
      {"Observation?_elements=colour", "invalid"},
      {"Observation?_elements=status,,code", "invalid"},
      {"Observation?_elements=code&_summary=true", "invalid"},
      {"Observation?_summary=true&_summary=count", "invalid"},
      {"Observation?_include=part-of", "invalid"},
      {"Observation?date=on2024", "invalid"},
      {"Observation?_count=ten", "invalid"},
      {"Observation?value-quantity=5", "not-supported"},
      {"Observation?_include=Observation:subject", "not-supported"},
      {"Observation?_revinclude=Observation:part-of", "not-supported"},
      {"Procedure?_include=Observation:part-of", "not-supported"},
      {"Procedure?_include:iterate=Observation:part-of", "not-supported"},
      {"Observation?_sort=-date", "not-supported"},
      {"Procedure?_contained=true", "not-supported"},
  };
  for (const auto& [query, code] : refusals) {
    const auto reply = f.call("GET", std::string("/fhir/") + query);
    INFO(query << " -> " << reply.body);
    CHECK(reply.status == 400);
    CHECK(issue_of(reply, "code") == code);
    CHECK_FALSE(issue_of(reply, "expression").empty());
  }
}

TEST_CASE("the CapabilityStatement lists the inclusions and result parameters served, and no other", "[server][search]") {
  ServiceFixture f;
  const json::Value cs = body_of(f.call("GET", "/fhir/metadata"));
  CHECK_FALSE(validate::has_errors(validate::validate(cs, validate::Strictness::Strict)));
  std::map<std::string, const json::Value*> resources;
  for (const json::Value& r : cs.find("rest")->as_array()[0].find("resource")->as_array())
    resources[std::string(*r.string_at("type"))] = &r;
  auto list = [](const json::Value* r, const char* member) {
    std::vector<std::string> out;
    if (const json::Value* values = r->find(member))
      for (const json::Value& v : values->as_array()) out.emplace_back(v.as_string());
    return out;
  };
  auto params = [](const json::Value* r) {
    std::set<std::string> out;
    for (const json::Value& p : r->find("searchParam")->as_array()) out.emplace(*p.string_at("name"));
    return out;
  };
  CHECK(list(resources["Observation"], "searchInclude") == std::vector<std::string>{"Observation:part-of"});
  CHECK(list(resources["Observation"], "searchRevInclude").empty());
  CHECK(list(resources["Procedure"], "searchRevInclude") == std::vector<std::string>{"Observation:part-of"});
  CHECK(list(resources["Procedure"], "searchInclude").empty());
  const std::set<std::string> served{"patient", "subject", "date", "code", "identifier", "part-of",
                                     "_summary", "_elements", "_total", "_count", "_sort"};
  CHECK(params(resources["Observation"]) == served);
  CHECK(params(resources["Procedure"]) == served);
}

TEST_CASE("curl over HTTPS pages Procedures with _revinclude, counts with _summary=count and subsets with _elements",
          "[server][search][http]") {
  constexpr const char* kToken = "nice-secret-0123456789";
  server::ServerOptions options;
  options.certificate_pem = test_pki().server.certificate_pem;
  options.private_key_pem = test_pki().server.key_pem;
  options.tokens = {server::parse_token_grant(std::string("clinic-nice:") + kToken + ":read,write")};
  options.requests_per_second = 0;
  auto store = std::make_shared<store::Store>(store::Store::open(""));
  server::HttpServer http(std::move(options), store);
  http.start();
  const std::string ca = temp_file("ca.pem", test_pki().ca_pem);
  const std::string base = "https://127.0.0.1:" + std::to_string(http.port()) + "/fhir";
  auto get = [&](const std::string& url) {
    const auto reply = curl("--cacert '" + ca + "' -H 'Authorization: Bearer " + kToken + "' '" + url + "'");
    INFO(url << " -> " << reply.body);
    REQUIRE(reply.status == 200);
    json::Value bundle = json::Value::parse(reply.body);
    INFO(errors_in(bundle));
    CHECK(errors_in(bundle).empty());
    return bundle;
  };
  for (int day = 1; day <= 7; ++day) {
    const std::string path = temp_file("bundle.json", session_bundle("S-2024-06" + std::to_string(10 + day), day));
    REQUIRE(curl("--cacert '" + ca + "' -H 'Authorization: Bearer " + kToken +
                 "' -H 'Content-Type: application/fhir+json' --data-binary '@" + path + "' '" + base + "'")
                .status == 200);
  }

  CHECK(get(base + "/Procedure?_summary=count").find("total")->as_integer() == 7);
  CHECK(get(base + "/Observation?_summary=count").find("total")->as_integer() == 14);

  // Following next links as the partner gets them: 7 sessions, 3 a page, each with its 2 findings.
  std::set<std::string> matched, included;
  std::size_t match_entries = 0, include_entries = 0;
  int pages = 0;
  for (std::string url = base + "/Procedure?_revinclude=Observation:part-of&_count=3&_total=accurate"; !url.empty();) {
    REQUIRE(++pages <= 3);
    const json::Value page = get(url);
    CHECK(page.find("total")->as_integer() == 7);
    for (const json::Value* entry : entries_in(page, "match"))
      matched.insert(std::string(*entry->string_at("fullUrl"))), ++match_entries;
    for (const json::Value* entry : entries_in(page, "include"))
      included.insert(std::string(*entry->string_at("fullUrl"))), ++include_entries;
    url = link_of(page, "next");
    if (!url.empty()) CHECK(url.starts_with(base + "/Procedure?"));
  }
  CHECK(pages == 3);
  CHECK(match_entries == 7);
  CHECK(matched.size() == 7);
  CHECK(include_entries == 14);
  CHECK(included.size() == 14);

  // A reply larger than one TLS record leaves as its head, then its body (http_server.cpp): whole.
  const json::Value all = get(base + "/Procedure?_revinclude=Observation:part-of&_count=100");
  CHECK(entries_in(all, "match").size() == 7);
  CHECK(entries_in(all, "include").size() == 14);
  CHECK(all.dump().size() > 16 * 1024);

  const json::Value subset = get(base + "/Observation?_elements=value,effectiveDateTime&_count=20");
  REQUIRE(entries_in(subset, "match").size() == 14);
  for (const json::Value* entry : entries_in(subset, "match")) {
    CHECK(is_subsetted(*entry->find("resource")));
    CHECK(keys_of(*entry->find("resource")) ==
          std::set<std::string>{"resourceType", "id", "meta", "status", "code", "effectiveDateTime",
                                "valueCodeableConcept"});
  }
  http.stop();
}

TEST_CASE("a transaction's conditional patient reference is stored as a logical reference and found by patient:identifier",
          "[server][search]") {
  Sessions s;  // every session names its patient "Patient?identifier=https://clinic-lyon.example.org/mrn|884422"
  const json::Value all = s.get("Observation?patient:identifier=https://clinic-lyon.example.org/mrn%7C884422&_count=100");
  CHECK(entries_in(all, "match").size() == s.f.store->count("Observation") - 3);  // the 3 extra name Patient/p1
  for (const json::Value& entry : all.find("entry")->as_array()) {
    const json::Value* subject = entry.find("resource")->find("subject");
    REQUIRE(subject);
    CHECK_FALSE(subject->find("reference"));
    CHECK(subject->string_at("type") == std::optional<std::string_view>("Patient"));
    CHECK(subject->find("identifier")->string_at("system") == std::optional<std::string_view>("https://clinic-lyon.example.org/mrn"));
    CHECK(subject->find("identifier")->string_at("value") == std::optional<std::string_view>("884422"));
  }
  // The same patient in the conditional spelling, and a read of one resource, which validates alone.
  CHECK(entries_in(s.get("Procedure?patient=Patient%3Fidentifier%3Dhttps%3A%2F%2Fclinic-lyon.example.org%2Fmrn%7C884422"), "match").size() == 6);
  CHECK(entries_in(s.get("Procedure?patient:identifier=https://clinic-lyon.example.org/mrn%7C0"), "match").empty());
  const auto read = s.f.call("GET", "/fhir/" + s.procedures[0]);
  REQUIRE(read.status == 200);
  CHECK(errors_in(body_of(read)).empty());
}

}  // namespace mfr::test
