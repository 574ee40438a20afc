#pragma once
// Sessions -> FHIR exchange forms (DOMAIN.md §3): Bundle collection (files), Bundle transaction
// (to a server, conditional create so a retry never duplicates) and NDJSON (bulk).
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "json/json.hpp"
#include "model/session.hpp"

namespace mfr::codec {

enum class BundleType { Collection, Transaction };

struct ExportOptions {
  // The clinic's identifier system; a session's own identifier_system (imported data) wins.
  std::string identifier_system;
};

// One resource of a session as it is written: `uuid` is UUID v5 of its first identifier.
struct ExportedResource {
  std::string_view type;  // "Procedure", "Observation", "DocumentReference"
  json::Value resource;
  std::string uuid;
  std::string identifier_system;
  std::string identifier_value;
};

// Calls `sink` for each resource of `session`: its DocumentReference (legacy note), its
// Procedure, then one Observation per finding. With `bundle_refs`, references between them
// are urn:uuid:… (Bundles), else Type/id (NDJSON). Throws std::invalid_argument when no
// identifier system is known or the session has no id or patient.
void for_each_resource(const Session& session, const ExportOptions& options, bool bundle_refs,
                       const std::function<void(ExportedResource&&)>& sink);

json::Value export_bundle(std::span<const Session> sessions, BundleType type, const ExportOptions& options);

// Bulk Data NDJSON: one resource a line, one file per resource type, LF line ends.
struct NdjsonOutput {
  std::string procedures;
  std::string observations;
  std::string documents;
};
void append_ndjson(const Session& session, const ExportOptions& options, NdjsonOutput& out);

// `identifier={system}|{value}` for Bundle.entry.request.ifNoneExist, with the characters that
// would break a query string percent-encoded.
std::string if_none_exist(std::string_view system, std::string_view value);

}  // namespace mfr::codec
