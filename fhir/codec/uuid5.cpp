#include "codec/uuid5.hpp"

#include <openssl/evp.h>

#include <array>
#include <stdexcept>

namespace mfr::codec {

std::string uuid5(std::string_view name) {
  // RFC 4122 Appendix C: NameSpace_URL 6ba7b811-9dad-11d1-80b4-00c04fd430c8.
  static constexpr std::array<unsigned char, 16> kUrlNamespace = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                                                                  0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
  // Fetched once: an implicit fetch per call would cost more than the hash itself.
  static EVP_MD* const sha1 = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  // One context per thread, reset by each init: a new one per call cost as much as the hash
  // (export makes a UUID for every resource).
  struct Context {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Context() { EVP_MD_CTX_free(ctx); }
  };
  thread_local const Context local;
  EVP_MD_CTX* ctx = local.ctx;
  std::array<unsigned char, EVP_MAX_MD_SIZE> hash{};
  const bool ok = ctx && sha1 && EVP_DigestInit_ex(ctx, sha1, nullptr) == 1 &&
                  EVP_DigestUpdate(ctx, kUrlNamespace.data(), kUrlNamespace.size()) == 1 &&
                  EVP_DigestUpdate(ctx, name.data(), name.size()) == 1 &&
                  EVP_DigestFinal_ex(ctx, hash.data(), nullptr) == 1;
  if (!ok) throw std::runtime_error("SHA-1 is not available from OpenSSL; cannot make a UUID v5");
  hash[6] = static_cast<unsigned char>((hash[6] & 0x0F) | 0x50);  // version 5
  hash[8] = static_cast<unsigned char>((hash[8] & 0x3F) | 0x80);  // RFC 4122 variant

  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[hash[i] >> 4];
    out += kHex[hash[i] & 0x0F];
  }
  return out;
}

}  // namespace mfr::codec
