#pragma once
// Where on the back a finding was made: a vertebral level or a named region, and a side.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mfr {

// The 25 levels a practitioner rolls through, top to bottom; the order is anatomical.
enum class SpinalLevel : std::uint8_t {
  C1, C2, C3, C4, C5, C6, C7,
  T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12,
  L1, L2, L3, L4, L5,
  Sacrum,
};
inline constexpr int kSpinalLevelCount = 25;

// Body regions, both those a session treats (Procedure.bodySite) and those off the
// spine where a finding may sit (Observation.bodySite). `Other` keeps its text only.
enum class BodyRegion : std::uint8_t {
  Spine, CervicalSpine, ThoracicSpine, LumbarSpine, Sacrum,
  UpperTrapezius, RibCage, ChestWall, Interscapular, Scapular, SkinOfBack,
  LumbarRegion, Neck, Shoulder,
  Other,
};
inline constexpr int kBodyRegionCount = 15;

enum class Side : std::uint8_t { Left, Right, Midline };

// "levelname" <-> enum. Names are the clinic's: "C7", "T4", "L5", "sacrum".
std::string_view level_name(SpinalLevel level) noexcept;
std::optional<SpinalLevel> level_from_name(std::string_view name) noexcept;
// Stable kebab-case keys used in session JSON and charts: "upper-trapezius", "rib-cage".
std::string_view region_key(BodyRegion region) noexcept;
std::optional<BodyRegion> region_from_key(std::string_view key) noexcept;
// Human label: "upper trapezius", "rib cage".
std::string_view region_label(BodyRegion region) noexcept;
std::string_view side_name(Side side) noexcept;  // "left", "right", "midline"
std::optional<Side> side_from_name(std::string_view name) noexcept;

struct Site {
  enum class Kind : std::uint8_t { Vertebra, Region };
  Kind kind = Kind::Vertebra;
  SpinalLevel level = SpinalLevel::C1;   // when kind == Vertebra
  BodyRegion region = BodyRegion::Other; // when kind == Region
  std::string region_text;               // free text when region == Other (kept verbatim)
  Side side = Side::Midline;

  static Site vertebra(SpinalLevel level, Side side) { return {Kind::Vertebra, level, BodyRegion::Other, {}, side}; }
  static Site at_region(BodyRegion region, Side side, std::string text = {}) {
    return {Kind::Region, SpinalLevel::C1, region, std::move(text), side};
  }
  bool is_vertebra() const noexcept { return kind == Kind::Vertebra; }
  // "T4", "upper trapezius", or the free text.
  std::string name() const;
  // Key used in identifiers: SNOMED code when there is one, else a slug of the text.
  friend bool operator==(const Site&, const Site&) = default;
};

}  // namespace mfr
