#pragma once
// Finds and loads libmfr-fhir exactly as an EMR would: dlopen() + mfr_plugin_entry().
#include <string>

#include "mfr/mfr.hpp"

namespace mfr::host {

// Loads `explicit_path` when given; else the library next to this executable (build tree),
// then ../lib/ (an installed prefix), then the system's library path. Throws mfr::Error whose
// message says which files were tried and why each failed (missing file, missing symbol,
// ABI mismatch).
Api load_plugin(const std::string& explicit_path);

}  // namespace mfr::host
