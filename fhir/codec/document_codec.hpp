#pragma once
// A legacy note's verbatim text <-> one DocumentReference (text/plain; charset=utf-8).
#include <optional>
#include <string_view>
#include <vector>

#include "codec/issue.hpp"
#include "json/json.hpp"
#include "model/session.hpp"

namespace mfr::codec {

inline constexpr std::string_view kNoteContentType = "text/plain; charset=utf-8";
// DocumentReference.type.text of every note we write: what tells our notes from a partner's documents.
inline constexpr std::string_view kNoteTypeText = "Legacy treatment note";

// `language` is the narrative's (codec/narrative.hpp); an imported note keeps the text it came with.
json::Value encode_document(const Session& session, std::string_view identifier_system, std::string_view resource_id,
                            std::string_view language = {});

struct DecodedDocument {
  LegacySource source;
  std::string subject;
};
std::optional<DecodedDocument> decode_document(const json::Value& resource, std::vector<Issue>& issues,
                                               std::string_view path = "DocumentReference");

}  // namespace mfr::codec
