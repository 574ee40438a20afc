#include "codec/ownership.hpp"

#include "codec/document_codec.hpp"
#include "validate/validate.hpp"

namespace mfr::codec {

std::optional<std::string> foreign_reason(const json::Value& resource) {
  const std::string type(resource.string_at("resourceType").value_or(""));
  if (type == "DocumentReference") return std::nullopt;
  if (validate::claims_our_profile(resource)) return std::nullopt;
  if (type == "Procedure")
    return "The Procedure is not a skin-rolling session (it names neither our profile nor "
           "CodeSystem/mfr#skin-rolling); it was counted as foreign and left out.";
  if (type == "Observation")
    return "The Observation is not a skin-rolling finding (it names neither our profile nor "
           "CodeSystem/mfr#restriction); it was counted as foreign and left out.";
  return "A resource of type " + type + " is not a skin-rolling record; it was counted as foreign and left out.";
}

bool looks_like_our_note(const json::Value& document) {
  const json::Value* type = document.find("type");
  return type && type->is_object() && type->string_at("text") == kNoteTypeText;
}

std::string foreign_document_reason() {
  return "The DocumentReference is not one of our legacy notes (none of our Procedures reports it); it was counted "
         "as foreign and left out.";
}

}  // namespace mfr::codec
