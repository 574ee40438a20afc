#pragma once
// Which resources of a partner's record are ours to read as sessions (issue 15): a Procedure or
// an Observation that claims our profile (validate::claims_our_profile: meta.profile or our code,
// DOMAIN.md §2), and a DocumentReference that is one of our legacy notes. Everything else that is
// valid FHIR is foreign: counted, never a session, never a rejection. Whether an Observation is
// ours depends on the Observation alone: one `partOf` our Procedure but coded otherwise (a pain
// score, vitals) stays foreign.
#include <optional>
#include <string>
#include <string_view>

#include "json/json.hpp"

namespace mfr::codec {

// The sentence that says why `resource` (valid FHIR, with a resourceType) is foreign, or nullopt
// when it may be ours. A DocumentReference may be ours: import decides once it knows whether one
// of our Procedures reports it (document_is_ours).
std::optional<std::string> foreign_reason(const json::Value& resource);

// A DocumentReference none of our Procedures reports is still ours when it is a legacy note in
// the form our codec writes (type.text "Legacy treatment note"): a note-only session.
bool looks_like_our_note(const json::Value& document);

// The sentence for a DocumentReference found foreign at the end of an import.
std::string foreign_document_reason();

}  // namespace mfr::codec
