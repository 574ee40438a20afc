#pragma once
// A moment as FHIR writes an instant in UTC, to the second: "2026-12-03T06:00:00Z".
#include <ctime>
#include <string>

namespace mfr::base {

std::string utc_instant(std::time_t seconds);
inline std::string utc_instant_now() { return utc_instant(std::time(nullptr)); }

}  // namespace mfr::base
