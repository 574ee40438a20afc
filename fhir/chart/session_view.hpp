#pragma once
// A session's findings arranged the way the charts draw them: one finding per
// (level, side) and per (region, side), with the numbers the summaries need.
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "chart/labels.hpp"
#include "model/session.hpp"

namespace mfr::chart {

struct RegionRow {
  BodyRegion region = BodyRegion::Other;
  std::string text;                       // free text when region == Other
  std::array<const Finding*, 3> sides{};  // indexed by Side
};

struct SessionView {
  std::array<std::array<const Finding*, 3>, kSpinalLevelCount> spine{};  // [level][side]
  std::vector<RegionRow> regions;  // BodyRegion order, then free-text regions as first seen
  int finding_count = 0;           // sites shown (after dropping entered-in-error and duplicates)
  int restricted = 0;              // sites graded mild or worse
  const Finding* worst = nullptr;  // highest grade, then highest pain, then first from the top
  std::optional<int> max_nrs;
  std::optional<Decimal> max_vas;  // only looked at for display; never converted to NRS
  bool has_spine_midline = false;

  bool level_has_finding(SpinalLevel level) const;
};

// Findings entered in error are left out; of several at one site and side the last wins.
SessionView view_session(const Session& session);

// "6/10", "VAS 60", or empty when the finding has no pain score.
std::string pain_text(const Finding& finding);
// The site's name in the chart's language; free text as written.
std::string site_label(const Labels& labels, const Site& site);

// Rows of the spine to draw: every level for FullSpine, else the levels with a finding in
// any of `views` plus one neighbour above and below. Sorted top to bottom.
std::vector<SpinalLevel> levels_to_show(const std::vector<const SessionView*>& views, bool full_spine);

}  // namespace mfr::chart
