#include "chart/scale.hpp"

#include <string>

namespace mfr::chart {
namespace {

constexpr std::string_view kFills[] = {"#fee8c8", "#fc9d61", "#e8553a", "#7f0000"};

struct LegendItem {
  enum class Kind { Swatch, Empty, Tender, Released, Partial } kind;
  Grade grade;
  std::string text;
};

}  // namespace

std::string_view grade_fill(Grade grade) noexcept {
  return grade ? kFills[static_cast<int>(*grade)] : kEmptyFill;
}

std::string_view grade_ink(Grade grade) noexcept {
  // Contrast against the fill stays >= 4.5:1 (WCAG AA) for every grade; see the tests.
  return grade == RestrictionGrade::Marked ? "#ffffff" : kInk;
}

std::string_view grade_glyph(Grade grade) noexcept {
  if (!grade) return "?";
  switch (*grade) {
    case RestrictionGrade::None: return "0";
    case RestrictionGrade::Mild: return "+";
    case RestrictionGrade::Moderate: return "++";
    case RestrictionGrade::Marked: break;
  }
  return "+++";
}

std::string_view grade_pattern_id(Grade grade) noexcept {
  if (!grade) return "pat-ungraded";
  switch (*grade) {
    case RestrictionGrade::None: return {};
    case RestrictionGrade::Mild: return "pat-1";
    case RestrictionGrade::Moderate: return "pat-2";
    case RestrictionGrade::Marked: break;
  }
  return "pat-3";
}

std::string grade_data(Grade grade) {
  return grade ? std::to_string(static_cast<int>(*grade)) : std::string("ungraded");
}

void write_grade_patterns(Svg& svg) {
  // Sparse single hatch, dense single hatch, cross hatch: distinguishable without colour.
  svg.open("pattern").id_attr("id", "pat-1").attr("width", 6).attr("height", 6)
      .attr("patternUnits", "userSpaceOnUse").attr("patternTransform", "rotate(45)").body();
  svg.open("line").attr("x1", 0).attr("y1", 0).attr("x2", 0).attr("y2", 6)
      .attr("stroke", "#000000").attr("stroke-opacity", 0.45).attr("stroke-width", 1.2).end();
  svg.close("pattern");
  svg.open("pattern").id_attr("id", "pat-2").attr("width", 3).attr("height", 3)
      .attr("patternUnits", "userSpaceOnUse").attr("patternTransform", "rotate(45)").body();
  svg.open("line").attr("x1", 0).attr("y1", 0).attr("x2", 0).attr("y2", 3)
      .attr("stroke", "#000000").attr("stroke-opacity", 0.5).attr("stroke-width", 1.2).end();
  svg.close("pattern");
  svg.open("pattern").id_attr("id", "pat-3").attr("width", 4).attr("height", 4)
      .attr("patternUnits", "userSpaceOnUse").attr("patternTransform", "rotate(45)").body();
  svg.open("path").attr("d", "M0 0V4M0 0H4").attr("stroke", "#ffffff").attr("stroke-opacity", 0.7)
      .attr("stroke-width", 1.2).attr("fill", "none").end();
  svg.close("pattern");
  svg.open("pattern").id_attr("id", "pat-ungraded").attr("width", 4).attr("height", 4)
      .attr("patternUnits", "userSpaceOnUse").body();
  svg.open("circle").attr("cx", 2).attr("cy", 2).attr("r", 0.8).attr("fill", "#777777").end();
  svg.close("pattern");
}

void draw_tender_mark(Svg& svg, double right, double top, std::string_view ink, std::string_view halo) {
  const double s = 9;
  svg.open("path")
      .attr("d", "M" + num(right - s) + " " + num(top) + "H" + num(right) + "V" + num(top + s) + "Z")
      .attr("fill", ink).attr("stroke", halo).attr("stroke-width", 0.8).attr("class", "mark-tender").end();
}

void draw_release_mark(Svg& svg, double cx, double cy, ReleaseResponse r, std::string_view ink, std::string_view halo) {
  if (r != ReleaseResponse::Released && r != ReleaseResponse::Partial) return;
  const double radius = 4;
  const bool full = r == ReleaseResponse::Released;
  svg.open("circle").attr("cx", cx).attr("cy", cy).attr("r", radius)
      .attr("fill", full ? ink : halo).attr("stroke", full ? halo : ink)
      .attr("stroke-width", full ? 1 : 1.2).attr("class", full ? "mark-released" : "mark-partial").end();
  if (!full) {  // left half filled: "half released"
    svg.open("path")
        .attr("d", "M" + num(cx) + " " + num(cy - radius) + "A" + num(radius) + " " + num(radius) + " 0 0 0 " +
                       num(cx) + " " + num(cy + radius) + "Z")
        .attr("fill", ink).end();
  }
}

double write_legend(Svg& svg, const Labels& labels, double x, double y, double width, const LegendOptions& options) {
  std::vector<LegendItem> items;
  for (int g = 0; g < 4; ++g) {
    const auto grade = static_cast<RestrictionGrade>(g);
    std::string text = options.glyphs ? std::string(labels.grades[g]) : std::to_string(g) + " " + std::string(labels.grades[g]);
    items.push_back({LegendItem::Kind::Swatch, grade, std::move(text)});
  }
  items.push_back({LegendItem::Kind::Swatch, std::nullopt, std::string(labels.not_graded)});
  items.push_back({LegendItem::Kind::Empty, std::nullopt, std::string(labels.no_finding)});
  if (options.marks) {
    items.push_back({LegendItem::Kind::Tender, std::nullopt, std::string(labels.tender)});
    items.push_back({LegendItem::Kind::Released, std::nullopt, std::string(labels.released)});
    items.push_back({LegendItem::Kind::Partial, std::nullopt, std::string(labels.partial)});
  }

  const double font = 11, sw = options.glyphs ? 28 : 18, sh = 16, line = 22;
  svg.open("g").attr("class", "legend").attr("font-size", font).body();
  svg.label(x, y + 11, labels.restriction, font, "start", "bold", kInk);
  double cx = x + text_width(labels.restriction, font) + 10, cy = y;
  for (const auto& item : items) {
    const bool swatch = item.kind == LegendItem::Kind::Swatch || item.kind == LegendItem::Kind::Empty;
    const double item_w = (swatch ? sw : 12) + 5 + text_width(item.text, font) + 12;
    if (cx + item_w > x + width && cx > x) {
      cx = x;
      cy += line;
    }
    if (swatch) {
      const bool empty = item.kind == LegendItem::Kind::Empty;
      svg.open("rect").attr("x", cx).attr("y", cy).attr("width", sw).attr("height", sh)
          .attr("fill", empty ? kEmptyFill : grade_fill(item.grade))
          .attr("stroke", empty ? kEmptyStroke : kMutedInk).attr("stroke-width", 1);
      if (!empty && !item.grade) svg.attr("stroke-dasharray", "3 2");
      svg.end();
      if (!empty && options.patterns && !grade_pattern_id(item.grade).empty())
        svg.open("rect").attr("x", cx).attr("y", cy).attr("width", sw).attr("height", sh)
            .ref_attr("fill", grade_pattern_id(item.grade)).end();
      if (!empty && options.glyphs)
        svg.label(cx + sw / 2, cy + 12, grade_glyph(item.grade), 11, "middle", "bold", grade_ink(item.grade));
      cx += sw + 5;
    } else {
      svg.open("rect").attr("x", cx - 1).attr("y", cy).attr("width", 14).attr("height", sh)
          .attr("fill", "#e8e8e8").end();
      if (item.kind == LegendItem::Kind::Tender) draw_tender_mark(svg, cx + 13, cy);
      else draw_release_mark(svg, cx + 6, cy + sh / 2,
                             item.kind == LegendItem::Kind::Released ? ReleaseResponse::Released : ReleaseResponse::Partial);
      cx += 12 + 5;
    }
    svg.label(cx, cy + 12, item.text, font, "start", {}, kInk);
    cx += text_width(item.text, font) + 12;
  }
  svg.close("g");
  return cy - y + sh + 4;
}

}  // namespace mfr::chart
