#pragma once
// A legacy note's verbatim text <-> one DocumentReference (text/plain; charset=utf-8).
#include <optional>
#include <string_view>
#include <vector>

#include "codec/issue.hpp"
#include "json/json.hpp"
#include "model/session.hpp"

namespace mfr::codec {

struct ReceivedDocument;  // codec/received.hpp

inline constexpr std::string_view kNoteContentType = "text/plain; charset=utf-8";
// DocumentReference.type.text of every note we write: what tells our notes from a partner's documents.
inline constexpr std::string_view kNoteTypeText = "Legacy treatment note";

// `language` is the narrative's (codec/narrative.hpp). A note received (`received`) is written
// back as it came, with its narrative, or ours when it had none; `conditional_references` as
// for the Procedure (codec/procedure_codec.hpp).
json::Value encode_document(const Session& session, const ReceivedDocument* received, std::string_view identifier_system,
                            std::string_view resource_id, std::string_view language = {},
                            bool conditional_references = true);

struct DecodedDocument {
  LegacySource source;
  std::string subject;
};
std::optional<DecodedDocument> decode_document(const json::Value& resource, std::vector<Issue>& issues,
                                               std::string_view path = "DocumentReference");

}  // namespace mfr::codec
