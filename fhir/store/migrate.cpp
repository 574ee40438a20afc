#include "store/migrate.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "json/json.hpp"
#include "store/resource_index.hpp"

namespace mfr::store::detail {
namespace {

bool has_date_range(Database& db) {
  Statement columns(db, "SELECT 1 FROM pragma_table_info('resource_current') WHERE name = 'date_low'");
  const bool found = columns.step();
  columns.reset();
  return found;
}

bool has_audit_resources(Database& db) {
  Statement rows(db, "SELECT 1 FROM resource_version WHERE type = 'AuditEvent' LIMIT 1");
  const bool found = rows.step();
  rows.reset();
  return found;
}

bool has_column(Database& db, std::string_view table, std::string_view column) {
  Statement columns(db, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2");
  columns.bind(1, table).bind(2, column);
  const bool found = columns.step();
  columns.reset();
  return found;
}

// Columns appended to the outbox since its first release, each with what older rows hold.
constexpr std::pair<std::string_view, std::string_view> kOutboxColumns[] = {
    {"deferrals", "INTEGER NOT NULL DEFAULT 0"},
    {"holder_host", "TEXT"},
    {"holder_boot", "TEXT"},
    {"holder_pid", "INTEGER"},
    {"holder_start", "INTEGER"},
    {"split_from", "INTEGER"},
};

struct Backfill {
  std::int64_t rowid = 0;
  std::optional<DateRange> date;
};

}  // namespace

void migrate_dates(Database& db) {
  std::lock_guard lock(db.mutex());
  if (has_date_range(db)) return;
  Transaction tx(db);
  if (has_date_range(db)) return;  // another process migrated while this one waited for the lock
  db.exec(
      "ALTER TABLE resource_current ADD COLUMN date_low INTEGER;"
      "ALTER TABLE resource_current ADD COLUMN date_high INTEGER;"
      "DROP INDEX IF EXISTS resource_current_date;"
      "ALTER TABLE resource_current DROP COLUMN date;");

  // Read every range first, then write: SQLite does not promise a scan sees a table it updates.
  std::vector<Backfill> rows;
  {
    Statement current(db,
                      "SELECT c.rowid, v.json FROM resource_current c JOIN resource_version v "
                      "ON v.type = c.type AND v.id = c.id AND v.version = c.version");
    while (current.step()) {
      // The store kept only resources that parsed as JSON objects; one that no longer does
      // (a hand-edited file) stays searchable by everything but date.
      std::optional<DateRange> date;
      try {
        date = index_terms(json::Value::parse(current.text(1))).date;
      } catch (const json::ParseError&) {
      }
      rows.push_back({current.int64(0), date});
    }
    current.reset();
  }
  Statement update(db, "UPDATE resource_current SET date_low = ?, date_high = ? WHERE rowid = ?");
  for (const Backfill& row : rows) {
    if (!row.date) continue;
    update.bind(1, row.date->low).bind(2, row.date->high).bind(3, row.rowid);
    update.run();
    update.reset();
  }
  tx.commit();
}

void migrate_audit_events(Database& db) {
  std::lock_guard lock(db.mutex());
  if (!has_audit_resources(db)) return;
  Transaction tx(db);
  if (!has_audit_resources(db)) return;  // another process moved them while this one waited
  // Each was written once, as version 1 of its own id, so rowid order is the order written.
  db.exec(
      "INSERT INTO audit_event(json) SELECT json FROM resource_version WHERE type = 'AuditEvent' ORDER BY rowid;"
      "DELETE FROM resource_token WHERE type = 'AuditEvent';"
      "DELETE FROM resource_current WHERE type = 'AuditEvent';"
      "DELETE FROM resource_version WHERE type = 'AuditEvent';");
  tx.commit();
}

void migrate_outbox(Database& db) {
  std::lock_guard lock(db.mutex());
  auto complete = [&] {
    for (const auto& column : kOutboxColumns)
      if (!has_column(db, "outbox", column.first)) return false;
    return true;
  };
  if (complete()) return;
  Transaction tx(db);
  // Another process may have added some while this one waited for the lock.
  for (const auto& [name, declaration] : kOutboxColumns)
    if (!has_column(db, "outbox", name))
      db.exec("ALTER TABLE outbox ADD COLUMN " + std::string(name) + " " + std::string(declaration));
  tx.commit();
}

}  // namespace mfr::store::detail
