#include "store/subscription_store.hpp"

#include "store/sqlite.hpp"

namespace mfr::store {

using detail::Statement;

namespace {

constexpr std::string_view kColumns =
    "SELECT id, owner, status, json, base_url, events, error, cursor FROM subscription ";

SubscriptionRow row_of(const Statement& row) {
  return SubscriptionRow{row.text(0), row.text(1), row.text(2),        row.text(3),
                         row.text(4), row.int64(5), row.optional_text(6), row.int64(7)};
}

}  // namespace

// Store::open created the tables (store.cpp's schema), and Store::put/put_all fill the journal.
SubscriptionStore::SubscriptionStore(std::shared_ptr<detail::Database> db) : db_(std::move(db)) {}

void SubscriptionStore::create(std::string_view id, std::string_view owner, std::string_view json,
                               std::string_view base_url) {
  std::lock_guard lock(db_->mutex());
  Statement insert(*db_,
                   "INSERT INTO subscription(id, owner, status, json, base_url, cursor) VALUES (?, ?, 'requested', ?, ?, "
                   "(SELECT COALESCE(MAX(txn), 0) FROM subscription_change))");
  insert.bind(1, id).bind(2, owner).bind(3, json).bind(4, base_url);
  insert.run();
}

std::optional<SubscriptionRow> SubscriptionStore::get(std::string_view id, std::string_view owner) const {
  std::lock_guard lock(db_->mutex());
  Statement row(*db_, std::string(kColumns) + "WHERE id = ? AND owner = ?");
  row.bind(1, id).bind(2, owner);
  if (!row.step()) return std::nullopt;
  return row_of(row);
}

std::optional<SubscriptionRow> SubscriptionStore::find(std::string_view id) const {
  std::lock_guard lock(db_->mutex());
  Statement row(*db_, std::string(kColumns) + "WHERE id = ?");
  row.bind(1, id);
  if (!row.step()) return std::nullopt;
  return row_of(row);
}

std::vector<SubscriptionRow> SubscriptionStore::list(std::string_view owner, std::optional<std::string_view> status) const {
  std::lock_guard lock(db_->mutex());
  Statement rows(*db_, std::string(kColumns) + (status ? "WHERE owner = ? AND status = ? ORDER BY rowid"
                                                       : "WHERE owner = ? ORDER BY rowid"));
  rows.bind(1, owner);
  if (status) rows.bind(2, *status);
  std::vector<SubscriptionRow> out;
  while (rows.step()) out.push_back(row_of(rows));
  return out;
}

std::vector<SubscriptionRow> SubscriptionStore::live() const {
  std::lock_guard lock(db_->mutex());
  Statement rows(*db_, std::string(kColumns) + "WHERE status IN ('requested', 'active') ORDER BY rowid");
  std::vector<SubscriptionRow> out;
  while (rows.step()) out.push_back(row_of(rows));
  return out;
}

bool SubscriptionStore::remove(std::string_view id, std::string_view owner) {
  std::lock_guard lock(db_->mutex());
  Statement erase(*db_, "DELETE FROM subscription WHERE id = ? AND owner = ?");
  erase.bind(1, id).bind(2, owner);
  erase.run();
  return db_->changes() > 0;
}

bool SubscriptionStore::set_status(std::string_view id, std::string_view status, const std::optional<std::string>& error) {
  std::lock_guard lock(db_->mutex());
  Statement update(*db_, "UPDATE subscription SET status = ?, error = ? WHERE id = ?");
  update.bind(1, status).bind_optional(2, error).bind(3, id);
  update.run();
  return db_->changes() > 0;
}

std::optional<JournalChange> SubscriptionStore::next_change(std::int64_t after_txn) const {
  std::lock_guard lock(db_->mutex());
  Statement rows(*db_,
                 "SELECT txn, committed_at, type, id, version_id FROM subscription_change WHERE txn = "
                 "(SELECT MIN(txn) FROM subscription_change WHERE txn > ?) ORDER BY seq");
  rows.bind(1, after_txn);
  std::optional<JournalChange> change;
  while (rows.step()) {
    if (!change) change = JournalChange{rows.int64(0), rows.text(1), {}};
    change->resources.push_back({rows.text(2), rows.text(3), rows.text(4)});
  }
  return change;
}

bool SubscriptionStore::advance(std::string_view id, std::int64_t txn, bool event) {
  std::lock_guard lock(db_->mutex());
  Statement update(*db_, "UPDATE subscription SET cursor = ?, events = events + ? WHERE id = ? AND cursor < ?");
  update.bind(1, txn).bind(2, std::int64_t{event ? 1 : 0}).bind(3, id).bind(4, txn);
  update.run();
  return db_->changes() > 0;
}

void SubscriptionStore::prune_journal() {
  std::lock_guard lock(db_->mutex());
  Statement erase(*db_,
                  "DELETE FROM subscription_change WHERE txn < COALESCE((SELECT MIN(cursor) FROM subscription "
                  "WHERE status IN ('requested', 'active')), (SELECT MAX(txn) FROM subscription_change))");
  erase.run();
}

}  // namespace mfr::store
