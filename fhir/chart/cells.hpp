#pragma once
// One finding cell as both charts' readers expect it: data attributes, a tooltip title,
// the fill, the grade written as 0 / + / ++ / +++ / ?, the pain score and the marks.
#include <string>
#include <string_view>

#include "chart/labels.hpp"
#include "chart/svg_writer.hpp"
#include "model/session.hpp"

namespace mfr::chart {

// data-grade, data-pain, data-pain-vas, data-released, data-tender of a finding.
void write_finding_data(Svg& svg, const Finding& finding);

// "T4 Left: moderate, pain 6/10, partly released, tender".
std::string finding_description(const Labels& labels, const Finding& finding);

struct CellBox {
  double x = 0, y = 0, w = 0, h = 0;
};

// `site_data` holds the cell's site attributes, already written (data-level/data-region, data-side).
// `lead` is written first in bold (the level name in the centre box of the spine map).
void draw_finding_cell(Svg& svg, const Labels& labels, const CellBox& box, const Finding* finding,
                       const std::string& site_data, std::string_view lead = {});

}  // namespace mfr::chart
