#pragma once
// What import received, kept beside the Session it became: each resource's JSON text as it came,
// with what it decoded to. Export writes a received resource back with only the elements whose
// model value changed regenerated, so nothing the model has no field for is lost, and knows what
// changed by comparing with the decoded baseline, without decoding the resource again.
// The model (fhir/model) holds no FHIR: this record is codec's.
//
// Text rather than a parsed json::Value: keeping every imported resource's DOM alive halved
// import throughput (malloc and the late frees of ~50 blocks a resource, docs/DESIGN-NOTES.md);
// export parses each received resource once, into the copy it writes.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "codec/observation_codec.hpp"
#include "json/json.hpp"
#include "model/session.hpp"

namespace mfr::codec {

struct ReceivedResource {
  // Compact JSON as received: an NDJSON line or a lone resource's text as it was, a Bundle
  // entry's resource as read. It parsed and validated at import.
  std::string json;
  // It came in a transaction or batch Bundle, so it may hold conditional references
  // ("Patient?identifier=..."), which any other form writes as logical ones.
  bool conditional_references = false;

  // The resource to write back: `json` parsed, with its conditional references made logical
  // unless `conditional_allowed` (a transaction). Null if it no longer parses (never, from import).
  json::Value writable(bool conditional_allowed) const;
};

struct ReceivedProcedure : ReceivedResource {
  Session decoded;  // the session as read from it (no findings)
};

struct ReceivedObservation : ReceivedResource {
  DecodedObservation decoded;  // the finding and what it said about its session
};

// A legacy note never changes once imported: written back as it came.
struct ReceivedDocument : ReceivedResource {};

struct Received {
  std::optional<ReceivedProcedure> procedure;  // absent when the Procedure was elsewhere
  std::optional<ReceivedDocument> document;
  std::vector<ReceivedObservation> observations;  // Finding::received is 1 + the index

  // The Observation `finding` was read from; nullptr when it was not imported (or its key
  // names none of this record's: a finding from another session's import).
  const ReceivedObservation* observation(const Finding& finding) const noexcept {
    return finding.received && finding.received <= observations.size() ? &observations[finding.received - 1] : nullptr;
  }
};

}  // namespace mfr::codec
