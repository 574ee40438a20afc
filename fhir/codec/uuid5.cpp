#include "codec/uuid5.hpp"

#include <algorithm>
#include <atomic>
#include <array>
#include <cstdint>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#endif

namespace mfr::codec {
namespace {

#if defined(__x86_64__) || defined(__i386__)
// One 64-byte block with the x86 SHA extensions (Intel's published sequence: four rounds per
// sha1rnds4, the message schedule by sha1msg1/sha1msg2), when the CPU has them: export names
// every resource by a UUID, and this is a tenth of the portable compression's instructions.
#define MFR_SHA1_GROUP(g)                                                                                 \
  {                                                                                                       \
    __m128i& m = msg[(g) % 4];                                                                            \
    if ((g) < 4) m = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * (g))), mask); \
    __m128i& e_now = e[(g) % 2];                                                                          \
    e_now = (g) == 0 ? _mm_add_epi32(e_now, m) : _mm_sha1nexte_epu32(e_now, m);                           \
    e[((g) + 1) % 2] = abcd;                                                                              \
    if ((g) >= 3 && (g) <= 18) msg[((g) + 1) % 4] = _mm_sha1msg2_epu32(msg[((g) + 1) % 4], m);            \
    abcd = _mm_sha1rnds4_epu32(abcd, e_now, (g) / 5);                                                     \
    if ((g) >= 1 && (g) <= 16) msg[((g) + 3) % 4] = _mm_sha1msg1_epu32(msg[((g) + 3) % 4], m);            \
    if ((g) >= 2 && (g) <= 17) msg[((g) + 2) % 4] = _mm_xor_si128(msg[((g) + 2) % 4], m);                 \
  }

__attribute__((target("sha,sse4.1"))) void compress_sha_ni(std::uint32_t h[5], const unsigned char* block) {
  const __m128i mask = _mm_set_epi64x(0x0001020304050607LL, 0x08090a0b0c0d0e0fLL);  // big-endian words
  __m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(h)), 0x1B);
  __m128i e[2] = {_mm_set_epi32(static_cast<int>(h[4]), 0, 0, 0), _mm_setzero_si128()};
  __m128i msg[4];
  const __m128i abcd_before = abcd, e_before = e[0];
  MFR_SHA1_GROUP(0) MFR_SHA1_GROUP(1) MFR_SHA1_GROUP(2) MFR_SHA1_GROUP(3) MFR_SHA1_GROUP(4)
  MFR_SHA1_GROUP(5) MFR_SHA1_GROUP(6) MFR_SHA1_GROUP(7) MFR_SHA1_GROUP(8) MFR_SHA1_GROUP(9)
  MFR_SHA1_GROUP(10) MFR_SHA1_GROUP(11) MFR_SHA1_GROUP(12) MFR_SHA1_GROUP(13) MFR_SHA1_GROUP(14)
  MFR_SHA1_GROUP(15) MFR_SHA1_GROUP(16) MFR_SHA1_GROUP(17) MFR_SHA1_GROUP(18) MFR_SHA1_GROUP(19)
  e[0] = _mm_sha1nexte_epu32(e[0], e_before);
  abcd = _mm_add_epi32(abcd, abcd_before);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(h), _mm_shuffle_epi32(abcd, 0x1B));
  h[4] = static_cast<std::uint32_t>(_mm_extract_epi32(e[0], 3));
}
#undef MFR_SHA1_GROUP

bool cpu_has_sha_ni() {
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return false;
  const bool sha = (b >> 29) & 1;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return false;
  return sha && ((c >> 19) & 1) && ((c >> 9) & 1);  // and SSE4.1, SSSE3
}
#endif

#if defined(__x86_64__) || defined(__i386__)
const bool kCpuHasShaNi = cpu_has_sha_ni();
#else
constexpr bool kCpuHasShaNi = false;
#endif
// Set to false by the test that checks the portable compression against the SHA-NI one.
std::atomic<bool> g_use_sha_ni{kCpuHasShaNi};

// SHA-1 (FIPS 180-4) of short names, here rather than through OpenSSL's EVP: setting up an
// EVP digest cost about three times the hash itself, and export makes a UUID for every
// resource. SHA-1 only names things here (RFC 4122 requires it); it protects nothing.
class Sha1 {
 public:
  void update(const unsigned char* p, std::size_t n) {
    total_ += n;
    while (n) {
      const std::size_t take = std::min(n, sizeof block_ - used_);
      std::memcpy(block_ + used_, p, take);
      used_ += take;
      p += take;
      n -= take;
      if (used_ == sizeof block_) {
        compress();
        used_ = 0;
      }
    }
  }

  std::array<unsigned char, 20> finish() {
    const std::uint64_t bits = total_ * 8;
    const unsigned char one = 0x80;
    update(&one, 1);
    if (used_ > 56) {  // no room for the length in this block
      std::memset(block_ + used_, 0, sizeof block_ - used_);
      compress();
      used_ = 0;
    }
    std::memset(block_ + used_, 0, 56 - used_);
    for (int i = 0; i < 8; ++i) block_[56 + i] = static_cast<unsigned char>(bits >> (56 - 8 * i));
    compress();
    std::array<unsigned char, 20> out{};
    for (int i = 0; i < 20; ++i) out[i] = static_cast<unsigned char>(h_[i / 4] >> (24 - 8 * (i % 4)));
    return out;
  }

 private:
  std::uint32_t h_[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  unsigned char block_[64] = {};
  std::size_t used_ = 0;
  std::uint64_t total_ = 0;

  static std::uint32_t rotl(std::uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

  void compress() {
#if defined(__x86_64__) || defined(__i386__)
    if (g_use_sha_ni.load(std::memory_order_relaxed)) {
      compress_sha_ni(h_, block_);
      return;
    }
#endif
    compress_portable();
  }

  void compress_portable() {
    std::uint32_t w[80];
    for (int i = 0; i < 16; ++i)
      w[i] = std::uint32_t{block_[4 * i]} << 24 | std::uint32_t{block_[4 * i + 1]} << 16 |
             std::uint32_t{block_[4 * i + 2]} << 8 | std::uint32_t{block_[4 * i + 3]};
    for (int i = 16; i < 80; ++i) w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    std::uint32_t a = h_[0], b = h_[1], c = h_[2], d = h_[3], e = h_[4];
    for (int i = 0; i < 80; ++i) {
      std::uint32_t f, k;
      if (i < 20) {
        f = (b & c) | (~b & d);
        k = 0x5A827999;
      } else if (i < 40) {
        f = b ^ c ^ d;
        k = 0x6ED9EBA1;
      } else if (i < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8F1BBCDC;
      } else {
        f = b ^ c ^ d;
        k = 0xCA62C1D6;
      }
      const std::uint32_t t = rotl(a, 5) + f + e + k + w[i];
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = t;
    }
    h_[0] += a;
    h_[1] += b;
    h_[2] += c;
    h_[3] += d;
    h_[4] += e;
  }
};

}  // namespace

bool uuid5_uses_sha_extensions(bool use) {
  g_use_sha_ni.store(use && kCpuHasShaNi);
  return kCpuHasShaNi;
}

std::string uuid5(std::string_view name) {
  // RFC 4122 Appendix C: NameSpace_URL 6ba7b811-9dad-11d1-80b4-00c04fd430c8.
  static constexpr std::array<unsigned char, 16> kUrlNamespace = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                                                                  0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
  Sha1 sha1;
  sha1.update(kUrlNamespace.data(), kUrlNamespace.size());
  sha1.update(reinterpret_cast<const unsigned char*>(name.data()), name.size());
  std::array<unsigned char, 20> hash = sha1.finish();
  hash[6] = static_cast<unsigned char>((hash[6] & 0x0F) | 0x50);  // version 5
  hash[8] = static_cast<unsigned char>((hash[8] & 0x3F) | 0x80);  // RFC 4122 variant

  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(36, '-');
  std::size_t at = 0;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) ++at;  // the dash already there
    out[at++] = kHex[hash[i] >> 4];
    out[at++] = kHex[hash[i] & 0x0F];
  }
  return out;
}

}  // namespace mfr::codec
