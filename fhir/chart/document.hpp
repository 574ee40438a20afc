#pragma once
// The <svg> root both charts share: size, accessibility (role, title, desc), fonts, defs.
#include <string>
#include <string_view>

namespace mfr::chart {

struct DocumentParts {
  std::string_view kind;      // "spine-map" or "course": class name and id prefix
  double width = 0;           // content size in px
  double height = 0;
  int height_px = 0;          // requested height; 0: the content height
  std::string_view language;  // xml:lang
  std::string title;          // <title>, may come from data: escaped here
  std::string summary;        // <desc>: the text alternative
  std::string root_data;      // extra attributes on the root, already written (data-*)
  std::string defs;           // inside <defs>
  std::string body;
};

// The finished document: ids made unique per document, same input -> same bytes.
std::string make_document(const DocumentParts& parts);

}  // namespace mfr::chart
