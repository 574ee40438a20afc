#pragma once
// Inline equality and member look-up for the hot path: short keys and codes compared in words,
// without a call into the C library's memcmp for every member.
#include <string_view>

#include "base/bytes.hpp"
#include "json/json.hpp"

namespace mfr::validate::fast {

inline bool eq(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && base::same_bytes(a.data(), b.data(), a.size());
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
