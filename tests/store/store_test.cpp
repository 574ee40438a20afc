#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <algorithm>
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

// A resource of `type` whose clinical date is the JSON member `date_member` ("" for none).
std::string dated(const std::string& type, const std::string& id, const std::string& date_member) {
  return R"({"resourceType":")" + type + R"(","id":")" + id + R"(","status":"final",)" +
         R"("subject":{"reference":"Patient/123"})" + (date_member.empty() ? "" : "," + date_member) + "}";
}

std::vector<std::string> ids_of(const std::vector<mfr::store::StoredResource>& found) {
  std::vector<std::string> ids;
  for (const auto& r : found) ids.push_back(r.id);
  return ids;
}

SearchQuery on_date(mfr::store::DatePrefix prefix, const std::string& value) {
  SearchQuery q;
  q.type = "Observation";
  q.dates.push_back({prefix, mfr::store::date_range(value).value()});
  return q;
}

using Ids = std::vector<std::string>;

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
  CHECK(ids_of(store.part_of_any("Observation", {"Procedure/proc-2", "Procedure/proc-1", "Procedure/none"})) ==
        Ids{"obs-1", "obs-2", "obs-3"});
  CHECK(store.part_of_any("Observation", {}).empty());
  std::vector<std::string> many(600, "Procedure/proc-1");  // past one statement's chunk, found once
  many[550] = "Procedure/proc-2";
  CHECK(ids_of(store.part_of_any("Observation", many)) == Ids{"obs-1", "obs-2", "obs-3"});
  CHECK(store.part_of_any("Procedure", {"Procedure/proc-1"}).empty());
  SearchQuery week = query("Observation", &SearchQuery::patient, "Patient/123");
  week.dates = {{mfr::store::DatePrefix::ge, *mfr::store::date_range("2024-03-05")},
                {mfr::store::DatePrefix::lt, *mfr::store::date_range("2024-03-12")}};
  CHECK(ids_of(store.search(week)) == Ids{"obs-3"});

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

TEST_CASE("date search compares UTC instants: an offset moves a finding across midnight", "[store][date]") {
  Store store = Store::open("");
  // 23:30 in New York on the 1st is 04:30 UTC on the 2nd; 01:00 in Athens on the 2nd is 23:00 UTC
  // on the 1st. As text, each sorts on the other day.
  store.put(dated("Observation", "west", R"("effectiveDateTime":"2026-03-01T23:30:00-05:00")"));
  store.put(dated("Observation", "east", R"("effectiveDateTime":"2026-03-02T01:00:00+02:00")"));
  store.put(dated("Observation", "noon", R"("effectiveDateTime":"2026-03-01T12:00:00Z")"));
  using mfr::store::DatePrefix;
  CHECK(ids_of(store.search(on_date(DatePrefix::eq, "2026-03-01"))) == Ids{"noon", "east"});
  CHECK(ids_of(store.search(on_date(DatePrefix::eq, "2026-03-02"))) == Ids{"west"});
  CHECK(ids_of(store.search(on_date(DatePrefix::lt, "2026-03-02T00:00:00+00:00"))) == Ids{"noon", "east"});
  CHECK(ids_of(store.search(on_date(DatePrefix::ge, "2026-03-02T06:00:00+02:00"))) == Ids{"west"});
  // Ordered by instant, not by text.
  SearchQuery all;
  all.type = "Observation";
  CHECK(ids_of(store.search(all)) == Ids{"noon", "east", "west"});
}

TEST_CASE("date prefixes follow FHIR's table on ranges: partial dates, periods and open periods", "[store][date]") {
  Store store = Store::open("");
  store.put(dated("Observation", "month", R"("effectiveDateTime":"2026-03")"));
  store.put(dated("Observation", "instant", R"("effectiveDateTime":"2026-03-10T10:00:00Z")"));
  store.put(dated("Observation", "before", R"("effectivePeriod":{"start":"2026-02-25","end":"2026-03-05"})"));
  store.put(dated("Observation", "april", R"("effectiveDateTime":"2026-04-01")"));
  store.put(dated("Observation", "ongoing", R"("effectivePeriod":{"start":"2026-03-20T08:00:00+01:00"})"));
  store.put(dated("Observation", "undated", ""));

  // The search value is the whole UTC day of 2026-03-10.
  using mfr::store::DatePrefix;
  auto found = [&](DatePrefix prefix) {
    Ids ids = ids_of(store.search(on_date(prefix, "2026-03-10")));
    std::sort(ids.begin(), ids.end());
    return ids;
  };
  CHECK(found(DatePrefix::eq) == Ids{"instant"});
  CHECK(found(DatePrefix::ne) == Ids{"april", "before", "month", "ongoing"});
  CHECK(found(DatePrefix::gt) == Ids{"april", "month", "ongoing"});
  CHECK(found(DatePrefix::lt) == Ids{"before", "month"});
  CHECK(found(DatePrefix::ge) == Ids{"april", "instant", "month", "ongoing"});
  CHECK(found(DatePrefix::le) == Ids{"before", "instant", "month"});
  CHECK(found(DatePrefix::sa) == Ids{"april", "ongoing"});
  CHECK(found(DatePrefix::eb) == Ids{"before"});
  CHECK(found(DatePrefix::ap) == Ids{"instant", "month"});

  // A month-precision value contains the month's resources, the open period reaching past it aside.
  CHECK(ids_of(store.search(on_date(DatePrefix::eq, "2026-03"))) == Ids{"month", "instant"});

  // Sorted by where each range starts; the undated first; offset and limit page through that order.
  SearchQuery all;
  all.type = "Observation";
  CHECK(ids_of(store.search(all)) == Ids{"undated", "before", "month", "instant", "ongoing", "april"});
  all.offset = 2;
  all.limit = 2;
  CHECK(ids_of(store.search(all)) == Ids{"month", "instant"});
  CHECK(store.count_matches(all) == 6);
  CHECK(store.count_matches(on_date(DatePrefix::ge, "2026-03-10")) == 4);
}

TEST_CASE("a store written before date ranges opens, migrated: its dates searchable as instants", "[store][date]") {
  const std::string path = temp_db("migrate");
  {
    // The schema and rows as the previous version of this library wrote them.
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    const std::string old_store =
        "CREATE TABLE resource_version(type TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, "
        "version_id TEXT NOT NULL, last_updated TEXT NOT NULL, json TEXT NOT NULL, "
        "PRIMARY KEY (type, id, version), UNIQUE (type, id, version_id));"
        "CREATE TABLE resource_current(type TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, "
        "patient TEXT, date TEXT, PRIMARY KEY (type, id));"
        "CREATE INDEX resource_current_patient ON resource_current(type, patient);"
        "CREATE INDEX resource_current_date ON resource_current(type, date);"
        "CREATE TABLE resource_token(type TEXT NOT NULL, id TEXT NOT NULL, param TEXT NOT NULL, value TEXT NOT NULL);"
        "CREATE INDEX resource_token_value ON resource_token(type, param, value);"
        "CREATE INDEX resource_token_resource ON resource_token(type, id);";
    REQUIRE(sqlite3_exec(db, old_store.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_stmt* version = nullptr;
    sqlite3_stmt* current = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "INSERT INTO resource_version VALUES ('Observation', ?1, ?2, ?2, "
                               "'2026-03-03T10:00:00Z', ?3)", -1, &version, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO resource_current VALUES ('Observation', ?1, ?2, "
                               "'Patient/123', ?3)", -1, &current, nullptr) == SQLITE_OK);
    auto put = [&](const std::string& id, int v, const std::string& when) {
      const std::string json = dated("Observation", id, R"("effectiveDateTime":")" + when + "\"");
      sqlite3_bind_text(version, 1, id.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int(version, 2, v);
      sqlite3_bind_text(version, 3, json.c_str(), -1, SQLITE_TRANSIENT);
      REQUIRE(sqlite3_step(version) == SQLITE_DONE);
      sqlite3_reset(version);
      sqlite3_bind_text(current, 1, id.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int(current, 2, v);
      sqlite3_bind_text(current, 3, when.c_str(), -1, SQLITE_TRANSIENT);
      REQUIRE(sqlite3_step(current) == SQLITE_DONE);
      sqlite3_reset(current);
    };
    put("west", 1, "2026-03-05T10:00:00Z");  // version 1 is replaced by version 2: its date must not count
    put("west", 2, "2026-03-01T23:30:00-05:00");
    put("east", 1, "2026-03-02T01:00:00+02:00");
    sqlite3_finalize(version);
    sqlite3_finalize(current);
    sqlite3_close(db);
  }
  using mfr::store::DatePrefix;
  for (int opening = 0; opening < 2; ++opening) {  // the second opening finds nothing to migrate
    Store store = Store::open(path);
    CHECK(ids_of(store.search(on_date(DatePrefix::eq, "2026-03-01"))) == Ids{"east"});
    CHECK(ids_of(store.search(on_date(DatePrefix::eq, "2026-03-02"))) == Ids{"west"});
    CHECK(store.search(on_date(DatePrefix::eq, "2026-03-05")).empty());
    CHECK(store.history("Observation", "west").size() == 2);
    if (opening == 0) store.put(dated("Observation", "earlier", R"("effectiveDateTime":"2026-02-28T12:00:00Z")"));
    CHECK(ids_of(store.search(on_date(DatePrefix::le, "2026-03-01"))) == Ids{"earlier", "east"});
    const SearchQuery patient = query("Observation", &SearchQuery::patient, "Patient/123");
    CHECK(ids_of(store.search(patient)) == Ids{"earlier", "east", "west"});
  }

  // The text column and its index are gone; the search indexes are in place.
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  auto count = [&](const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    const int n = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    return n;
  };
  CHECK(count("SELECT COUNT(*) FROM pragma_table_info('resource_current') WHERE name = 'date'") == 0);
  CHECK(count("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN "
              "('resource_current_date', 'resource_current_patient', 'resource_token_value')") == 0);
  CHECK(count("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN "
              "('resource_current_patient_date', 'resource_current_type_date', 'resource_token_match')") == 3);
  sqlite3_close(db);
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
}

TEST_CASE("a store that kept AuditEvents as resources opens with them moved to the audit log, in order",
          "[store][audit]") {
  const std::string path = temp_db("migrate_audit");
  auto audit_event = [](const std::string& id, const std::string& recorded, const std::string& action) {
    return R"({"resourceType":"AuditEvent","id":")" + id + R"(","type":{"system":)"
           R"("http://terminology.hl7.org/CodeSystem/audit-event-type","code":"rest"},"action":")" + action +
           R"(","recorded":")" + recorded + R"(","outcome":"0","agent":[{"who":{"display":"partner-lyon"},)"
           R"("requestor":true}],"source":{"observer":{"display":"mfr-fhir"}}})";
  };
  // Written the way the previous version's server wrote them: one resource each, ids in no order.
  const std::vector<std::string> events = {audit_event("f3a1", "2026-03-03T10:00:00.120Z", "R"),
                                           audit_event("07bc", "2026-03-03T10:00:00.480Z", "E"),
                                           audit_event("a9d2", "2026-03-03T10:00:01.005Z", "C")};
  {
    Store store = Store::open(path);
    for (const std::string& event : events) store.put(event);
    store.put(observation("obs-1", "proc-1", "Patient/123", "2026-03-03T10:00:00Z", "2"));
    REQUIRE(store.count("AuditEvent") == 3);
  }
  for (int opening = 0; opening < 2; ++opening) {  // the second opening finds nothing to move
    Store store = Store::open(path);
    const auto entries = store.audit_log().entries();
    REQUIRE(entries.size() == 3 + static_cast<std::size_t>(opening));  // and the one appended before
    for (std::size_t i = 0; i < events.size(); ++i) CHECK(entries[i].json == events[i]);
    CHECK(store.count("AuditEvent") == 0);
    CHECK_FALSE(store.read("AuditEvent", "07bc"));
    CHECK(store.history("AuditEvent", "f3a1").empty());
    CHECK(store.read("Observation", "obs-1"));
    store.audit_log().append({audit_event("b001", "2026-03-04T09:00:00Z", "R")});
    CHECK(store.audit_log().count() == 4 + static_cast<std::size_t>(opening));
  }
}
