#pragma once
// Times as the outbox, the logs and hosts show them: UTC, to the second.
#include <string>

#include "store/outbox.hpp"

namespace mfr::exchange {

// "2026-12-02T21:09:19Z".
std::string iso_utc(store::Clock::time_point t);

}  // namespace mfr::exchange
