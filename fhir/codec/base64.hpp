#pragma once
// Base64 (RFC 4648) for FHIR attachments.
#include <optional>
#include <string>
#include <string_view>

namespace mfr::codec {

std::string base64_encode(std::string_view bytes);
// nullopt when `text` is not valid base64 (FHIR base64Binary allows no whitespace inside).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace mfr::codec
