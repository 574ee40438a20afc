#pragma once
// The server's AuditEvents, in a table of their own in the store's file (`audit_event`): each
// event's JSON text with its place in the order written, appended in batches, never changed.
// Not resources of the store: they are not versioned or indexed for search, so an append costs
// one insert at the end of one table instead of a resource's parse, version look-up and index updates, and
// the clinical indexes do not grow with every request served. Read them back here in the order
// written, or with SQL (json_extract(json, '$.recorded'), ...).
//
// Thread safety: as Store (an AuditLog shares its store's connection and lock).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mfr::store {

namespace detail {
class Database;
}

struct AuditEntry {
  std::int64_t seq = 0;  // 1, 2, 3 … in the order written
  std::string json;      // the AuditEvent, as given to append()
};

class AuditLog {
 public:
  // Use Store::audit_log().
  explicit AuditLog(std::shared_ptr<detail::Database> db);

  // Appends the events (each an AuditEvent as JSON text, stored as given: the writer makes
  // them) in one transaction: all are written or, on a throw, none.
  void append(const std::vector<std::string>& events);
  // Up to `limit` entries written after `after_seq` (0: from the first), oldest first.
  std::vector<AuditEntry> entries(std::int64_t after_seq = 0, std::size_t limit = 1000) const;
  std::size_t count() const;

 private:
  std::shared_ptr<detail::Database> db_;
};

}  // namespace mfr::store
