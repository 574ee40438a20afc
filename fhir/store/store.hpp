#pragma once
// The resource store: FHIR resources kept exactly as received (verbatim JSON text) with their
// version history and a few indexed search columns, in one SQLite file (WAL) or in memory.
// The durable outbox lives in the same file (outbox.hpp), so a resource and the Bundle that
// sends it can be written in one place and survive the same crash.
//
// Thread safety: a Store (and every Outbox taken from it) shares one SQLite connection guarded
// by a mutex, so any member may be called from any thread at any time. Several processes may
// open the same file; SQLite's file locks and a busy timeout serialise them.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/audit_log.hpp"
#include "store/date_range.hpp"
#include "store/outbox.hpp"
#include "store/subscription_store.hpp"

namespace mfr::store {

namespace detail {
class Database;
}

struct StoreOptions {
  // How long a writer waits for another process's lock before failing.
  int busy_timeout_ms = 5000;
};

// One version of one resource, as received.
struct StoredResource {
  std::string type;          // "Procedure"
  std::string id;            // logical id
  std::string version_id;    // meta.versionId as received, else the store's version number
  std::int64_t version = 0;  // 1, 2, 3 … in the order this store received them
  std::string last_updated;  // meta.lastUpdated as received, else when the store received it (UTC)
  std::string json;          // the resource text, byte for byte as received
};

// FHIR R4 date search prefixes, each a relation between the resource's date range and the
// search value's range (see date_range.hpp for ranges):
//   eq  the value's range contains the resource's      ne  it does not
//   gt  the resource's range reaches past the value's end
//   lt  the resource's range reaches before the value's start
//   ge  gt, or eq                                       le  lt, or eq
//   sa  the resource's range starts after the value's end
//   eb  the resource's range ends before the value's start
//   ap  the ranges overlap (the caller widens the value's range by what it calls approximate)
enum class DatePrefix { eq, ne, gt, lt, ge, le, sa, eb, ap };

struct DateFilter {
  DatePrefix prefix = DatePrefix::eq;
  DateRange range;
};

// A search over the current version of each resource; empty fields do not filter, and every
// filter given must hold. Token values are matched as FHIR writes them: "system|value" (or just
// "value"). The clinical date a resource is searched and sorted by is its first of
// effective[x], performed[x], date, issued, recorded or period (resource_index.hpp).
struct SearchQuery {
  std::string type;                       // required: "Observation"
  std::optional<std::string> patient;     // subject/patient reference: "Patient/123"
  std::optional<std::string> identifier;  // "system|value" or "value"
  std::optional<std::string> code;        // "system|code" or "code"
  std::optional<std::string> part_of;     // "Procedure/abc"
  std::vector<DateFilter> dates;          // all must hold
  std::size_t offset = 0;                 // matches skipped, in result order
  std::size_t limit = 1000;               // matches returned at most
};

class Store {
 public:
  // Opens or creates the store file; an empty path keeps everything in memory (lost on close).
  static Store open(const std::string& path, StoreOptions options = {});

  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store();

  // Stores a new version of the resource in `resource_json` (which must be a JSON object with
  // resourceType and id). A version whose meta.versionId this store already holds is not
  // stored twice: the held one is returned. Throws std::invalid_argument on bad input.
  StoredResource put(std::string_view resource_json);
  // put() for each, in one transaction (one commit, one fsync): all are stored or, on a throw,
  // none. For a transaction Bundle, and for many small writes at once (the server's audit trail).
  std::vector<StoredResource> put_all(const std::vector<std::string>& resources);

  std::optional<StoredResource> read(std::string_view type, std::string_view id) const;
  std::optional<StoredResource> read_version(std::string_view type, std::string_view id,
                                             std::string_view version_id) const;
  // Every version, newest first.
  std::vector<StoredResource> history(std::string_view type, std::string_view id) const;
  // Current versions matching the query, ordered by the start of their date range (UTC), then
  // id; resources without a date first. Skips `offset` matches and returns at most `limit`.
  std::vector<StoredResource> search(const SearchQuery& query) const;
  // How many current versions match the query (its offset and limit aside): a count walks every
  // match, so callers ask only when they must report it (FHIR's Bundle.total).
  std::size_t count_matches(const SearchQuery& query) const;
  // The current versions of `type` with a part-of reference to one of `references` ("Procedure/7"),
  // each once, by date then id: the findings of a page of sessions (_revinclude) in one query,
  // driven by the part-of index rather than one search per session.
  std::vector<StoredResource> part_of_any(std::string_view type, const std::vector<std::string>& references) const;
  std::size_t count(std::string_view type) const;
  // Up to `limit` current versions of `type` in id order, ids after `after_id` ("" = from the
  // start): a reader walks the whole type page by page without holding the store's lock between
  // pages (bulk export). `with_patient_only` keeps those that have a subject/patient reference.
  std::vector<StoredResource> current_page(std::string_view type, std::string_view after_id, std::size_t limit,
                                           bool with_patient_only = false) const;

  // The file this store was opened on (as SQLite resolved it); empty for a store in memory.
  const std::string& path() const noexcept;

  // The durable outbox in this store's file.
  Outbox outbox(OutboxPolicy policy = {}) const;
  // The server's audit trail in this store's file (audit_log.hpp).
  AuditLog audit_log() const;
  // The partners' Subscriptions in this store's file (subscription_store.hpp).
  SubscriptionStore subscriptions() const;

 private:
  explicit Store(std::shared_ptr<detail::Database> db);
  std::shared_ptr<detail::Database> db_;
};

}  // namespace mfr::store
