#pragma once
// How the ABI reads a host's FHIR text: its length, and whether MFR_INPUT_AUTO means NDJSON.
// Import and validate take the same decision.
#include <cstddef>
#include <string_view>

#include "mfr/mfr.h"

namespace mfr::abi {

// `len` bytes of `data`, or up to its NUL when len is MFR_NUL_TERMINATED.
std::string_view view_of(const char* data, size_t len);

// NDJSON when more than one non-blank line starts a JSON object; a pretty-printed single
// resource has its second line indented or starting with a quote, never with '{'.
bool looks_like_ndjson(std::string_view text);

// True when `input` (an mfr_input) says NDJSON, or says auto and `text` looks like it.
bool reads_as_ndjson(mfr_input input, std::string_view text);

}  // namespace mfr::abi
