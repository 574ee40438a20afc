#pragma once
// What the language tables (lexicon_en.cpp, lexicon_fr.cpp, lexicon_de.cpp) write their values
// with: a region, a section or a release response as the byte a LexWord holds.
#include <cstdint>

#include "legacy/note/lexicon.hpp"
#include "model/grades.hpp"
#include "model/site.hpp"

namespace mfr::legacy::note::table {

constexpr std::uint8_t R(BodyRegion r) { return static_cast<std::uint8_t>(r); }
constexpr std::uint8_t S(SectionKind s) { return static_cast<std::uint8_t>(s); }
constexpr std::uint8_t Rel(ReleaseResponse r) { return static_cast<std::uint8_t>(r); }

}  // namespace mfr::legacy::note::table
