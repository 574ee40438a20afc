#pragma once
// Brings a store file written by an older version of this library up to the current schema.
#include "store/sqlite.hpp"

namespace mfr::store::detail {

// Stores written before date search compared instants kept the clinical date as text in
// resource_current.date. This replaces it by date_low/date_high (UTC milliseconds, see
// date_range.hpp), computed from each current version's JSON, in one transaction; a store that
// has the columns already is left as it is. Call with the schema created and before anything
// reads the store.
void migrate_dates(Database& db);

// Stores written before the audit trail had a table of its own kept each AuditEvent as a
// resource (versioned and indexed like a clinical one). This moves them into audit_event in the
// order they were written and removes them from the resource tables, in one transaction; a
// store without such rows is left as it is. Call with the schema created.
void migrate_audit_events(Database& db);

// Stores written before an outbox row counted the partner's rate-limit deferrals apart from its
// delivery attempts, or named the process holding its lease, lack outbox.deferrals and
// outbox.holder_*; this adds them (0 deferrals, no holder). Call with the schema created.
void migrate_outbox(Database& db);

}  // namespace mfr::store::detail
