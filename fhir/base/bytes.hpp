#pragma once
// Unaligned word loads for the scans and comparisons on hot paths (the JSON reader, member
// look-up, the validator's tables): little-endian on every host, so the first byte is the lowest
// and std::countr_zero finds the first flagged byte.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace mfr::base {

inline std::uint64_t load_le64(const char* p) noexcept {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
  return w;
}

inline std::uint32_t load_le32(const char* p) noexcept {
  std::uint32_t w;
  std::memcpy(&w, p, 4);
  if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap32(w);
  return w;
}

inline void store_le64(char* p, std::uint64_t w) noexcept {
  if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
  std::memcpy(p, &w, 8);
}

// Bytes [0, n) of p (n <= 8) as a little-endian word, zero padded, without a variable-length copy.
inline std::uint64_t load_le_upto8(const char* p, std::size_t n) noexcept {
  if (n == 8) return load_le64(p);
  if (n >= 4) {
    return static_cast<std::uint64_t>(load_le32(p)) | (static_cast<std::uint64_t>(load_le32(p + n - 4)) << ((n - 4) * 8));
  }
  if (n == 0) return 0;
  const auto byte = [&](std::size_t i) { return static_cast<std::uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i); };
  return byte(0) | byte(n / 2) | byte(n - 1);
}

// Bytes [0, n) of p and q equal, compared in words (keys and codes are short): no call into
// memcmp for each one.
inline bool same_bytes(const char* p, const char* q, std::size_t n) noexcept {
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 <= n; i += 8)
      if (load_le64(p + i) != load_le64(q + i)) return false;
    return load_le64(p + n - 8) == load_le64(q + n - 8);  // the tail, overlapping
  }
  if (n >= 4) return load_le32(p) == load_le32(q) && load_le32(p + n - 4) == load_le32(q + n - 4);
  for (std::size_t i = 0; i < n; ++i)
    if (p[i] != q[i]) return false;
  return true;
}

// The high bit of each byte of x that is `c` (exact for the lowest such byte; bytes above it may
// be flagged falsely, so a scan stops at the lowest flag and looks at that byte itself).
constexpr std::uint64_t kByteOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kByteHighs = 0x8080808080808080ULL;
constexpr std::uint64_t bytes_equal_to(std::uint64_t x, unsigned char c) noexcept {
  return ((x ^ (kByteOnes * c)) - kByteOnes) & ~x & kByteHighs;
}
// The same for bytes below `n` (n <= 0x80).
constexpr std::uint64_t bytes_below(std::uint64_t x, unsigned char n) noexcept {
  return (x - kByteOnes * n) & ~x & kByteHighs;
}

}  // namespace mfr::base
