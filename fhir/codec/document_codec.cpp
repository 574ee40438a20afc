#include "codec/document_codec.hpp"

#include "codec/base64.hpp"
#include "codec/elements.hpp"
#include "codec/narrative.hpp"
#include "codec/reader.hpp"
#include "codec/received.hpp"

namespace mfr::codec {

json::Value encode_document(const Session& s, const ReceivedDocument* received, std::string_view system,
                            std::string_view resource_id, std::string_view language, bool conditional_references) {
  const LegacySource& src = *s.source;
  if (json::Value original = received ? received->writable(conditional_references) : json::Value(); original.is_object()) {
    if (!resource_id.empty()) original["id"] = resource_id;
    if (!original.find("text")) original["text"] = narrative::document(src, language);  // kept when received
    return original;  // the note never changes once imported
  }
  json::Value d = json::Value::object();
  d["resourceType"] = "DocumentReference";
  if (!resource_id.empty()) d["id"] = resource_id;
  d["text"] = narrative::document(src, language);
  d["identifier"].push_back(identifier(system, s.id + "/note"));
  d["status"] = "current";
  json::Value type = json::Value::object();
  type["text"] = kNoteTypeText;
  d["type"] = std::move(type);
  d["subject"] = reference_for(s.patient, conditional_references);
  if (!s.practitioner.empty()) d["author"].push_back(reference_for(s.practitioner, conditional_references));
  if (!src.origin.empty()) d["description"] = "Imported from " + src.origin;
  json::Value attachment = json::Value::object();
  attachment["contentType"] = kNoteContentType;
  attachment["data"] = base64_encode(src.text);
  json::Value content = json::Value::object();
  content["attachment"] = std::move(attachment);
  d["content"].push_back(std::move(content));
  return d;
}

std::optional<DecodedDocument> decode_document(const json::Value& doc, std::vector<Issue>& issues, std::string_view path_view) {
  const std::string path(path_view);
  Reader r(issues);
  if (!doc.is_object() || doc.string_at("resourceType") != "DocumentReference") {
    r.error(path, "Expected a DocumentReference resource.", &doc, IssueType::Invalid);
    return std::nullopt;
  }
  DecodedDocument d;
  d.source.id = std::string(doc.string_at("id").value_or(""));
  if (auto desc = doc.string_at("description"); desc && desc->rfind("Imported from ", 0) == 0)
    d.source.origin = std::string(desc->substr(14));
  d.subject = reference_text(doc.find("subject"));
  const json::Array* content = r.array(doc, "content", path);
  const json::Value* attachment = content && !content->empty() ? (*content)[0].find("attachment") : nullptr;
  const json::Value* data = attachment ? attachment->find("data") : nullptr;
  if (!data) {
    r.warning(path + ".content[0].attachment.data", "The DocumentReference carries no inline text; it is kept as received.", &doc, IssueType::NotSupported);
  } else if (!data->is_string()) {
    r.error(path + ".content[0].attachment.data", "attachment.data must be a base64 string.", data);
    return std::nullopt;
  } else if (auto text = base64_decode(data->as_string())) {
    d.source.text = std::move(*text);
  } else {
    r.error(path + ".content[0].attachment.data", "attachment.data is not valid base64.", data, IssueType::Value);
    return std::nullopt;
  }
  return d;
}

}  // namespace mfr::codec
