#include "store/audit_log.hpp"

#include "store/sqlite.hpp"

namespace mfr::store {

using detail::Statement;
using detail::Transaction;

// Store::open created the table (and moved the AuditEvents older stores kept as resources into it).
AuditLog::AuditLog(std::shared_ptr<detail::Database> db) : db_(std::move(db)) {}

void AuditLog::append(const std::vector<std::string>& events) {
  std::lock_guard lock(db_->mutex());
  Transaction tx(*db_);
  Statement insert(*db_, "INSERT INTO audit_event(json) VALUES (?)");
  for (const std::string& event : events) {
    insert.bind(1, event);
    insert.run();
    insert.reset();
  }
  tx.commit();
}

std::vector<AuditEntry> AuditLog::entries(std::int64_t after_seq, std::size_t limit) const {
  std::lock_guard lock(db_->mutex());
  Statement rows(*db_, "SELECT seq, json FROM audit_event WHERE seq > ? ORDER BY seq LIMIT ?");
  rows.bind(1, after_seq).bind(2, static_cast<std::int64_t>(limit));
  std::vector<AuditEntry> out;
  while (rows.step()) out.push_back(AuditEntry{rows.int64(0), rows.text(1)});
  return out;
}

std::size_t AuditLog::count() const {
  std::lock_guard lock(db_->mutex());
  Statement row(*db_, "SELECT COUNT(*) FROM audit_event");
  row.step();
  return static_cast<std::size_t>(row.int64(0));
}

}  // namespace mfr::store
