#include "chart/cells.hpp"

#include "chart/scale.hpp"
#include "chart/session_view.hpp"

namespace mfr::chart {

void write_finding_data(Svg& svg, const Finding& finding) {
  svg.attr("data-grade", grade_data(finding.restriction));
  if (finding.pain_nrs) svg.attr("data-pain", std::to_string(*finding.pain_nrs));
  if (finding.pain_vas_mm) svg.attr("data-pain-vas", finding.pain_vas_mm->text);
  svg.attr("data-released", release_key(finding.released));
  if (finding.tender) svg.attr("data-tender", *finding.tender ? "true" : "false");
}

std::string finding_description(const Labels& labels, const Finding& finding) {
  std::string text = site_label(labels, finding.site);
  text += ' ';
  text += side_label(labels, finding.site.side);
  text += ": ";
  text += finding.restriction ? grade_label(labels, *finding.restriction) : labels.not_graded;
  if (const std::string pain = pain_text(finding); !pain.empty()) {
    text += ", ";
    text += labels.pain;
    text += ' ';
    text += pain;
  }
  if (finding.released == ReleaseResponse::Released) text += ", " + std::string(labels.released);
  if (finding.released == ReleaseResponse::Partial) text += ", " + std::string(labels.partial);
  if (finding.tender.value_or(false)) text += ", " + std::string(labels.tender);
  return text;
}

void draw_finding_cell(Svg& svg, const Labels& labels, const CellBox& box, const Finding* finding,
                       const std::string& site_data, std::string_view lead) {
  svg.open("g").attr("class", finding ? "cell finding" : "cell empty").raw(site_data);
  if (finding) write_finding_data(svg, *finding);
  svg.body();
  if (finding) svg.open("title").body().text(finding_description(labels, *finding)).close("title");

  const Grade grade = finding ? finding->restriction : Grade{};
  svg.open("rect").attr("x", box.x).attr("y", box.y).attr("width", box.w).attr("height", box.h).attr("rx", 3)
      .attr("fill", finding ? grade_fill(grade) : kEmptyFill)
      .attr("stroke", finding ? kMutedInk : kEmptyStroke).attr("stroke-width", 1);
  if (finding && !grade) svg.attr("stroke-dasharray", "4 2");
  svg.end();

  const double baseline = box.y + box.h / 2 + 4.5;
  const std::string_view ink = finding ? grade_ink(grade) : kInk;
  double x = box.x + 6;
  if (!lead.empty()) {
    if (!finding) {
      svg.label(box.x + box.w / 2, baseline, lead, 12, "middle", "bold", ink);
    } else {
      svg.label(x, baseline, lead, 12, "start", "bold", ink);
      x += std::max(text_width(lead, 12) + 8, 36.0);
    }
  }
  if (finding) {
    svg.label(x, baseline, grade_glyph(grade), 12, "start", "bold", ink);
    if (const std::string pain = pain_text(*finding); !pain.empty())
      svg.label(box.x + box.w - 14, baseline, pain, 12, "end", {}, ink);
    const std::string_view halo = ink == kInk ? std::string_view("#ffffff") : kInk;
    if (finding->tender.value_or(false)) draw_tender_mark(svg, box.x + box.w, box.y, ink, halo);
    draw_release_mark(svg, box.x + box.w - 7, box.y + box.h - 7, finding->released, ink, halo);
  }
  svg.close("g");
}

}  // namespace mfr::chart
