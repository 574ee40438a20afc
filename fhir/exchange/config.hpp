#pragma once
// How to reach one partner: its FHIR base URL, TLS trust and identity, credentials, time limits
// and retry policy. Configured once per partner by the clinic.
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "exchange/retry_policy.hpp"

namespace mfr::exchange {

struct TlsOptions {
  // Whom to trust. Both empty: the system trust store. Never an embedded root.
  std::string ca_file;  // PEM file of the CA(s) that issue the partner's certificate
  std::string ca_pem;   // or the same PEM text
  // Our client certificate for mTLS (PEM, chain first), from files or text; empty = none.
  std::string client_certificate_file;
  std::string client_key_file;
  std::string client_certificate_pem;
  std::string client_key_pem;
};

// SMART Backend Services: client_credentials with a private_key_jwt client assertion.
struct SmartBackendOptions {
  std::string token_url;        // the partner's token endpoint (https)
  std::string client_id;        // as registered with the partner
  std::string private_key_pem;  // RSA key for RS384, or P-384 EC key for ES384
  std::string key_id;           // "kid" of the matching public key in the partner's JWKS
  std::string algorithm = "RS384";
  std::string scope = "system/Procedure.write system/Observation.write system/Procedure.read system/Observation.read";
};

struct Timeouts {
  std::chrono::milliseconds connect{10'000};
  std::chrono::milliseconds tls_handshake{10'000};
  std::chrono::milliseconds request{30'000};     // write one request and read its whole response
  std::chrono::milliseconds operation{120'000};  // one call, all retries and waits included
};

struct ClientOptions {
  std::string base_url;        // "https://partner.example.org/fhir"
  TlsOptions tls;
  std::string bearer_token;    // a fixed token; ignored when `smart` is set
  std::optional<SmartBackendOptions> smart;
  Timeouts timeouts;
  RetryPolicy retry;
  int page_size = 100;         // _count on searches
  int max_pages = 10'000;      // a partner whose next links never end cannot hold us for ever
  bool allow_insecure_http = false;  // plain http:// only when asked for (loopback tests)
  std::string user_agent = "mfr-fhir/0.1";
  // Added to every request as given (a Subscription's channel.header lines).
  std::vector<std::pair<std::string, std::string>> headers;
};

}  // namespace mfr::exchange
