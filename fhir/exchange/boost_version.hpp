#pragma once
// The Boost release exchange was built with ("1.81"), for the plugin's build information:
// Boost is exchange's dependency, so only exchange includes its headers.
#include <string>

namespace mfr::exchange {

std::string boost_version();

}  // namespace mfr::exchange
