#include "exchange/utc.hpp"

#include <ctime>

namespace mfr::exchange {

std::string iso_utc(store::Clock::time_point t) {
  const std::time_t seconds = store::Clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

}  // namespace mfr::exchange
