#pragma once
// What import received, kept beside the Session it became: each resource as parsed (once, at
// import) with what it decoded to. Export writes a received resource back with only the elements
// whose model value changed regenerated, so nothing the model has no field for is lost, and it
// knows what changed by comparing with the decoded baseline, without reading the resource again.
// The model (fhir/model) holds no FHIR: this record is codec's.
#include <cstddef>
#include <optional>
#include <vector>

#include "codec/observation_codec.hpp"
#include "json/json.hpp"
#include "model/session.hpp"

namespace mfr::codec {

struct ReceivedProcedure {
  json::Value resource;
  Session decoded;  // the session as read from `resource` (no findings)
  // It came in a transaction or batch Bundle, so it may hold conditional references
  // ("Patient?identifier=..."), which any other form writes as logical ones.
  bool conditional_references = false;
};

struct ReceivedObservation {
  json::Value resource;
  DecodedObservation decoded;  // the finding and what it said about its session
  bool conditional_references = false;
};

struct ReceivedDocument {
  json::Value resource;  // a legacy note never changes once imported: written back as it came
  bool conditional_references = false;
};

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
