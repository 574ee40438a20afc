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

}  // namespace mfr::store::detail
