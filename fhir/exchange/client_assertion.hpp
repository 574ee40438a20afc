#pragma once
// The signed JWT a SMART Backend Services client presents to the token endpoint
// (private_key_jwt, RS384 or ES384), made with OpenSSL alone.
#include <chrono>
#include <string>
#include <string_view>

#include "exchange/config.hpp"

namespace mfr::exchange {

// header {alg, kid, typ} . claims {iss = sub = client_id, aud = token_url, exp = now + 5 min, jti}
// . signature. Throws ExchangeError(configuration) when the key is unreadable or does not fit
// the algorithm.
std::string make_client_assertion(const SmartBackendOptions& options, std::chrono::system_clock::time_point now);

std::string base64url_encode(std::string_view bytes);
std::string base64url_decode(std::string_view text);  // throws std::invalid_argument on bad input

}  // namespace mfr::exchange
