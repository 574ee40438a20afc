#pragma once
// The client TLS context for one partner: TLS 1.2 or later, peer verification on, trust from
// the system store or the CA the clinic names, and our client certificate for mTLS.
// Host-name verification and SNI are per connection (connection.cpp).
#include <memory>

#include "exchange/config.hpp"

namespace boost::asio::ssl {
class context;
}

namespace mfr::exchange {

// Throws ExchangeError(configuration) when a CA, certificate or key cannot be loaded.
std::shared_ptr<boost::asio::ssl::context> make_tls_context(const TlsOptions& options);

}  // namespace mfr::exchange
