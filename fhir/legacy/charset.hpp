#pragma once
// Legacy exports come as UTF-8 or as Windows-1252 (the default "ANSI" of Windows clinics).
// Text that is not valid UTF-8 is read as Windows-1252: every byte maps to a character,
// so nothing is dropped.
#include <string>
#include <string_view>

namespace mfr::legacy {

bool is_valid_utf8(std::string_view bytes) noexcept;

// Each byte as its Windows-1252 character in UTF-8; the five bytes 1252 leaves undefined
// (0x81 0x8D 0x8F 0x90 0x9D) become the C1 controls of the same value, as Windows does.
std::string windows1252_to_utf8(std::string_view bytes);

// `text` unchanged when it is valid UTF-8, else converted; returns true when it converted.
bool ensure_utf8(std::string& text);

}  // namespace mfr::legacy
