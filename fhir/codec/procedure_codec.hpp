#pragma once
// One session <-> one Procedure (profile mfr-skin-rolling-procedure, DOMAIN.md §2).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/issue.hpp"
#include "json/json.hpp"
#include "model/session.hpp"

namespace mfr::codec {

// Extension carrying the course: which session this is and how many are planned.
inline constexpr std::string_view kCourseExtension = "https://mfr-fhir.org/fhir/StructureDefinition/course";

// Writes the Procedure; `document_ref` (may be empty) is the legacy note it reports, `language`
// the narrative's (codec/narrative.hpp). With `session.original_json` set, only elements whose
// model value changed are rewritten; the narrative is kept as received unless the session or
// one of its findings changed (or it had none).
json::Value encode_procedure(const Session& session, std::string_view identifier_system, std::string_view resource_id,
                             std::string_view document_ref, std::string_view language = {});

struct DecodedProcedure {
  Session session;         // findings empty; original_json set by the caller
  std::string report_ref;  // the DocumentReference it reports, if any
};

// Reads a Procedure leniently; nullopt when an error makes it unusable (issues say why).
std::optional<DecodedProcedure> decode_procedure(const json::Value& resource, std::vector<Issue>& issues,
                                                 std::string_view path = "Procedure");

}  // namespace mfr::codec
