#pragma once
// Keys and certificates made at test time with OpenSSL's C API (nothing is committed):
// a CA, a server certificate for 127.0.0.1/localhost, an expired one, one for another host,
// one from a CA nobody trusts, a client certificate for mTLS, and SMART signing keys.
#include <string>

namespace mfr::test {

struct CertifiedKey {
  std::string certificate_pem;
  std::string key_pem;
};

struct TestPki {
  std::string ca_pem;        // the CA the client is told to trust
  std::string other_ca_pem;  // a CA that issued `untrusted`
  CertifiedKey server;       // 127.0.0.1 and localhost, valid now
  CertifiedKey expired;      // 127.0.0.1 and localhost, expired yesterday
  CertifiedKey wrong_host;   // partner.example.org only
  CertifiedKey untrusted;    // 127.0.0.1, issued by other_ca
  CertifiedKey client;       // extendedKeyUsage clientAuth, issued by the CA
  std::string smart_rsa_private_pem;
  std::string smart_rsa_public_pem;
  std::string smart_ec_private_pem;  // P-384, for ES384
  std::string smart_ec_public_pem;
};

// Made once per process (RSA key generation takes a moment).
const TestPki& test_pki();

}  // namespace mfr::test
