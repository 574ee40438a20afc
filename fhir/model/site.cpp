#include "model/site.hpp"

#include <array>

namespace mfr {
namespace {

constexpr std::array<std::string_view, kSpinalLevelCount> kLevelNames = {
    "C1", "C2", "C3", "C4", "C5", "C6", "C7",
    "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10", "T11", "T12",
    "L1", "L2", "L3", "L4", "L5", "sacrum"};

struct RegionNames {
  std::string_view key;
  std::string_view label;
};
constexpr std::array<RegionNames, kBodyRegionCount> kRegions = {{
    {"spine", "spine"},
    {"cervical-spine", "cervical spine"},
    {"thoracic-spine", "thoracic spine"},
    {"lumbar-spine", "lumbar spine"},
    {"sacrum", "sacrum"},
    {"upper-trapezius", "upper trapezius"},
    {"rib-cage", "rib cage"},
    {"chest-wall", "chest wall"},
    {"interscapular", "interscapular region"},
    {"scapular", "scapular region"},
    {"skin-of-back", "skin of back"},
    {"lumbar-region", "lumbar region"},
    {"neck", "neck"},
    {"shoulder", "shoulder"},
    {"other", "other"},
}};

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace

std::string_view level_name(SpinalLevel level) noexcept { return kLevelNames[static_cast<int>(level)]; }

std::optional<SpinalLevel> level_from_name(std::string_view name) noexcept {
  for (int i = 0; i < kSpinalLevelCount; ++i)
    if (iequals(kLevelNames[i], name)) return static_cast<SpinalLevel>(i);
  if (iequals(name, "S") || iequals(name, "S1")) return SpinalLevel::Sacrum;
  return std::nullopt;
}

std::string_view region_key(BodyRegion region) noexcept { return kRegions[static_cast<int>(region)].key; }
std::string_view region_label(BodyRegion region) noexcept { return kRegions[static_cast<int>(region)].label; }

std::optional<BodyRegion> region_from_key(std::string_view key) noexcept {
  for (int i = 0; i < kBodyRegionCount; ++i)
    if (kRegions[i].key == key) return static_cast<BodyRegion>(i);
  return std::nullopt;
}

std::string_view side_name(Side side) noexcept {
  switch (side) {
    case Side::Left: return "left";
    case Side::Right: return "right";
    case Side::Midline: break;
  }
  return "midline";
}

std::optional<Side> side_from_name(std::string_view name) noexcept {
  if (name == "left") return Side::Left;
  if (name == "right") return Side::Right;
  if (name == "midline") return Side::Midline;
  return std::nullopt;
}

std::string Site::name() const {
  if (kind == Kind::Vertebra) return std::string(level_name(level));
  if (region == BodyRegion::Other) return region_text;
  return std::string(region_label(region));
}

}  // namespace mfr
