#include "terminology/codes.hpp"

#include <array>

namespace mfr::terminology {
namespace {

// DICOM CID 7603 / SNOMED CT, in SpinalLevel order.
constexpr std::array<std::string_view, kSpinalLevelCount> kLevelCodes = {
    "14806007", "39976000", "113205007", "5329002",  "36978003", "36054005", "87391001",  // C1-C7
    "64864005", "53733008", "1626008",   "73071006", "56401006", "45296009", "62487009",  // T1-T7
    "11068009", "82687006", "7610001",   "12989004", "23215003",                          // T8-T12
    "66794005", "14293000", "36470004",  "11994002", "49668003",                          // L1-L5
    "54735007"};                                                                         // sacrum

// In BodyRegion order; Other has none.
constexpr std::array<std::string_view, kBodyRegionCount> kRegionCodes = {
    "421060004",  // spine
    "122494005",  // cervical spine
    "122495006",  // thoracic spine
    "122496007",  // lumbar spine
    "54735007",   // sacrum
    "31764008",   // trapezius muscle (upper trapezius, the "shoulder shawl")
    "113197003",  // rib
    "78904004",   // chest wall
    "3865001",    // interscapular region
    "7874003",    // scapular region
    "66643007",   // skin of back
    "52612000",   // lumbar region
    "45048000",   // neck
    "16982005",   // shoulder
    "",           // other
};

}  // namespace

Coding level_coding(SpinalLevel level) noexcept {
  return {kSnomed, kLevelCodes[static_cast<int>(level)], {}};
}

std::optional<SpinalLevel> level_from_snomed(std::string_view code) noexcept {
  for (int i = 0; i < kSpinalLevelCount; ++i)
    if (kLevelCodes[i] == code) return static_cast<SpinalLevel>(i);
  return std::nullopt;
}

std::optional<Coding> region_coding(BodyRegion region) noexcept {
  if (region == BodyRegion::Other) return std::nullopt;
  return Coding{kSnomed, kRegionCodes[static_cast<int>(region)], {}};
}

std::optional<BodyRegion> region_from_snomed(std::string_view code) noexcept {
  for (int i = 0; i < kBodyRegionCount; ++i)
    if (!kRegionCodes[i].empty() && kRegionCodes[i] == code) return static_cast<BodyRegion>(i);
  return std::nullopt;
}

std::optional<Coding> laterality_coding(Side side) noexcept {
  switch (side) {
    case Side::Left: return Coding{kSnomed, "7771000", "Left"};
    case Side::Right: return Coding{kSnomed, "24028007", "Right"};
    case Side::Midline: break;
  }
  return std::nullopt;
}

std::optional<Side> side_from_snomed(std::string_view code) noexcept {
  if (code == "7771000") return Side::Left;
  if (code == "24028007") return Side::Right;
  return std::nullopt;
}

Coding grade_coding(RestrictionGrade grade) noexcept {
  // A switch, not a table: a value outside the enum cannot read past its end (as grade_name).
  switch (grade) {
    case RestrictionGrade::None: return {kGradeSystem, "0", grade_name(grade)};
    case RestrictionGrade::Mild: return {kGradeSystem, "1", grade_name(grade)};
    case RestrictionGrade::Moderate: return {kGradeSystem, "2", grade_name(grade)};
    case RestrictionGrade::Marked: break;
  }
  return {kGradeSystem, "3", grade_name(RestrictionGrade::Marked)};
}

std::optional<RestrictionGrade> grade_from_code(std::string_view code) noexcept {
  if (code.size() != 1) return std::nullopt;
  return grade_from_int(code[0] - '0');
}

std::optional<Coding> release_coding(ReleaseResponse response) noexcept {
  switch (response) {
    case ReleaseResponse::Released: return Coding{kReleaseSystem, "released", "Released"};
    case ReleaseResponse::Partial: return Coding{kReleaseSystem, "partial", "Partially released"};
    case ReleaseResponse::NotReleased: return Coding{kReleaseSystem, "not-released", "Not released"};
    case ReleaseResponse::Unknown: break;
  }
  return std::nullopt;
}

std::optional<ReleaseResponse> release_from_code(std::string_view code) noexcept {
  if (code == "released") return ReleaseResponse::Released;
  if (code == "partial") return ReleaseResponse::Partial;
  if (code == "not-released") return ReleaseResponse::NotReleased;
  return std::nullopt;
}

}  // namespace mfr::terminology
