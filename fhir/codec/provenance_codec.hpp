#pragma once
// Where an imported session came from, as one FHIR R4 Provenance per session read from a legacy
// note (DOMAIN.md §5): target the session's Procedure and Observations; entity (role `source`)
// the DocumentReference holding the note as written; agent the importer with its version (type
// `assembler`); activity how it was read: the HL7 v2-to-FHIR IG's `v2-fhir-transformation` for
// HL7 v2 messages, our CodeSystem/mfr#legacy-note-import for plain text and CSV notes; recorded
// the time of the import (UTC).
#include <span>
#include <string>
#include <string_view>

#include "json/json.hpp"

namespace mfr::codec {

inline constexpr std::string_view kV2ActivitySystem =
    "http://hl7.org/fhir/uv/v2mappings/CodeSystem/provenance-activity-type-v2-to-fhir";
inline constexpr std::string_view kV2ActivityCode = "v2-fhir-transformation";

struct ProvenanceInfo {
  bool from_hl7v2 = false;  // else a text or CSV note
  std::string recorded;     // FHIR instant: "2026-12-03T06:00:00Z"
  std::string agent;        // "mfr-fhir 0.1.0 notes reader"
};

// `id` is the Provenance's logical id; `targets` "Procedure/<id>", "Observation/<id>"...;
// `document` "DocumentReference/<id>" (empty: no entity); `language` the narrative's (codec/narrative.hpp).
json::Value encode_provenance(std::string_view id, std::span<const std::string> targets, std::string_view document,
                              const ProvenanceInfo& info, std::string_view language = {});

// The current time as a FHIR instant in UTC, to the second.
std::string utc_instant_now();

}  // namespace mfr::codec
