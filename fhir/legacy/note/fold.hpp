#pragma once
// Folds one word of a note to the form the lexicons are written in: lower-case ASCII, accents
// dropped (é -> e, ä -> a, ß -> ss, œ -> oe), so "Légère", "LEGERE" and "légère" are one word and
// "mäßig" meets "massig". A French elision is dropped ("l'omoplate" -> "omoplate"); an English
// contraction is kept ("didn't"). Bytes of other scripts pass through unchanged.
#include <cstddef>
#include <string_view>

namespace mfr::legacy::note {

// Writes at most `cap` bytes into `buf` and returns them; a longer word is cut (it then matches
// nothing in the lexicons, which is what a 30-letter word should do).
std::string_view fold_word(std::string_view word, char* buf, std::size_t cap) noexcept;

}  // namespace mfr::legacy::note
