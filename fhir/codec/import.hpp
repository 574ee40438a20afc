#pragma once
// FHIR JSON from anywhere (a resource, a Bundle of any type, NDJSON) -> sessions.
// Observations are joined to their Procedure through partOf. Every resource is ours (accepted
// into a session), foreign (valid FHIR but not a skin-rolling record, codec/ownership.hpp:
// counted, with one information issue, never a session) or rejected with an error that says
// why and where.
#include <string>
#include <string_view>
#include <vector>

#include "codec/issue.hpp"
#include "codec/received.hpp"
#include "model/session.hpp"

namespace mfr::codec {

struct ImportResult {
  std::vector<Session> sessions;
  // What each session was read from, by the same index: export takes it beside the session
  // (codec/export.hpp) so whatever the model has no field for goes back out unchanged.
  std::vector<Received> received;
  std::vector<Issue> issues;   // errors (rejected resources) and warnings (accepted, with remarks)
  std::size_t resources = 0;   // resources read, foreign ones not included
  std::size_t rejected = 0;    // of those, not accepted because of an error
  std::size_t foreign = 0;     // valid resources that are not ours (a partner's other records)
  bool malformed = false;      // the one JSON text given is not JSON at all (one fatal issue): a parse
                               // failure, not a rejection of content (the ABI's MFR_ERR_PARSE)
};

// A single resource or a Bundle. Malformed JSON is one fatal issue with its line and column;
// resources of other types are foreign.
ImportResult import_json(std::string_view text);

// FHIR NDJSON: one resource a line, LF or CRLF, blank lines ignored. A bad line is an issue
// with its line number (Issue::record) and the others still import.
ImportResult import_ndjson(std::string_view text);

// Several inputs imported together, so Observations in one file find their Procedures in
// another (Bulk Data writes one NDJSON file per resource type). Each issue names its input.
struct NamedInput {
  std::string_view name;  // e.g. the file name; goes into Issue::source
  std::string_view text;
  bool ndjson = false;
};
ImportResult import_many(const std::vector<NamedInput>& inputs);

}  // namespace mfr::codec
