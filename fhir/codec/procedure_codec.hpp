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

struct Received;  // codec/received.hpp

// Extension carrying the course: which session this is and how many are planned.
inline constexpr std::string_view kCourseExtension = "https://mfr-fhir.org/fhir/StructureDefinition/course";

// How a session's Procedure is written.
struct ProcedureForm {
  std::string_view identifier_system;
  std::string_view resource_id;
  std::string_view document_ref;  // the legacy note it reports; may be empty
  std::string_view language = {};  // the narrative's (codec/narrative.hpp)
  bool conditional_references = true;  // a transaction; elsewhere they are written as logical ones
};

// Writes the Procedure. When `received` holds the Procedure the session was read from, only
// elements whose model value changed are rewritten; the narrative is kept as received unless
// the session or one of its findings changed (or it had none).
json::Value encode_procedure(const Session& session, const Received* received, const ProcedureForm& form);

struct DecodedProcedure {
  Session session;         // findings empty
  std::string report_ref;  // the DocumentReference it reports, if any
};

// Reads a Procedure leniently; nullopt when an error makes it unusable (issues say why).
std::optional<DecodedProcedure> decode_procedure(const json::Value& resource, std::vector<Issue>& issues,
                                                 std::string_view path = "Procedure");

}  // namespace mfr::codec
