#include "chart/session_view.hpp"

#include <algorithm>

namespace mfr::chart {
namespace {

int grade_rank(const Finding& f) { return f.restriction ? static_cast<int>(*f.restriction) : -1; }

bool worse(const Finding& a, const Finding& b) {
  if (grade_rank(a) != grade_rank(b)) return grade_rank(a) > grade_rank(b);
  return a.pain_nrs.value_or(-1) > b.pain_nrs.value_or(-1);
}

}  // namespace

bool SessionView::level_has_finding(SpinalLevel level) const {
  for (const Finding* f : spine[static_cast<int>(level)])
    if (f) return true;
  return false;
}

SessionView view_session(const Session& session) {
  SessionView view;
  for (const Finding& f : session.findings) {
    if (f.status == FindingStatus::EnteredInError) continue;
    const int side = static_cast<int>(f.site.side);
    if (f.site.is_vertebra()) {
      view.spine[static_cast<int>(f.site.level)][side] = &f;
      continue;
    }
    const std::string text = f.site.region == BodyRegion::Other ? f.site.region_text : std::string();
    RegionRow* row = nullptr;
    for (auto& r : view.regions)
      if (r.region == f.site.region && r.text == text) row = &r;
    if (!row) {
      view.regions.push_back({f.site.region, text, {}});
      row = &view.regions.back();
    }
    row->sides[side] = &f;
  }
  // Stable: free-text regions keep the order they were first written in.
  std::stable_sort(view.regions.begin(), view.regions.end(),
                   [](const RegionRow& a, const RegionRow& b) { return a.region < b.region; });

  auto count = [&view](const Finding* f) {
    if (!f) return;
    ++view.finding_count;
    if (f->restriction && *f->restriction >= RestrictionGrade::Mild) ++view.restricted;
    if (!view.worst || worse(*f, *view.worst)) view.worst = f;
    if (f->pain_nrs && (!view.max_nrs || *f->pain_nrs > *view.max_nrs)) view.max_nrs = f->pain_nrs;
    if (f->pain_vas_mm && (!view.max_vas || f->pain_vas_mm->value() > view.max_vas->value()))
      view.max_vas = f->pain_vas_mm;
  };
  for (const auto& level : view.spine) {
    for (const Finding* f : level) count(f);
    if (level[static_cast<int>(Side::Midline)]) view.has_spine_midline = true;
  }
  for (const auto& row : view.regions)
    for (const Finding* f : row.sides) count(f);
  return view;
}

std::string pain_text(const Finding& finding) {
  if (finding.pain_nrs) return std::to_string(*finding.pain_nrs) + "/10";
  if (finding.pain_vas_mm) return "VAS " + finding.pain_vas_mm->text;
  return {};
}

std::string site_label(const Labels& labels, const Site& site) {
  if (site.is_vertebra()) return std::string(level_label(labels, site.level));
  if (site.region == BodyRegion::Other) return site.region_text.empty() ? std::string(labels.regions[kBodyRegionCount - 1]) : site.region_text;
  return std::string(labels.regions[static_cast<int>(site.region)]);
}

std::vector<SpinalLevel> levels_to_show(const std::vector<const SessionView*>& views, bool full_spine) {
  std::array<bool, kSpinalLevelCount> show{};
  for (int i = 0; i < kSpinalLevelCount; ++i) {
    bool found = full_spine;
    for (const SessionView* v : views)
      if (v->level_has_finding(static_cast<SpinalLevel>(i))) found = true;
    if (!found) continue;
    show[i] = true;
    if (i > 0) show[i - 1] = true;
    if (i + 1 < kSpinalLevelCount) show[i + 1] = true;
  }
  std::vector<SpinalLevel> levels;
  for (int i = 0; i < kSpinalLevelCount; ++i)
    if (show[i]) levels.push_back(static_cast<SpinalLevel>(i));
  return levels;
}

}  // namespace mfr::chart
