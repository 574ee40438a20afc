#include "exchange/utc.hpp"

#include "base/utc.hpp"

namespace mfr::exchange {

std::string iso_utc(store::Clock::time_point t) { return base::utc_instant(store::Clock::to_time_t(t)); }

}  // namespace mfr::exchange
