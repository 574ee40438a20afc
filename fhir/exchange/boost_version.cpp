#include "exchange/boost_version.hpp"

#include <boost/version.hpp>

namespace mfr::exchange {

std::string boost_version() {
  std::string version = BOOST_LIB_VERSION;  // "1_81"
  for (char& ch : version)
    if (ch == '_') ch = '.';
  return version;
}

}  // namespace mfr::exchange
