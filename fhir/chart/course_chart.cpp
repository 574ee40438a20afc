// The course chart of one patient's sessions:
//   1. a heat map per side (Left, Right, and Midline when any midline finding exists):
//      rows are spinal levels, then the off-spine regions found in any session; columns
//      are sessions in date order (by index: the date axis is the trend's); fill and hatch by grade;
//   2. a trend over a date axis (x by date, so weeks without a session show as gaps):
//      the highest pain of each session (NRS 0-10, left axis) and the number of
//      restricted sites, grade >= 1 anywhere including off-spine regions (right axis).
// A session with VAS only is plotted at mm / 10 with a hollow marker, labelled as such;
// its data attribute keeps the mm as written.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <stdexcept>

#include "chart/cells.hpp"
#include "chart/chart.hpp"
#include "chart/document.hpp"
#include "chart/scale.hpp"
#include "chart/session_view.hpp"

namespace mfr::chart {
namespace {

constexpr double kMargin = 12;
constexpr double kCellH = 15;
constexpr double kLabelW = 56;
constexpr double kPanelGap = 18;
constexpr std::string_view kPainInk = "#a50f15";
constexpr std::string_view kSitesInk = "#2166ac";

struct Column {
  const Session* session = nullptr;
  SessionView view;
  std::int64_t day = 0;  // days since 1970-01-01 of the start
};

// Howard Hinnant's civil_from_days: the ISO date of a day number.
std::string iso_date(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const auto y = static_cast<long long>(yoe) + era * 400 + (m <= 2);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", y, m, d);
  return buf;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// The calendar day the clinic wrote (09:30+01:00 on the 4th is the 4th, whatever UTC says).
std::int64_t local_day(const DateTime& start) {
  const auto date = DateTime::parse(start.date_part());
  return floor_div(date ? date->epoch_seconds() : start.epoch_seconds(), 86400);
}

std::vector<Column> columns_of(const std::vector<Session>& sessions) {
  std::vector<const Session*> sorted;
  for (const Session& s : sessions) {
    if (s.patient != sessions.front().patient)
      throw std::invalid_argument("render_course draws one patient's course, but session '" + s.id +
                                  "' is for a different patient than session '" + sessions.front().id + "'.");
    // A session recorded in error, or planned and not done, is not part of the course.
    if (s.status == SessionStatus::EnteredInError || s.status == SessionStatus::NotDone) continue;
    if (s.start.empty())
      throw std::invalid_argument("render_course cannot place session '" + s.id +
                                  "' on the date axis: it has no start date.");
    sorted.push_back(&s);
  }
  std::stable_sort(sorted.begin(), sorted.end(), [](const Session* a, const Session* b) {
    if (a->start.epoch_seconds() != b->start.epoch_seconds()) return a->start.epoch_seconds() < b->start.epoch_seconds();
    return a->id < b->id;
  });
  std::vector<Column> columns;
  columns.reserve(sorted.size());
  for (const Session* s : sorted) columns.push_back({s, view_session(*s), local_day(s->start)});
  return columns;
}

// One row of a heat map: a spinal level, or an off-spine region (labelled above its row,
// since region names are longer than the label column).
struct HeatRow {
  bool is_level = true;
  SpinalLevel level = SpinalLevel::C1;
  BodyRegion region = BodyRegion::Other;
  std::string text;        // free-text region
  bool break_before = false;  // levels left out just above this one

  const Finding* pick(const SessionView& view, Side side) const {
    if (is_level) return view.spine[static_cast<int>(level)][static_cast<int>(side)];
    for (const RegionRow& r : view.regions)
      if (r.region == region && r.text == text) return r.sides[static_cast<int>(side)];
    return nullptr;
  }
};

std::vector<HeatRow> heat_rows(const std::vector<Column>& columns, const std::vector<SpinalLevel>& levels) {
  std::vector<HeatRow> rows;
  for (std::size_t i = 0; i < levels.size(); ++i) {
    HeatRow row;
    row.level = levels[i];
    row.break_before = i > 0 && static_cast<int>(levels[i]) != static_cast<int>(levels[i - 1]) + 1;
    rows.push_back(row);
  }
  // Regions found in any session, in BodyRegion order, free text as first seen.
  std::vector<HeatRow> regions;
  for (const Column& c : columns)
    for (const RegionRow& r : c.view.regions) {
      const bool known = std::any_of(regions.begin(), regions.end(),
                                     [&](const HeatRow& h) { return h.region == r.region && h.text == r.text; });
      if (!known) regions.push_back({false, SpinalLevel::C1, r.region, r.text, false});
    }
  std::stable_sort(regions.begin(), regions.end(),
                   [](const HeatRow& a, const HeatRow& b) { return a.region < b.region; });
  rows.insert(rows.end(), regions.begin(), regions.end());
  return rows;
}

double draw_heat_panel(Svg& svg, const Labels& labels, const std::vector<Column>& columns,
                       const std::vector<HeatRow>& rows, Side side, double x, double y, double width) {
  const double grid_x = x + kLabelW;
  const double grid_w = width - kLabelW;
  const double col_w = grid_w / static_cast<double>(columns.size());
  const auto max_chars = static_cast<std::size_t>(std::max(4.0, (width - 8) / (11 * 0.62)));
  svg.open("g").attr("class", "heatmap").attr("data-side", side_name(side)).body();
  svg.label(grid_x, y + 13, side_label(labels, side), 13, "start", "bold", kInk);
  y += 20;
  bool first_region = true;
  for (const HeatRow& row : rows) {
    Svg site;
    if (row.is_level) {
      if (row.break_before) {
        svg.label(x + kLabelW - 6, y + 8, "\xE2\x8B\xAE", 11, "end", {}, kMutedInk);  // levels left out
        y += 10;
      }
      svg.label(x + kLabelW - 6, y + kCellH / 2 + 4, level_label(labels, row.level), 11, "end", "bold", kInk);
      site.attr("data-level", level_name(row.level));
    } else {
      if (first_region) y += 6;
      first_region = false;
      const std::string name = row.region == BodyRegion::Other && !row.text.empty()
                                   ? row.text
                                   : std::string(labels.regions[static_cast<int>(row.region)]);
      svg.label(x + 8, y + 10, utf8_truncate(name, max_chars), 11, "start", {}, kInk);
      y += 13;
      site.attr("data-region", region_key(row.region));
      if (row.region == BodyRegion::Other) site.attr("data-region-text", row.text);
    }
    site.attr("data-side", side_name(side));
    svg.open("rect").attr("x", grid_x).attr("y", y).attr("width", grid_w).attr("height", kCellH)
        .attr("fill", kEmptyFill).attr("stroke", kEmptyStroke).attr("stroke-width", 0.6).end();
    for (std::size_t j = 0; j < columns.size(); ++j) {
      const Finding* f = row.pick(columns[j].view, side);
      if (!f) continue;
      const double cx = grid_x + col_w * static_cast<double>(j);
      svg.open("rect").attr("class", "cell finding").raw(site.str()).attr("data-session", std::to_string(j + 1))
          .attr("data-date", columns[j].session->start.date_part());
      write_finding_data(svg, *f);
      svg.attr("x", cx).attr("y", y).attr("width", col_w).attr("height", kCellH)
          .attr("fill", grade_fill(f->restriction)).attr("stroke", "#ffffff").attr("stroke-width", 0.6).body();
      svg.open("title").body().text(std::string(columns[j].session->start.date_part()) + " \xE2\x80\x94 " +
                                     finding_description(labels, *f)).close("title");
      svg.close("rect");
      if (const auto pattern = grade_pattern_id(f->restriction); !pattern.empty())
        svg.open("rect").attr("x", cx).attr("y", y).attr("width", col_w).attr("height", kCellH)
            .ref_attr("fill", pattern).attr("pointer-events", "none").end();
    }
    y += kCellH + 1;
  }
  // Session numbers under the columns, thinned so they never overlap.
  const std::size_t n = columns.size();
  const auto step = static_cast<std::size_t>(std::max(1.0, std::ceil(24.0 / col_w)));
  std::size_t last_labelled = 0;
  for (std::size_t j = 0; j < n; ++j) {
    const bool regular = j % step == 0;
    const bool last = j + 1 == n && !regular && static_cast<double>(j - last_labelled) * col_w >= 24;
    if (!regular && !last) continue;
    svg.label(grid_x + col_w * (static_cast<double>(j) + 0.5), y + 12, std::to_string(j + 1), 11, "middle", {},
              kMutedInk);
    last_labelled = j;
  }
  svg.label(x + kLabelW - 6, y + 12, labels.session, 11, "end", {}, kMutedInk);
  svg.close("g");
  return y + 18;
}

struct PainPoint {
  std::optional<double> value;  // on the 0-10 scale
  bool from_vas = false;
};

PainPoint pain_of(const SessionView& view) {
  // Out-of-range scores keep their value in the data attributes but stay inside the plot.
  if (view.max_nrs) return {std::clamp(static_cast<double>(*view.max_nrs), 0.0, 10.0), false};
  if (view.max_vas) return {std::clamp(view.max_vas->value(), 0.0, 100.0) / 10.0, true};
  return {};
}

double draw_trend(Svg& svg, const Labels& labels, const std::vector<Column>& columns, double x, double y,
                  double width) {
  svg.open("g").attr("class", "trend").body();
  // Legend of the two lines: colour, dash and marker shape each tell them apart.
  bool any_vas = false;
  for (const Column& c : columns) any_vas = any_vas || pain_of(c.view).from_vas;
  double lx = x;
  svg.open("path").attr("d", "M" + num(lx) + " " + num(y + 8) + "h22").attr("stroke", kPainInk)
      .attr("stroke-width", 2).attr("fill", "none").end();
  svg.open("circle").attr("cx", lx + 11).attr("cy", y + 8).attr("r", 3.5).attr("fill", kPainInk).end();
  lx += 28;
  svg.label(lx, y + 12, labels.highest_pain, 11, "start", {}, kInk);
  lx += text_width(labels.highest_pain, 11) + 16;
  if (any_vas) {
    svg.open("circle").attr("cx", lx + 4).attr("cy", y + 8).attr("r", 3.5).attr("fill", "#ffffff")
        .attr("stroke", kPainInk).attr("stroke-width", 1.5).end();
    lx += 12;
    svg.label(lx, y + 12, labels.vas_scaled, 11, "start", {}, kInk);
    lx += text_width(labels.vas_scaled, 11) + 16;
  }
  const double sites_w = 28 + text_width(labels.restricted_sites, 11);
  double sy = y;
  if (lx + sites_w > x + width) {
    lx = x;
    sy += 18;
  }
  svg.open("path").attr("d", "M" + num(lx) + " " + num(sy + 8) + "h22").attr("stroke", kSitesInk)
      .attr("stroke-width", 2).attr("stroke-dasharray", "5 3").attr("fill", "none").end();
  svg.open("rect").attr("x", lx + 7.5).attr("y", sy + 4.5).attr("width", 7).attr("height", 7).attr("fill", kSitesInk).end();
  svg.label(lx + 28, sy + 12, labels.restricted_sites, 11, "start", {}, kInk);
  y = sy + 26;

  const double px0 = x + 30, px1 = x + width - 30, py0 = y + 4, py1 = y + 154;
  std::int64_t d0 = columns.front().day, d1 = columns.back().day;
  const std::int64_t span = d1 - d0;
  const double pad = span == 0 ? 1.0 : static_cast<double>(span) * 0.04;
  const double lo = static_cast<double>(d0) - pad, hi = static_cast<double>(d1) + pad;
  auto px = [&](std::int64_t day) { return px0 + (static_cast<double>(day) - lo) / (hi - lo) * (px1 - px0); };
  auto py_pain = [&](double v) { return py1 - v / 10.0 * (py1 - py0); };
  int max_sites = 0;
  for (const Column& c : columns) max_sites = std::max(max_sites, c.view.restricted);
  int site_step = 1;
  for (const int s : {1, 2, 5, 10, 20, 50, 100, 200, 500})
    if ((max_sites + s - 1) / s <= 5) { site_step = s; break; }
  const int site_top = std::max(5, ((max_sites + site_step - 1) / site_step) * site_step);
  auto py_sites = [&](double c) { return py1 - c / site_top * (py1 - py0); };

  // Grid and axes: pain on the left in its colour, sites on the right in theirs.
  for (int v = 0; v <= 10; v += 2) {
    svg.open("line").attr("x1", px0).attr("x2", px1).attr("y1", py_pain(v)).attr("y2", py_pain(v))
        .attr("stroke", v == 0 ? "#888888" : "#e4e4e4").attr("stroke-width", 1).end();
    svg.label(px0 - 5, py_pain(v) + 4, std::to_string(v), 11, "end", {}, kPainInk);
  }
  for (int c = 0; c <= site_top; c += std::max(site_step, site_top / 5))
    svg.label(px1 + 5, py_sites(c) + 4, std::to_string(c), 11, "start", {}, kSitesInk);

  // Date ticks: a step of days, weeks or months so that labels never crowd.
  const auto max_ticks = static_cast<std::int64_t>(std::max(2.0, (px1 - px0) / 86.0));
  std::int64_t tick_step = 0;
  for (const std::int64_t s : {1, 2, 7, 14, 28, 56, 91, 182, 364, 728, 1456})
    if (span / s + 1 <= max_ticks) { tick_step = s; break; }
  if (tick_step == 0) tick_step = span / (max_ticks - 1) + 1;  // decades: plain even spacing
  for (std::int64_t d = d0; d <= d1; d += tick_step) {
    svg.open("line").attr("x1", px(d)).attr("x2", px(d)).attr("y1", py1).attr("y2", py1 + 4)
        .attr("stroke", "#888888").end();
    svg.label(px(d), py1 + 17, iso_date(d), 11, "middle", {}, kInk);
  }

  // Lines: the pain line breaks where a session has no pain score.
  std::string pain_path, sites_path;
  bool pen_down = false;
  for (const Column& c : columns) {
    const PainPoint p = pain_of(c.view);
    if (p.value) {
      pain_path += (pen_down ? "L" : "M") + num(px(c.day)) + " " + num(py_pain(*p.value));
      pen_down = true;
    } else {
      pen_down = false;
    }
    sites_path += (sites_path.empty() ? "M" : "L") + num(px(c.day)) + " " + num(py_sites(c.view.restricted));
  }
  if (!sites_path.empty())
    svg.open("path").attr("d", sites_path).attr("stroke", kSitesInk).attr("stroke-width", 2)
        .attr("stroke-dasharray", "5 3").attr("fill", "none").end();
  if (!pain_path.empty())
    svg.open("path").attr("d", pain_path).attr("stroke", kPainInk).attr("stroke-width", 2).attr("fill", "none").end();
  // Markers shrink when sessions sit close together on the axis, so neighbours stay apart.
  double min_dx = px1 - px0;
  for (std::size_t j = 1; j < columns.size(); ++j)
    if (columns[j].day != columns[j - 1].day) min_dx = std::min(min_dx, px(columns[j].day) - px(columns[j - 1].day));
  const double r = std::clamp(min_dx * 0.32, 2.0, 4.0);
  for (std::size_t j = 0; j < columns.size(); ++j) {
    const Column& c = columns[j];
    const std::string date(c.session->start.date_part());
    svg.open("rect").attr("class", "point restricted").attr("data-session", std::to_string(j + 1))
        .attr("data-date", date).attr("data-restricted", std::to_string(c.view.restricted))
        .attr("x", px(c.day) - r * 0.9).attr("y", py_sites(c.view.restricted) - r * 0.9).attr("width", r * 1.8)
        .attr("height", r * 1.8)
        .attr("fill", kSitesInk).body();
    svg.open("title").body().text(date + ": " + std::to_string(c.view.restricted) + " " +
                                  std::string(labels.restricted_sites)).close("title");
    svg.close("rect");
    const PainPoint p = pain_of(c.view);
    if (!p.value) continue;
    svg.open("circle").attr("class", "point pain").attr("data-session", std::to_string(j + 1)).attr("data-date", date);
    if (c.view.max_nrs) svg.attr("data-pain", std::to_string(*c.view.max_nrs));
    if (c.view.max_vas) svg.attr("data-pain-vas", c.view.max_vas->text);
    svg.attr("cx", px(c.day)).attr("cy", py_pain(*p.value)).attr("r", r)
        .attr("fill", p.from_vas ? std::string_view("#ffffff") : kPainInk).attr("stroke", kPainInk)
        .attr("stroke-width", 1.5).body();
    const std::string shown = p.from_vas ? "VAS " + c.view.max_vas->text + " mm" : std::to_string(*c.view.max_nrs) + "/10";
    svg.open("title").body().text(date + ": " + std::string(labels.pain) + " " + shown).close("title");
    svg.close("circle");
  }
  svg.close("g");
  return py1 + 26;
}

std::string summary_of(const Labels& labels, const std::vector<Column>& columns) {
  std::string text(labels.course_title);
  if (columns.empty()) return text + ": " + std::string(labels.no_sessions) + ".";
  const auto& first = columns.front();
  const auto& last = columns.back();
  text += ": " + std::to_string(columns.size()) + " " +
          std::string(columns.size() == 1 ? labels.session : labels.sessions) + ", " +
          std::string(first.session->start.date_part());
  if (columns.size() > 1) text += " \xE2\x80\x93 " + std::string(last.session->start.date_part());
  auto pain = [](const SessionView& v) {
    if (v.max_nrs) return std::to_string(*v.max_nrs) + "/10";
    if (v.max_vas) return "VAS " + v.max_vas->text + " mm";
    return std::string("\xE2\x80\x93");
  };
  const char* arrow = " \xE2\x86\x92 ";
  text += "; " + std::string(labels.highest_pain) + " " + pain(first.view);
  if (columns.size() > 1) text += arrow + pain(last.view);
  text += "; " + std::string(labels.restricted_sites) + " " + std::to_string(first.view.restricted);
  if (columns.size() > 1) text += arrow + std::to_string(last.view.restricted);
  return text + ".";
}

}  // namespace

std::string render_course(const std::vector<Session>& sessions, const ChartOptions& options) {
  const Labels& labels = labels_for(options.language);
  const std::vector<Column> columns = columns_of(sessions);
  const double width = std::clamp(options.width_px, 320, 4000);
  const double inner = width - 2 * kMargin;
  const std::string title = options.title.empty() ? std::string(labels.course_title) : options.title;

  Svg svg;
  Svg defs;
  write_grade_patterns(defs);
  double y = kMargin;
  svg.label(kMargin, y + 15, utf8_truncate(title, static_cast<std::size_t>(inner / (16 * 0.7))), 16, "start",
            "bold", kInk);
  y += 22;
  std::string subtitle;
  if (!columns.empty()) {
    subtitle = std::to_string(columns.size()) + " " +
               std::string(columns.size() == 1 ? labels.session : labels.sessions) + " \xC2\xB7 " +
               std::string(columns.front().session->start.date_part());
    if (columns.size() > 1) subtitle += " \xE2\x80\x93 " + std::string(columns.back().session->start.date_part());
  }
  if (options.show_patient && !options.patient_label.empty())
    subtitle += (subtitle.empty() ? "" : " \xC2\xB7 ") + options.patient_label;
  if (!subtitle.empty()) {
    svg.label(kMargin, y + 12, utf8_truncate(subtitle, static_cast<std::size_t>(inner / (12 * 0.62))), 12, "start",
              {}, kMutedInk);
    y += 20;
  }
  y += 6;

  if (columns.empty()) {
    svg.label(kMargin, y + 16, labels.no_sessions, 13, "start", {}, kMutedInk);
    y += 30;
  } else {
    std::vector<const SessionView*> views;
    bool any_midline = false;
    for (const Column& c : columns) {
      views.push_back(&c.view);
      any_midline = any_midline || c.view.has_spine_midline;
      for (const RegionRow& r : c.view.regions) any_midline = any_midline || r.sides[static_cast<int>(Side::Midline)];
    }
    const auto levels = levels_to_show(views, options.levels == ChartOptions::Levels::FullSpine);
    const auto rows = heat_rows(columns, levels);
    if (rows.empty()) {
      svg.label(kMargin, y + 16, labels.no_findings, 13, "start", {}, kMutedInk);
      y += 30;
    } else {
      std::vector<Side> sides = {Side::Left, Side::Right};
      if (any_midline) sides.push_back(Side::Midline);
      // As many panels side by side as leave each grid a readable width; the rest wrap below.
      const double min_grid = std::max(110.0, 4.0 * static_cast<double>(columns.size()));
      std::size_t per_row = sides.size();
      auto panel_width = [&](std::size_t k) {
        return (inner - static_cast<double>(k - 1) * kPanelGap) / static_cast<double>(k);
      };
      while (per_row > 1 && panel_width(per_row) - kLabelW < min_grid) --per_row;
      const double panel_w = panel_width(per_row);
      double bottom = y;
      for (std::size_t i = 0; i < sides.size(); ++i) {
        const std::size_t col = i % per_row;
        if (col == 0 && i != 0) y = bottom + 6;
        bottom = std::max(bottom, draw_heat_panel(svg, labels, columns, rows, sides[i],
                                                  kMargin + static_cast<double>(col) * (panel_w + kPanelGap), y, panel_w));
      }
      y = bottom + 8;
    }
    y = draw_trend(svg, labels, columns, kMargin, y, inner) + 4;
  }
  y += write_legend(svg, labels, kMargin, y, inner, {.glyphs = false, .patterns = true, .marks = false});
  y += kMargin;

  Svg root;
  root.attr("data-chart", "course").attr("data-sessions", std::to_string(columns.size()));
  DocumentParts parts{"course", width, std::round(y), options.height_px, labels.language, title,
                      summary_of(labels, columns), root.str(), defs.str(), svg.str()};
  return make_document(parts);
}

}  // namespace mfr::chart
