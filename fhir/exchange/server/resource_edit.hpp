#pragma once
// Edits the server makes to a resource before storing it: its id and meta (versionId,
// lastUpdated), and urn:uuid references inside a transaction rewritten to the assigned ids.
#include <cstdint>
#include <map>
#include <string>

#include "json/json.hpp"

namespace mfr::server {

// Sets id, meta.versionId and meta.lastUpdated (keeping the rest of meta), with resourceType,
// id and meta first, and returns the compact JSON text to store.
std::string stamp(json::Value& resource, const std::string& id, std::int64_t version, const std::string& instant);

// Replaces every `reference` whose value is a key of `targets` ("urn:uuid:…" -> "Procedure/7").
void rewrite_references(json::Value& value, const std::map<std::string, std::string, std::less<>>& targets);

// True for a FHIR id: 1-64 of [A-Za-z0-9-.].
bool is_fhir_id(std::string_view text) noexcept;

}  // namespace mfr::server
