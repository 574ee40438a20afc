#include "legacy/charset.hpp"

#include <array>
#include <cstdint>

#include "base/utf8.hpp"

namespace mfr::legacy {
namespace {

// Code points of bytes 0x80..0x9F in Windows-1252.
constexpr std::array<std::uint16_t, 32> kHigh = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

}  // namespace

bool is_valid_utf8(std::string_view s) noexcept { return base::utf8::is_valid(s); }

std::string windows1252_to_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) out += ch;
    else if (c < 0xA0) base::utf8::append(out, kHigh[c - 0x80]);
    else base::utf8::append(out, c);  // 0xA0..0xFF are Latin-1
  }
  return out;
}

bool ensure_utf8(std::string& text) {
  if (is_valid_utf8(text)) return false;
  text = windows1252_to_utf8(text);
  return true;
}

}  // namespace mfr::legacy
