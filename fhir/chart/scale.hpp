#pragma once
// The restriction colour scale and the marks shared by both charts.
//
// One hue (ColorBrewer OrRd), lightness falling with the grade (CIE L* 93, 73, 56, 25),
// so the order survives greyscale printing and the common colour-vision deficiencies.
// Colour is never the only cue: the spine map writes the grade as 0 / + / ++ / +++,
// the heat map lays a hatch pattern per grade over the fill, and both have a legend.
// "Not graded" is white with a "?" (dots in the heat map); "no finding" is an empty cell.
#include <optional>
#include <string_view>
#include <vector>

#include "chart/labels.hpp"
#include "chart/svg_writer.hpp"
#include "model/grades.hpp"

namespace mfr::chart {

using Grade = std::optional<RestrictionGrade>;  // nullopt: found but not graded

std::string_view grade_fill(Grade grade) noexcept;        // "#fee8c8" …; white when not graded
std::string_view grade_ink(Grade grade) noexcept;         // text colour readable on that fill
std::string_view grade_glyph(Grade grade) noexcept;       // "0", "+", "++", "+++", "?"
std::string_view grade_pattern_id(Grade grade) noexcept;  // local pattern id; empty for grade 0
std::string grade_data(Grade grade);                      // data-grade value: "0".."3" or "ungraded"

inline constexpr std::string_view kEmptyFill = "#ffffff";
inline constexpr std::string_view kEmptyStroke = "#c8c8c8";
inline constexpr std::string_view kInk = "#1a1a1a";
inline constexpr std::string_view kMutedInk = "#555555";
inline constexpr std::string_view kFontFamily = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif";

// <pattern> definitions for the heat map (call inside <defs>).
void write_grade_patterns(Svg& svg);

// Marks in a cell, drawn in `ink` (the cell's text colour) with a halo of `halo`, so they
// stand out on light and dark fills alike.
void draw_tender_mark(Svg& svg, double right, double top, std::string_view ink = kInk,
                      std::string_view halo = "#ffffff");  // a flag in the top-right corner
void draw_release_mark(Svg& svg, double cx, double cy, ReleaseResponse r, std::string_view ink = kInk,
                       std::string_view halo = "#ffffff");  // ● released, ◐ partly released

struct LegendOptions {
  bool glyphs = true;    // spine map: grade written in the swatch
  bool patterns = false; // heat map: hatch in the swatch
  bool marks = true;     // tender / released / partial
};
// Draws the legend flowing over `width` from (x, y); returns the height it used.
double write_legend(Svg& svg, const Labels& labels, double x, double y, double width, const LegendOptions& options);

}  // namespace mfr::chart
