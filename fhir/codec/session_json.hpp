#pragma once
// The small "session JSON" shape for hosts that prefer one JSON text to many calls.
// It is documented for hosts in include/mfr/mfr.h (mfr_session_from_json). Example:
//   {"id":"S-42","patient":"Patient/p1","start":"2019-03-04T10:30:00+01:00",
//    "regions":["thoracic-spine"],
//    "findings":[{"site":"T4","side":"bilateral","restriction":2,"pain":6,"released":"partial"}]}
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/issue.hpp"
#include "json/json.hpp"
#include "model/session.hpp"

namespace mfr::codec {

// Reads one session (or, with `many`, a JSON array of them). Problems are issues whose
// expression is the JSON path in the input ("findings[2].pain"); nullopt when any is an error.
std::optional<Session> session_from_json(const json::Value& value, std::vector<Issue>& issues, std::string_view path = "");
std::optional<std::vector<Session>> sessions_from_json_text(std::string_view text, std::vector<Issue>& issues);

json::Value session_to_json(const Session& session);

}  // namespace mfr::codec
