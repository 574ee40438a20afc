#pragma once
// Writes SVG text deterministically: fixed number format (no locale), XML escaping
// of everything that comes from data, and ids derived from the content, not random.
#include <cstdint>
#include <string>
#include <string_view>

namespace mfr::chart {

// Escapes text for XML content and attribute values. Control characters XML 1.0
// forbids are dropped and invalid UTF-8 becomes U+FFFD, so any input stays well-formed.
std::string xml_escape(std::string_view text);

// "12", "12.5", "-3.2": rounded to one decimal, trailing ".0" dropped, never locale-dependent.
std::string num(double value);

// A prefix cut at a character boundary with "…" appended when `text` has more than
// `max_chars` characters (base::utf8::length).
std::string utf8_truncate(std::string_view text, std::size_t max_chars);

// Width estimate of a text in DejaVu Sans-like fonts, for layout only.
double text_width(std::string_view text, double font_px);

// Marks where the document id prefix goes; `finish_document` replaces it with a
// prefix hashed from the document itself, so two charts in one HTML page never share
// ids while the same input still gives the same bytes.
inline constexpr std::string_view kIdMark = "\x01";

class Svg {
 public:
  // Opens an element: add attributes with attr(), then close with end() (empty) or body().
  Svg& open(std::string_view tag);
  Svg& attr(std::string_view name, std::string_view value);  // value is escaped
  Svg& attr(std::string_view name, double value);
  Svg& id_attr(std::string_view name, std::string_view local_id);  // id="<prefix>-local"
  Svg& ref_attr(std::string_view name, std::string_view local_id);  // fill="url(#<prefix>-local)"
  Svg& end();   // "/>"
  Svg& body();  // ">"
  Svg& text(std::string_view content);  // escaped
  Svg& close(std::string_view tag);
  Svg& raw(std::string_view markup);

  // Convenience: <text ...>content</text> at (x, y).
  Svg& label(double x, double y, std::string_view content, double font_px,
             std::string_view anchor = "start", std::string_view weight = {},
             std::string_view fill = {});

  const std::string& str() const noexcept { return out_; }

 private:
  std::string out_;
};

// Returns the document with each kIdMark replaced by "mfr<hash>" (FNV-1a of the document).
std::string finish_document(std::string document, std::string_view kind);

}  // namespace mfr::chart
