#include "exchange/client_assertion.hpp"

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <memory>
#include <stdexcept>

#include "exchange/errors.hpp"
#include "json/json.hpp"

namespace mfr::exchange {
namespace {

struct Free {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
  void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); }
};

[[noreturn]] void config_error(const std::string& what) { throw ExchangeError(ErrorKind::configuration, what); }

std::string random_hex(int bytes) {
  std::string raw(static_cast<std::size_t>(bytes), '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), bytes) != 1) config_error("no random bytes for a jti");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

// JWS ES384 wants r||s, 48 bytes each; OpenSSL signs in DER.
std::string der_to_raw_ecdsa(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<ECDSA_SIG, Free> sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig) config_error("the ES384 signature could not be read back");
  std::string raw(96, '\0');
  BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), reinterpret_cast<unsigned char*>(raw.data()), 48);
  BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), reinterpret_cast<unsigned char*>(raw.data()) + 48, 48);
  return raw;
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::size_t i = 0;
  const auto at = [&](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (at(i) << 16) | (at(i + 1) << 8) | at(i + 2);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (bytes.size() - i == 1) {
    const unsigned v = at(i) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (bytes.size() - i == 2) {
    const unsigned v = (at(i) << 16) | (at(i + 1) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

std::string base64url_decode(std::string_view text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
  };
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int v = value(c);
    if (v < 0) throw std::invalid_argument("not base64url text");
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

std::string make_client_assertion(const SmartBackendOptions& options, std::chrono::system_clock::time_point now) {
  const bool es384 = options.algorithm == "ES384";
  if (!es384 && options.algorithm != "RS384")
    config_error("SMART client assertions are signed RS384 or ES384, not '" + options.algorithm + "'");
  std::unique_ptr<BIO, Free> bio(BIO_new_mem_buf(options.private_key_pem.data(), static_cast<int>(options.private_key_pem.size())));
  std::unique_ptr<EVP_PKEY, Free> key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) config_error("the SMART private key is not a readable PEM private key");
  if (es384 ? EVP_PKEY_base_id(key.get()) != EVP_PKEY_EC : EVP_PKEY_base_id(key.get()) != EVP_PKEY_RSA)
    config_error("the SMART private key does not fit " + options.algorithm);

  json::Value header = json::Value::object();
  header["alg"] = options.algorithm;
  header["typ"] = "JWT";
  if (!options.key_id.empty()) header["kid"] = options.key_id;
  const long long issued = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  json::Value claims = json::Value::object();
  claims["iss"] = options.client_id;
  claims["sub"] = options.client_id;
  claims["aud"] = options.token_url;
  claims["exp"] = issued + 300;  // SMART: no more than five minutes
  claims["jti"] = random_hex(16);
  const std::string signing_input = base64url_encode(header.dump()) + "." + base64url_encode(claims.dump());

  std::unique_ptr<EVP_MD_CTX, Free> md(EVP_MD_CTX_new());
  std::size_t length = 0;
  if (!md || EVP_DigestSignInit(md.get(), nullptr, EVP_sha384(), nullptr, key.get()) != 1 ||
      EVP_DigestSign(md.get(), nullptr, &length, reinterpret_cast<const unsigned char*>(signing_input.data()),
                     signing_input.size()) != 1)
    config_error("the client assertion could not be signed");
  std::string signature(length, '\0');
  if (EVP_DigestSign(md.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()) != 1)
    config_error("the client assertion could not be signed");
  signature.resize(length);
  if (es384) signature = der_to_raw_ecdsa(signature);
  return signing_input + "." + base64url_encode(signature);
}

}  // namespace mfr::exchange
