#pragma once
// Inline equality and member look-up for the hot path: short keys and codes compared in words,
// without a call into the C library's memcmp for every member.
#include <cstdint>
#include <cstring>
#include <string_view>

#include "json/json.hpp"

namespace mfr::validate::fast {

inline bool eq(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  std::size_t n = a.size();
  for (; n >= 8; n -= 8, p += 8, q += 8) {
    std::uint64_t x, y;
    std::memcpy(&x, p, 8);
    std::memcpy(&y, q, 8);
    if (x != y) return false;
  }
  for (; n > 0; --n, ++p, ++q)
    if (*p != *q) return false;
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
