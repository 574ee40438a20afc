#include "chart/document.hpp"

#include "chart/scale.hpp"
#include "chart/svg_writer.hpp"

namespace mfr::chart {

std::string make_document(const DocumentParts& parts) {
  Svg svg;
  svg.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  const double shown_height = parts.height_px > 0 ? parts.height_px : parts.height;
  svg.open("svg").attr("xmlns", "http://www.w3.org/2000/svg").attr("version", "1.1")
      .attr("width", parts.width).attr("height", shown_height)
      .attr("viewBox", "0 0 " + num(parts.width) + " " + num(parts.height))
      .attr("preserveAspectRatio", "xMidYMin meet")
      .attr("role", "img")
      .raw(" aria-labelledby=\"").raw(kIdMark).raw("-title ").raw(kIdMark).raw("-desc\"")
      .attr("xml:lang", parts.language)
      .attr("class", "mfr-chart mfr-" + std::string(parts.kind))
      .attr("font-family", kFontFamily)
      .raw(parts.root_data)
      .body().raw("\n");
  svg.open("title").id_attr("id", "title").body().text(parts.title).close("title");
  svg.open("desc").id_attr("id", "desc").body().text(parts.summary).close("desc");
  if (!parts.defs.empty()) svg.raw("<defs>\n").raw(parts.defs).raw("</defs>\n");
  svg.open("rect").attr("width", parts.width).attr("height", parts.height).attr("fill", "#ffffff").end().raw("\n");
  svg.raw(parts.body);
  svg.close("svg");
  return finish_document(svg.str(), parts.kind);
}

}  // namespace mfr::chart
