#pragma once
// One finding <-> one Observation (profile mfr-skin-rolling-finding, DOMAIN.md §2).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/issue.hpp"
#include "json/json.hpp"
#include "model/session.hpp"

namespace mfr::codec {

struct Received;  // codec/received.hpp
struct ReceivedObservation;

// What an Observation takes from its session when it is written.
struct FindingContext {
  const Session& session;
  std::string_view identifier_system;  // the clinic's system for business identifiers
  std::string_view procedure_ref;      // "urn:uuid:…" in Bundles, "Procedure/{id}" in NDJSON
  std::string_view document_ref;       // the legacy note's DocumentReference, or empty
  // The session as it was imported (decoded from its received Procedure), when it was: an
  // imported Observation's subject, encounter, performer and time are rewritten only when
  // the session's changed since, never merely because the Observation differed from it.
  const Session* imported_session = nullptr;
  std::string_view language = {};  // the narrative's (codec/narrative.hpp): "en", "fr", "de"
  // What import received for the session, when it was imported: the finding's Observation.
  const Received* received = nullptr;
  // A transaction: conditional references ("Patient?identifier=") are written as they are;
  // any other form writes the equivalent logical references.
  bool conditional_references = true;
};

// "{session id}/{site code}/{side}": deterministic, so re-sending never duplicates.
std::string finding_identifier_value(const Session& session, const Finding& finding);
// The site part of it: the SNOMED CT code, or a slug of free text ("hip-flexors").
std::string site_key(const Site& site);

// Writes the Observation. When `ctx.received` holds the Observation the finding was read from,
// starts from it and replaces only the elements whose model value changed, so nothing received
// is lost; its narrative (text) too is kept as received unless the model changed (or it had none).
json::Value encode_observation(const Finding& finding, const FindingContext& ctx, std::string_view resource_id);

// Whether `finding` holds something other than the Observation it was read from, `received`
// (always true when null): what decides whether a received narrative still holds.
bool finding_changed(const Finding& finding, const ReceivedObservation* received);

// An Observation read back, with what it says about its session.
struct DecodedObservation {
  Finding finding;
  std::string subject;
  std::string encounter;
  std::string performer;
  std::string part_of;  // the Procedure it belongs to, as written
  std::optional<DateTime> effective;
  std::string identifier_system;
  std::string identifier_value;
};

// Reads an Observation leniently (what other systems really send). Returns nullopt when
// an error-severity issue makes it unusable; every problem is added to `issues` with the
// FHIRPath below `path` (normally "Observation").
std::optional<DecodedObservation> decode_observation(const json::Value& resource, std::vector<Issue>& issues,
                                                     std::string_view path = "Observation");

}  // namespace mfr::codec
