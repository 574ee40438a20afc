#include "legacy/note/fold.hpp"

namespace mfr::legacy::note {
namespace {

// Latin-1 Supplement letters U+00C0..U+00FF (second byte of C3 xx) to their base letters.
constexpr char kLatin1[64 + 1] =
    "aaaaaaaceeeeiiii"   // C0..CF  À..Ï
    "dnooooo*ouuuuyts"   // D0..DF  Ð..ß (ß handled apart)
    "aaaaaaaceeeeiiii"   // E0..EF  à..ï
    "dnooooo/ouuuuyty";  // F0..FF  ð..ÿ

}  // namespace

std::string_view fold_word(std::string_view word, char* buf, std::size_t cap) noexcept {
  std::size_t n = 0;
  auto put = [&](char c) {
    if (n < cap) buf[n++] = c;
  };
  for (std::size_t i = 0; i < word.size(); ++i) {
    const auto c = static_cast<unsigned char>(word[i]);
    if (c < 0x80) {
      put((c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : static_cast<char>(c));
      continue;
    }
    if (c == 0xC3 && i + 1 < word.size()) {
      const auto d = static_cast<unsigned char>(word[i + 1]);
      ++i;
      if (d == 0x9F) { put('s'); put('s'); continue; }           // ß
      if (d == 0x86 || d == 0xA6) { put('a'); put('e'); continue; }  // Æ æ
      if (d >= 0x80 && d <= 0xBF) { put(kLatin1[d - 0x80]); continue; }
      put(static_cast<char>(c));
      put(static_cast<char>(d));
      continue;
    }
    if (c == 0xC5 && i + 1 < word.size()) {
      const auto d = static_cast<unsigned char>(word[i + 1]);
      if (d == 0x92 || d == 0x93) { put('o'); put('e'); ++i; continue; }  // Œ œ
    }
    if (c == 0xE2 && i + 2 < word.size() && static_cast<unsigned char>(word[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(word[i + 2]) == 0x98 || static_cast<unsigned char>(word[i + 2]) == 0x99)) {
      put('\'');  // ‘ ’ are apostrophes
      i += 2;
      continue;
    }
    put(static_cast<char>(c));
  }
  std::string_view out{buf, n};
  // French elision: l' d' j' qu' s' n' m' before a word of three letters or more
  if (out.size() >= 5 && out[1] == '\'' && (out[0] == 'l' || out[0] == 'd' || out[0] == 's' || out[0] == 'n' ||
                                             out[0] == 'm' || out[0] == 'j'))
    out.remove_prefix(2);
  else if (out.size() >= 6 && out.substr(0, 3) == "qu'")
    out.remove_prefix(3);
  return out;
}

}  // namespace mfr::legacy::note
