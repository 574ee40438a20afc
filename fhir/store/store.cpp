#include "store/store.hpp"

#include <algorithm>
#include <cstdint>
#include <ctime>
#include <set>
#include <span>
#include <variant>
#include <stdexcept>

#include "json/json.hpp"
#include "store/migrate.hpp"
#include "store/resource_index.hpp"
#include "store/sqlite.hpp"
#include "validate/issue.hpp"

namespace mfr::store {
namespace {

using detail::Database;
using detail::Statement;
using detail::Transaction;

// Why synchronous=FULL and not NORMAL: in WAL mode NORMAL survives a process crash (kill -9)
// but may lose the last commits on power loss or an OS crash, and a lost enqueue is a lost
// Bundle. FULL fsyncs the WAL on every commit; outbox traffic is a few rows a second at most.
constexpr std::string_view kSchema = R"sql(
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
PRAGMA foreign_keys = ON;
CREATE TABLE IF NOT EXISTS resource_version(
  type TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, version_id TEXT NOT NULL,
  last_updated TEXT NOT NULL, json TEXT NOT NULL,
  PRIMARY KEY (type, id, version), UNIQUE (type, id, version_id));
CREATE TABLE IF NOT EXISTS resource_current(
  type TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, patient TEXT,
  date_low INTEGER, date_high INTEGER,
  PRIMARY KEY (type, id));
CREATE TABLE IF NOT EXISTS resource_token(
  type TEXT NOT NULL, id TEXT NOT NULL, param TEXT NOT NULL, value TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS resource_token_resource ON resource_token(type, id);
CREATE TABLE IF NOT EXISTS outbox(
  id INTEGER PRIMARY KEY,
  partner TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  bundle TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'in-flight', 'sent', 'failed', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_until INTEGER,
  last_error TEXT,
  response_status INTEGER,
  response_summary TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deferrals INTEGER NOT NULL DEFAULT 0,
  holder_host TEXT, holder_boot TEXT, holder_pid INTEGER, holder_start INTEGER,
  split_from INTEGER,
  UNIQUE (partner, idempotency_key));
CREATE INDEX IF NOT EXISTS outbox_due ON outbox(state, next_attempt_at);
CREATE TABLE IF NOT EXISTS audit_event(seq INTEGER PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS subscription(
  id TEXT PRIMARY KEY, owner TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('requested', 'active', 'error', 'off')),
  json TEXT NOT NULL, base_url TEXT NOT NULL, events INTEGER NOT NULL DEFAULT 0, error TEXT,
  cursor INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS subscription_owner ON subscription(owner, status);
CREATE TABLE IF NOT EXISTS subscription_change(
  seq INTEGER PRIMARY KEY, txn INTEGER NOT NULL, type TEXT NOT NULL, id TEXT NOT NULL,
  version_id TEXT NOT NULL, committed_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS subscription_change_txn ON subscription_change(txn);
)sql";

// Searches are ordered by date (then id) and mostly filtered by patient: with these indexes
// `ORDER BY date_low, id LIMIT n` walks n index entries instead of sorting all the patient's
// resources, and the entries hold every column the search reads from resource_current. A token
// filter is one look-up per row walked (its id is in the index). Created after migrate_dates(),
// which adds the columns to stores written before them; the indexes they replace are dropped.
constexpr std::string_view kIndexes = R"sql(
DROP INDEX IF EXISTS resource_current_patient;
DROP INDEX IF EXISTS resource_token_value;
CREATE INDEX IF NOT EXISTS resource_current_patient_date
  ON resource_current(type, patient, date_low, id, version, date_high);
CREATE INDEX IF NOT EXISTS resource_current_type_date
  ON resource_current(type, date_low, id, version, date_high);
CREATE INDEX IF NOT EXISTS resource_token_match ON resource_token(type, param, value, id);
)sql";

std::string utc_now_text() {
  const auto now = Clock::now();
  const std::time_t seconds = Clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(millis));
  return text;
}

constexpr std::string_view kSelectVersion =
    "SELECT type, id, version_id, version, last_updated, json FROM resource_version ";

StoredResource row_to_resource(const Statement& row) {
  return StoredResource{row.text(0), row.text(1), row.text(2), row.int64(3), row.text(4), row.text(5)};
}

void add_tokens(Database& db, const std::string& type, const std::string& id, std::string_view param,
                const std::vector<std::string>& values) {
  Statement insert(db, "INSERT INTO resource_token(type, id, param, value) VALUES (?, ?, ?, ?)");
  for (const std::string& value : values) {
    insert.bind(1, type).bind(2, id).bind(3, param).bind(4, value);
    insert.run();
    insert.reset();
  }
}

// Records the Procedures and Observations one write transaction stored, as one change (`txn`)
// of the subscription journal, in that same transaction: a change committed is a change the
// Subscriptions hear of, across a crash. Nothing is recorded while no Subscription is live.
void journal_changes(Database& db, std::span<const StoredResource> changes) {
  Statement live(db, "SELECT EXISTS (SELECT 1 FROM subscription WHERE status IN ('requested', 'active'))");
  if (!live.step() || live.int64(0) == 0) return;
  Statement last(db, "SELECT COALESCE(MAX(txn), 0) FROM subscription_change");
  last.step();
  const std::int64_t txn = last.int64(0) + 1;
  const std::string now = utc_now_text();
  Statement insert(db, "INSERT INTO subscription_change(txn, type, id, version_id, committed_at) VALUES (?, ?, ?, ?, ?)");
  for (const StoredResource& r : changes) {
    if (r.type != "Procedure" && r.type != "Observation") continue;
    insert.bind(1, txn).bind(2, r.type).bind(3, r.id).bind(4, r.version_id).bind(5, now);
    insert.run();
    insert.reset();
  }
}

}  // namespace

Store::Store(std::shared_ptr<Database> db) : db_(std::move(db)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

Store Store::open(const std::string& path, StoreOptions options) {
  auto db = std::make_shared<Database>(path);
  db->exec("PRAGMA busy_timeout = " + std::to_string(options.busy_timeout_ms));
  db->exec(kSchema);
  detail::migrate_dates(*db);
  detail::migrate_audit_events(*db);
  detail::migrate_outbox(*db);
  db->exec(kIndexes);
  return Store(std::move(db));
}

namespace {

// Parses and checks one resource to store: its type, id, given version and indexed terms.
struct Incoming {
  StoredResource stored;
  std::optional<std::string> given_version;
  detail::IndexTerms terms;
};

Incoming incoming(std::string_view resource_json) {
  json::Value resource;
  try {
    resource = json::Value::parse(resource_json);
  } catch (const json::ParseError& e) {
    throw std::invalid_argument(validate::parse_error_sentence(e.where(), e.reason()));
  }
  const auto type = resource.string_at("resourceType");
  const auto id = resource.string_at("id");
  if (!type || type->empty()) throw std::invalid_argument("the resource has no resourceType");
  if (!id || id->empty()) throw std::invalid_argument("the " + std::string(*type) + " has no id");

  Incoming in;
  in.stored.type = std::string(*type);
  in.stored.id = std::string(*id);
  in.stored.json = std::string(resource_json);
  const json::Value* meta = resource.find("meta");
  const auto given_version = meta ? meta->string_at("versionId") : std::nullopt;
  const auto given_updated = meta ? meta->string_at("lastUpdated") : std::nullopt;
  if (given_version) in.given_version = std::string(*given_version);
  in.stored.last_updated = given_updated ? std::string(*given_updated) : utc_now_text();
  in.terms = detail::index_terms(resource);
  return in;
}

// Writes one version inside the caller's transaction, with the lock held.
StoredResource write_version(Database& db, Incoming in) {
  StoredResource& stored = in.stored;
  if (in.given_version) {
    Statement held(db, std::string(kSelectVersion) + "WHERE type = ? AND id = ? AND version_id = ?");
    held.bind(1, stored.type).bind(2, stored.id).bind(3, *in.given_version);
    if (held.step()) return row_to_resource(held);
  }
  Statement last(db, "SELECT COALESCE(MAX(version), 0) FROM resource_version WHERE type = ? AND id = ?");
  last.bind(1, stored.type).bind(2, stored.id);
  last.step();
  stored.version = last.int64(0) + 1;
  stored.version_id = in.given_version ? *in.given_version : std::to_string(stored.version);

  Statement insert(db,
                   "INSERT INTO resource_version(type, id, version, version_id, last_updated, json) "
                   "VALUES (?, ?, ?, ?, ?, ?)");
  insert.bind(1, stored.type).bind(2, stored.id).bind(3, stored.version).bind(4, stored.version_id);
  insert.bind(5, stored.last_updated).bind(6, stored.json);
  insert.run();

  Statement current(db,
                    "INSERT INTO resource_current(type, id, version, patient, date_low, date_high) "
                    "VALUES (?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (type, id) DO UPDATE SET version = excluded.version, "
                    "patient = excluded.patient, date_low = excluded.date_low, date_high = excluded.date_high");
  current.bind(1, stored.type).bind(2, stored.id).bind(3, stored.version).bind_optional(4, in.terms.patient);
  if (in.terms.date) current.bind(5, in.terms.date->low).bind(6, in.terms.date->high);
  else current.bind_null(5).bind_null(6);
  current.run();

  Statement forget(db, "DELETE FROM resource_token WHERE type = ? AND id = ?");
  forget.bind(1, stored.type).bind(2, stored.id);
  forget.run();
  add_tokens(db, stored.type, stored.id, "identifier", in.terms.identifiers);
  add_tokens(db, stored.type, stored.id, "code", in.terms.codes);
  add_tokens(db, stored.type, stored.id, "part-of", in.terms.part_of);
  return stored;
}

}  // namespace

StoredResource Store::put(std::string_view resource_json) {
  Incoming in = incoming(resource_json);
  std::lock_guard lock(db_->mutex());
  Transaction tx(*db_);
  StoredResource stored = write_version(*db_, std::move(in));
  journal_changes(*db_, {&stored, 1});
  tx.commit();
  return stored;
}

std::vector<StoredResource> Store::put_all(const std::vector<std::string>& resources) {
  std::vector<Incoming> all;
  all.reserve(resources.size());
  for (const std::string& json : resources) all.push_back(incoming(json));
  std::vector<StoredResource> stored;
  stored.reserve(all.size());
  std::lock_guard lock(db_->mutex());
  Transaction tx(*db_);
  for (Incoming& in : all) stored.push_back(write_version(*db_, std::move(in)));
  journal_changes(*db_, stored);
  tx.commit();
  return stored;
}

std::optional<StoredResource> Store::read(std::string_view type, std::string_view id) const {
  std::lock_guard lock(db_->mutex());
  Statement row(*db_, std::string(kSelectVersion) + "WHERE type = ? AND id = ? ORDER BY version DESC LIMIT 1");
  row.bind(1, type).bind(2, id);
  if (!row.step()) return std::nullopt;
  return row_to_resource(row);
}

std::optional<StoredResource> Store::read_version(std::string_view type, std::string_view id,
                                                  std::string_view version_id) const {
  std::lock_guard lock(db_->mutex());
  Statement row(*db_, std::string(kSelectVersion) + "WHERE type = ? AND id = ? AND version_id = ?");
  row.bind(1, type).bind(2, id).bind(3, version_id);
  if (!row.step()) return std::nullopt;
  return row_to_resource(row);
}

std::vector<StoredResource> Store::history(std::string_view type, std::string_view id) const {
  std::lock_guard lock(db_->mutex());
  Statement rows(*db_, std::string(kSelectVersion) + "WHERE type = ? AND id = ? ORDER BY version DESC");
  rows.bind(1, type).bind(2, id);
  std::vector<StoredResource> out;
  while (rows.step()) out.push_back(row_to_resource(rows));
  return out;
}

namespace {

// The WHERE clause of a search over resource_current `c`, and what to bind to it, in order.
struct Filters {
  std::string sql;
  std::vector<std::variant<std::string, std::int64_t>> args;
};

// One date filter as FHIR R4 defines its prefix on ranges: the resource's [date_low, date_high]
// against the search value's [low, high]. "Contains" is eq; "above"/"below" are the instants
// after high / before low. A resource without a date (NULL columns) compares false: it matches
// no date filter, ne included.
void add_date(Filters& f, const DateFilter& date) {
  const std::int64_t low = date.range.low, high = date.range.high;
  auto add = [&](std::string_view clause, std::initializer_list<std::int64_t> values) {
    f.sql += " AND ";
    f.sql += clause;
    for (std::int64_t v : values) f.args.emplace_back(v);
  };
  switch (date.prefix) {
    case DatePrefix::eq: add("(c.date_low >= ? AND c.date_high <= ?)", {low, high}); break;
    case DatePrefix::ne: add("NOT (c.date_low >= ? AND c.date_high <= ?)", {low, high}); break;
    case DatePrefix::gt: add("c.date_high > ?", {high}); break;
    case DatePrefix::lt: add("c.date_low < ?", {low}); break;
    case DatePrefix::ge: add("(c.date_high > ? OR (c.date_low >= ? AND c.date_high <= ?))", {high, low, high}); break;
    case DatePrefix::le: add("(c.date_low < ? OR (c.date_low >= ? AND c.date_high <= ?))", {low, low, high}); break;
    case DatePrefix::sa: add("c.date_low > ?", {high}); break;
    case DatePrefix::eb: add("c.date_high < ?", {low}); break;
    case DatePrefix::ap: add("(c.date_low <= ? AND c.date_high >= ?)", {high, low}); break;
  }
}

Filters filters_of(const SearchQuery& query) {
  if (query.type.empty()) throw std::invalid_argument("a store search needs a resource type");
  Filters f;
  f.sql = " WHERE c.type = ?";
  f.args.emplace_back(query.type);
  if (query.patient) {
    f.sql += " AND c.patient = ?";
    f.args.emplace_back(*query.patient);
  }
  for (const DateFilter& date : query.dates) add_date(f, date);
  auto token = [&](const std::optional<std::string>& value, std::string_view param) {
    if (!value) return;
    f.sql += " AND EXISTS (SELECT 1 FROM resource_token t WHERE t.type = c.type AND t.id = c.id AND t.param = '";
    f.sql += param;
    f.sql += "' AND t.value = ?)";
    f.args.emplace_back(*value);
  };
  token(query.identifier, "identifier");
  token(query.code, "code");
  token(query.part_of, "part-of");
  return f;
}

int bind_all(Statement& statement, const Filters& f) {
  int index = 1;
  for (const auto& arg : f.args) {
    if (const auto* text = std::get_if<std::string>(&arg)) statement.bind(index++, std::string_view(*text));
    else statement.bind(index++, std::get<std::int64_t>(arg));
  }
  return index;
}

}  // namespace

std::vector<StoredResource> Store::search(const SearchQuery& query) const {
  const Filters f = filters_of(query);
  const std::string sql =
      "SELECT v.type, v.id, v.version_id, v.version, v.last_updated, v.json FROM resource_current c "
      "JOIN resource_version v ON v.type = c.type AND v.id = c.id AND v.version = c.version" +
      f.sql + " ORDER BY c.date_low, c.id LIMIT ? OFFSET ?";
  std::lock_guard lock(db_->mutex());
  Statement rows(*db_, sql);
  const int next = bind_all(rows, f);
  rows.bind(next, static_cast<std::int64_t>(std::min<std::size_t>(query.limit, INT64_MAX)));
  rows.bind(next + 1, static_cast<std::int64_t>(query.offset));
  std::vector<StoredResource> out;
  out.reserve(std::min<std::size_t>(query.limit, 1000));
  while (rows.step()) out.push_back(row_to_resource(rows));
  return out;
}

std::vector<StoredResource> Store::part_of_any(std::string_view type, const std::vector<std::string>& references) const {
  constexpr std::size_t kChunk = 500;  // bound parameters a statement; SQLite allows 32,766
  std::vector<StoredResource> out;
  std::set<std::string, std::less<>> seen;
  std::lock_guard lock(db_->mutex());
  for (std::size_t start = 0; start < references.size(); start += kChunk) {
    const std::size_t n = std::min(kChunk, references.size() - start);
    std::string sql =
        "SELECT v.type, v.id, v.version_id, v.version, v.last_updated, v.json FROM resource_current c "
        "JOIN resource_version v ON v.type = c.type AND v.id = c.id AND v.version = c.version "
        "WHERE c.type = ?1 AND c.id IN (SELECT t.id FROM resource_token t WHERE t.type = ?1 AND "
        "t.param = 'part-of' AND t.value IN (";
    for (std::size_t i = 0; i < n; ++i) sql += i ? ",?" : "?";
    sql += ")) ORDER BY c.date_low, c.id";
    Statement rows(*db_, sql);
    rows.bind(1, type);
    for (std::size_t i = 0; i < n; ++i) rows.bind(static_cast<int>(i + 2), std::string_view(references[start + i]));
    while (rows.step()) {
      StoredResource row = row_to_resource(rows);
      if (seen.insert(row.id).second) out.push_back(std::move(row));
    }
  }
  return out;
}

std::size_t Store::count_matches(const SearchQuery& query) const {
  const Filters f = filters_of(query);
  std::lock_guard lock(db_->mutex());
  Statement row(*db_, "SELECT COUNT(*) FROM resource_current c" + f.sql);
  bind_all(row, f);
  row.step();
  return static_cast<std::size_t>(row.int64(0));
}

std::size_t Store::count(std::string_view type) const {
  std::lock_guard lock(db_->mutex());
  Statement row(*db_, "SELECT COUNT(*) FROM resource_current WHERE type = ?");
  row.bind(1, type);
  row.step();
  return static_cast<std::size_t>(row.int64(0));
}

std::vector<StoredResource> Store::current_page(std::string_view type, std::string_view after_id,
                                                std::size_t limit, bool with_patient_only) const {
  std::string sql =
      "SELECT v.type, v.id, v.version_id, v.version, v.last_updated, v.json FROM resource_current c "
      "JOIN resource_version v ON v.type = c.type AND v.id = c.id AND v.version = c.version "
      "WHERE c.type = ? AND c.id > ?";
  if (with_patient_only) sql += " AND c.patient IS NOT NULL";
  sql += " ORDER BY c.id LIMIT ?";
  std::lock_guard lock(db_->mutex());
  Statement rows(*db_, sql);
  rows.bind(1, type).bind(2, after_id).bind(3, static_cast<std::int64_t>(limit));
  std::vector<StoredResource> out;
  while (rows.step()) out.push_back(row_to_resource(rows));
  return out;
}

const std::string& Store::path() const noexcept { return db_->path(); }

Outbox Store::outbox(OutboxPolicy policy) const { return Outbox(db_, std::move(policy)); }

SubscriptionStore Store::subscriptions() const { return SubscriptionStore(db_); }

AuditLog Store::audit_log() const { return AuditLog(db_); }

}  // namespace mfr::store
