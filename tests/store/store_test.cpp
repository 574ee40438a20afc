#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <filesystem>
#include <string>
#include <unistd.h>

#include "store/store.hpp"

using mfr::store::SearchQuery;
using mfr::store::Store;

namespace {

const std::string kClinic = "https://clinic-lyon.example.org/fhir/sessions";

std::string procedure(const std::string& id, const std::string& session, const std::string& patient,
                      const std::string& start, const std::string& version = "") {
  return R"({"resourceType":"Procedure","id":")" + id + R"(",)" +
         (version.empty() ? "" : R"("meta":{"versionId":")" + version + R"(","lastUpdated":"2024-03-04T10:00:00Z"},)") +
         R"("identifier":[{"system":")" + kClinic + R"(","value":")" + session + R"("}],)"
         R"("status":"completed","category":{"coding":[{"system":"http://snomed.info/sct","code":"91251008"}]},)"
         R"("code":{"coding":[{"system":"https://mfr-fhir.org/fhir/CodeSystem/mfr","code":"skin-rolling"},)"
         R"({"system":"http://www.ama-assn.org/go/cpt","code":"97140"}],"text":"Skin rolling"},)"
         R"("subject":{"reference":")" + patient + R"("},"performedPeriod":{"start":")" + start + R"("}})";
}

std::string observation(const std::string& id, const std::string& procedure_id, const std::string& patient,
                        const std::string& when, const std::string& grade_text) {
  return R"({"resourceType":"Observation","id":")" + id + R"(","status":"final",)"
         R"("identifier":[{"system":")" + kClinic + R"(","value":")" + id + R"("}],)"
         R"("code":{"coding":[{"system":"https://mfr-fhir.org/fhir/CodeSystem/mfr","code":"restriction"},)"
         R"({"system":"http://snomed.info/sct","code":"118242002"}]},)"
         R"("subject":{"reference":")" + patient + R"("},"effectiveDateTime":")" + when + R"(",)"
         R"("partOf":[{"reference":"Procedure/)" + procedure_id + R"("}],)"
         R"("valueCodeableConcept":{"coding":[{"system":"https://mfr-fhir.org/fhir/CodeSystem/restriction-grade",)"
         R"("code":")" + grade_text + R"("}]},"note":[{"text":"restriction 1.50 cm wide"}]})";
}

// A query on `type` with one or two filters set.
using Filter = std::optional<std::string> SearchQuery::*;
SearchQuery query(const std::string& type, Filter filter, const std::string& value, Filter second = nullptr,
                  const std::string& second_value = {}) {
  SearchQuery q;
  q.type = type;
  q.*filter = value;
  if (second) q.*second = second_value;
  return q;
}

std::string temp_db(const char* name) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("mfr_store_" + std::to_string(::getpid()) + "_" + name + ".db");
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + "-wal");
  std::filesystem::remove(path.string() + "-shm");
  return path.string();
}

}  // namespace

TEST_CASE("a received resource is kept byte for byte and each put adds a version", "[store]") {
  Store store = Store::open("");
  // Spacing and a decimal's trailing zero are part of "as received".
  const std::string first = " {\"resourceType\":\"Patient\", \"id\":\"p1\", \"extension\":[{\"valueDecimal\":1.50}]}";
  const std::string second = R"({"resourceType":"Patient","id":"p1","active":true})";
  const auto v1 = store.put(first);
  const auto v2 = store.put(second);
  CHECK(v1.version == 1);
  CHECK(v1.version_id == "1");
  CHECK(v2.version == 2);
  REQUIRE(store.read("Patient", "p1"));
  CHECK(store.read("Patient", "p1")->json == second);
  CHECK(store.read_version("Patient", "p1", "1")->json == first);
  const auto history = store.history("Patient", "p1");
  REQUIRE(history.size() == 2);
  CHECK(history[0].version_id == "2");
  CHECK(history[1].json == first);
  CHECK_FALSE(store.read("Patient", "p2"));
}

TEST_CASE("a version received twice with the same versionId is stored once", "[store]") {
  Store store = Store::open("");
  const auto text = procedure("proc-1", "S-1001", "Patient/123", "2024-03-04T09:30:00+01:00", "7");
  const auto a = store.put(text);
  const auto b = store.put(text);
  CHECK(a.version_id == "7");
  CHECK(a.last_updated == "2024-03-04T10:00:00Z");
  CHECK(b.version == a.version);
  CHECK(store.history("Procedure", "proc-1").size() == 1);
}

TEST_CASE("search finds current versions by patient, identifier, code, part-of and date", "[store]") {
  Store store = Store::open("");
  store.put(procedure("proc-1", "S-1001", "Patient/123", "2024-03-04T09:30:00+01:00"));
  store.put(procedure("proc-2", "S-1002", "Patient/123", "2024-03-11T09:30:00+01:00"));
  store.put(procedure("proc-3", "S-2001", "Patient/456", "2024-03-05T14:00:00+01:00"));
  store.put(observation("obs-1", "proc-1", "Patient/123", "2024-03-04T09:30:00+01:00", "2"));
  store.put(observation("obs-2", "proc-1", "Patient/123", "2024-03-04T09:30:00+01:00", "1"));
  store.put(observation("obs-3", "proc-2", "Patient/123", "2024-03-11T09:30:00+01:00", "0"));

  auto found = store.search(query("Procedure", &SearchQuery::patient, "Patient/123"));
  REQUIRE(found.size() == 2);
  CHECK(found[0].id == "proc-1");  // ordered by date
  CHECK(found[1].id == "proc-2");

  CHECK(store.search(query("Procedure", &SearchQuery::identifier, kClinic + "|S-2001")).at(0).id == "proc-3");
  CHECK(store.search(query("Procedure", &SearchQuery::identifier, "S-2001")).size() == 1);
  CHECK(store.search(query("Procedure", &SearchQuery::identifier, "other|S-2001")).empty());
  CHECK(store.search(query("Procedure", &SearchQuery::code, "http://www.ama-assn.org/go/cpt|97140")).size() == 3);
  CHECK(store.search(query("Observation", &SearchQuery::part_of, "Procedure/proc-1")).size() == 2);
  CHECK(store.search(query("Observation", &SearchQuery::date_from, "2024-03-05", &SearchQuery::date_before, "2024-03-12")).size() == 1);

  // A new version replaces the old one's index terms.
  store.put(procedure("proc-3", "S-2001", "Patient/789", "2024-03-05T14:00:00+01:00"));
  CHECK(store.search(query("Procedure", &SearchQuery::patient, "Patient/456")).empty());
  CHECK(store.search(query("Procedure", &SearchQuery::patient, "Patient/789")).size() == 1);
  CHECK(store.count("Procedure") == 3);
  CHECK(store.count("Observation") == 3);
}

TEST_CASE("a resource without resourceType or id, or not JSON, is refused with the reason", "[store]") {
  Store store = Store::open("");
  CHECK_THROWS_WITH(store.put(R"({"id":"x"})"), "the resource has no resourceType");
  CHECK_THROWS_WITH(store.put(R"({"resourceType":"Observation"})"), "the Observation has no id");
  CHECK_THROWS_WITH(store.put("{\n\"resourceType\":"), Catch::Contains("line 2"));
  CHECK(store.count("Observation") == 0);
}

TEST_CASE("a store file is in WAL mode with full sync and keeps its data across reopening", "[store]") {
  const std::string path = temp_db("reopen");
  {
    Store store = Store::open(path);
    store.put(procedure("proc-1", "S-1001", "Patient/123", "2024-03-04T09:30:00+01:00"));
  }
  Store store = Store::open(path);
  REQUIRE(store.read("Procedure", "proc-1"));

  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
  CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))) == "wal");
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  std::filesystem::remove(path);
}
