#pragma once
// Inline equality and member look-up for the hot path: short keys and codes compared in words,
// without a call into the C library's memcmp for every member.
#include <cstdint>
#include <cstring>
#include <string_view>

#include "json/json.hpp"

namespace mfr::validate::fast {

inline std::uint64_t load64(const char* p) noexcept {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}
inline std::uint32_t load32(const char* p) noexcept {
  std::uint32_t w;
  std::memcpy(&w, p, 4);
  return w;
}

inline bool eq(std::string_view a, std::string_view b) noexcept {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  if (n >= 8) {
    // Whole words, then the last word again (overlapping) for the tail.
    for (std::size_t i = 0; i + 8 <= n; i += 8)
      if (load64(p + i) != load64(q + i)) return false;
    return load64(p + n - 8) == load64(q + n - 8);
  }
  if (n >= 4) return load32(p) == load32(q) && load32(p + n - 4) == load32(q + n - 4);
  for (std::size_t i = 0; i < n; ++i)
    if (p[i] != q[i]) return false;
  return true;
}

// The member `key` of an object, or nullptr (also when `v` is not an object).
inline const json::Value* get(const json::Value& v, std::string_view key) noexcept {
  if (!v.is_object()) return nullptr;
  for (const json::Member& m : v.as_object())
    if (eq(m.key, key)) return &m.value;
  return nullptr;
}

inline const json::Value* get(const json::Value* v, std::string_view key) noexcept { return v ? get(*v, key) : nullptr; }

// The text of a string member, or an empty view.
inline std::string_view text(const json::Value& v, std::string_view key) noexcept {
  const json::Value* m = get(v, key);
  return m && m->is_string() ? std::string_view(m->as_string()) : std::string_view{};
}

}  // namespace mfr::validate::fast
