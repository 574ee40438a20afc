// The spine map of one session. Layout, posterior view (the patient's left on the left):
//
//   Left cell | centre box: level name (and the midline finding, if any) | Right cell
//
// A midline finding is drawn in the centre box of its level, so a level can show a
// left, a right and a midline finding at once. The centre column widens only when the
// session has a midline finding. Off-spine regions stand beside the spine (below it
// when the chart is narrow), one row per region with a left and a right cell, and a
// single full-width cell for a midline region finding.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "chart/cells.hpp"
#include "chart/chart.hpp"
#include "chart/document.hpp"
#include "chart/scale.hpp"
#include "chart/session_view.hpp"

namespace mfr::chart {
namespace {

constexpr double kMargin = 12;
constexpr double kRowH = 24;
constexpr double kRowGap = 3;
constexpr double kColGap = 4;

int section_of(SpinalLevel level) {
  const int i = static_cast<int>(level);
  return i < 7 ? 0 : i < 19 ? 1 : i < 24 ? 2 : 3;
}

std::string level_data(SpinalLevel level, Side side) {
  Svg svg;
  svg.attr("data-level", level_name(level)).attr("data-side", side_name(side));
  return svg.str();
}

std::string region_data(const RegionRow& row, Side side) {
  Svg svg;
  svg.attr("data-region", region_key(row.region));
  if (row.region == BodyRegion::Other) svg.attr("data-region-text", row.text);
  svg.attr("data-side", side_name(side));
  return svg.str();
}

double draw_spine(Svg& svg, const Labels& labels, const SessionView& view, const std::vector<SpinalLevel>& levels,
                  double x, double y, double width) {
  if (levels.empty()) {
    svg.label(x, y + 16, view.finding_count == 0 ? labels.no_findings : labels.no_spine_findings, 13, "start", {},
              kMutedInk);
    return y + 26;
  }
  const double centre_w = view.has_spine_midline ? std::clamp(width * 0.38, 104.0, 136.0) : 58;
  const double side_w = std::min((width - centre_w - 2 * kColGap) / 2, 150.0);
  const double total = 2 * side_w + centre_w + 2 * kColGap;
  const double left_x = x + (width - total) / 2;
  const double centre_x = left_x + side_w + kColGap;
  const double right_x = centre_x + centre_w + kColGap;

  svg.open("g").attr("class", "spine").body();
  svg.label(left_x + side_w / 2, y + 12, labels.left, 12, "middle", "bold", kMutedInk);
  svg.label(right_x + side_w / 2, y + 12, labels.right, 12, "middle", "bold", kMutedInk);
  if (view.has_spine_midline) svg.label(centre_x + centre_w / 2, y + 12, labels.midline, 11, "middle", "bold", kMutedInk);
  y += 18;

  std::optional<SpinalLevel> previous;
  for (const SpinalLevel level : levels) {
    if (previous && static_cast<int>(level) != static_cast<int>(*previous) + 1) {
      // Levels left out between two shown ones: a dotted break in the spine.
      for (int k = 0; k < 3; ++k)
        svg.open("circle").attr("cx", centre_x + centre_w / 2).attr("cy", y + 3 + 4 * k).attr("r", 1.3)
            .attr("fill", kMutedInk).end();
      y += 16;
    } else if (previous && section_of(level) != section_of(*previous)) {
      y += 5;  // a visible step between cervical, thoracic, lumbar and sacrum
    }
    const auto& row = view.spine[static_cast<int>(level)];
    const std::string_view name = level_label(labels, level);
    draw_finding_cell(svg, labels, {left_x, y, side_w, kRowH}, row[static_cast<int>(Side::Left)],
                      level_data(level, Side::Left));
    if (const Finding* mid = row[static_cast<int>(Side::Midline)]) {
      draw_finding_cell(svg, labels, {centre_x, y, centre_w, kRowH}, mid, level_data(level, Side::Midline), name);
    } else {
      Svg attrs;
      attrs.attr("data-level", level_name(level));
      svg.open("g").attr("class", "vertebra").raw(attrs.str()).body();
      svg.open("rect").attr("x", centre_x).attr("y", y).attr("width", centre_w).attr("height", kRowH).attr("rx", 6)
          .attr("fill", "#f4f4f4").attr("stroke", "#9a9a9a").attr("stroke-width", 1).end();
      svg.label(centre_x + centre_w / 2, y + kRowH / 2 + 4.5, name, 12, "middle", "bold", kInk);
      svg.close("g");
    }
    draw_finding_cell(svg, labels, {right_x, y, side_w, kRowH}, row[static_cast<int>(Side::Right)],
                      level_data(level, Side::Right));
    y += kRowH + kRowGap;
    previous = level;
  }
  svg.close("g");
  return y;
}

double draw_regions(Svg& svg, const Labels& labels, const SessionView& view, double x, double y, double width) {
  svg.open("g").attr("class", "regions").body();
  svg.label(x, y + 12, labels.other_regions, 13, "start", "bold", kInk);
  y += 20;
  const double cell_w = (width - kColGap) / 2;
  svg.label(x + cell_w / 2, y + 11, labels.left, 11, "middle", "bold", kMutedInk);
  svg.label(x + cell_w + kColGap + cell_w / 2, y + 11, labels.right, 11, "middle", "bold", kMutedInk);
  y += 16;
  const auto max_chars = static_cast<std::size_t>(std::max(4.0, width / (12 * 0.62)));
  for (const RegionRow& row : view.regions) {
    const std::string name = row.region == BodyRegion::Other && !row.text.empty()
                                 ? row.text
                                 : std::string(labels.regions[static_cast<int>(row.region)]);
    svg.label(x, y + 12, utf8_truncate(name, max_chars), 12, "start", {}, kInk);
    y += 16;
    const Finding* left = row.sides[static_cast<int>(Side::Left)];
    const Finding* right = row.sides[static_cast<int>(Side::Right)];
    if (left || right) {
      draw_finding_cell(svg, labels, {x, y, cell_w, kRowH}, left, region_data(row, Side::Left));
      draw_finding_cell(svg, labels, {x + cell_w + kColGap, y, cell_w, kRowH}, right, region_data(row, Side::Right));
      y += kRowH + kRowGap;
    }
    if (const Finding* mid = row.sides[static_cast<int>(Side::Midline)]) {
      draw_finding_cell(svg, labels, {x, y, width, kRowH}, mid, region_data(row, Side::Midline));
      y += kRowH + kRowGap;
    }
    y += 5;
  }
  svg.close("g");
  return y;
}

std::string summary_of(const Labels& labels, const Session& session, const SessionView& view) {
  std::string text(labels.session);
  if (!session.start.empty()) {
    text += ' ';
    text += session.start.date_part();
  }
  text += ": ";
  if (view.finding_count == 0) return text + std::string(labels.no_findings) + ".";
  text += std::to_string(view.restricted) + " " + std::string(labels.restricted_sites);
  if (view.worst && view.worst->restriction && *view.worst->restriction >= RestrictionGrade::Mild) {
    text += ", " + std::string(labels.worst) + ": " + site_label(labels, view.worst->site) + " " +
            std::string(side_label(labels, view.worst->site.side)) + " (" +
            std::string(grade_label(labels, *view.worst->restriction)) + ")";
  }
  if (view.max_nrs) text += ", " + std::string(labels.pain) + " " + std::to_string(*view.max_nrs) + "/10";
  else if (view.max_vas) text += ", " + std::string(labels.pain) + " VAS " + view.max_vas->text + " mm";
  return text + ".";
}

}  // namespace

std::string render_spine_map(const Session& session, const ChartOptions& options) {
  const Labels& labels = labels_for(options.language);
  const SessionView view = view_session(session);
  const double width = std::clamp(options.width_px, 320, 4000);
  const auto levels = levels_to_show({&view}, options.levels == ChartOptions::Levels::FullSpine);
  const std::string title = options.title.empty() ? std::string(labels.spine_title) : options.title;
  const double inner = width - 2 * kMargin;

  Svg svg;
  double y = kMargin;
  const auto title_chars = static_cast<std::size_t>(inner / (16 * 0.7));  // bold runs wider
  svg.label(kMargin, y + 15, utf8_truncate(title, title_chars), 16, "start", "bold", kInk);
  y += 22;
  std::string subtitle;
  auto add = [&subtitle](std::string_view part) {
    if (part.empty()) return;
    if (!subtitle.empty()) subtitle += " \xC2\xB7 ";
    subtitle += part;
  };
  if (session.session_number) {
    std::string n = std::string(labels.session) + " " + std::to_string(*session.session_number);
    if (session.planned_sessions) n += "/" + std::to_string(*session.planned_sessions);
    add(n);
  }
  add(session.start.date_part());
  if (options.show_patient) add(options.patient_label);
  add(labels.posterior_view);
  svg.label(kMargin, y + 12, utf8_truncate(subtitle, static_cast<std::size_t>(inner / (12 * 0.62))), 12, "start", {},
            kMutedInk);
  y += 26;

  const bool has_regions = !view.regions.empty();
  const bool beside = has_regions && width >= 520;
  const double gap = 20;
  const double spine_w = beside ? std::round(inner * 0.56) : std::min(inner, 440.0);
  const double region_w = beside ? inner - spine_w - gap : std::min(inner, 440.0);
  const double spine_bottom = draw_spine(svg, labels, view, levels, kMargin, y, spine_w);
  double bottom = spine_bottom;
  if (has_regions) {
    const double region_x = beside ? kMargin + spine_w + gap : kMargin;
    const double region_y = beside ? y : spine_bottom + 12;
    bottom = std::max(bottom, draw_regions(svg, labels, view, region_x, region_y, region_w));
  }
  y = bottom + 12;
  y += write_legend(svg, labels, kMargin, y, inner, {});
  y += kMargin;

  Svg root;
  root.attr("data-chart", "spine-map").attr("data-date", session.start.date_part())
      .attr("data-findings", std::to_string(view.finding_count))
      .attr("data-restricted", std::to_string(view.restricted));
  DocumentParts parts{"spine-map", width, std::round(y), options.height_px, labels.language, title,
                      summary_of(labels, session, view), root.str(), {}, svg.str()};
  return make_document(parts);
}

}  // namespace mfr::chart
