#include "chart/svg_writer.hpp"

#include <cmath>
#include <cstdio>

#include "base/utf8.hpp"

namespace mfr::chart {
namespace {

// The length of the UTF-8 character at s[i] when XML accepts it, else 0: well-formed
// (base/utf8.hpp), and not one of the noncharacters U+FFFE and U+FFFF.
std::size_t xml_char_length(std::string_view s, std::size_t i) {
  const std::size_t n = base::utf8::sequence_length(s, i);
  if (n == 3 && s[i] == '\xEF' && s[i + 1] == '\xBF' && (s[i + 2] == '\xBE' || s[i + 2] == '\xBF')) return 0;
  return n;
}

}  // namespace

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    const std::size_t n = xml_char_length(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    if (n == 1) {
      switch (c) {
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '&': out += "&amp;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        case '\t': case '\n': case '\r': out += ' '; break;  // attribute-safe whitespace
        default:
          if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7F) out += c;
      }
    } else {
      out.append(text.substr(i, n));
    }
    i += n;
  }
  return out;
}

std::string num(double value) {
  if (!std::isfinite(value)) return "0";
  const long long tenths = std::llround(value * 10.0);
  const long long whole = (tenths < 0 ? -tenths : tenths) / 10;
  const long long frac = (tenths < 0 ? -tenths : tenths) % 10;
  std::string out = tenths < 0 ? "-" : "";
  out += std::to_string(whole);
  if (frac != 0) {
    out += '.';
    out += static_cast<char>('0' + frac);
  }
  return out;
}

std::string utf8_truncate(std::string_view text, std::size_t max_chars) {
  if (base::utf8::length(text) <= max_chars) return std::string(text);
  std::size_t i = 0, count = 0;
  const std::size_t keep = max_chars == 0 ? 0 : max_chars - 1;
  while (i < text.size() && count < keep) {
    const std::size_t n = base::utf8::sequence_length(text, i);
    i += n == 0 ? 1 : n;
    ++count;
  }
  return std::string(text.substr(0, i)) + "\xE2\x80\xA6";
}

double text_width(std::string_view text, double font_px) {
  // DejaVu Sans averages about 0.6 em per character; digits and capitals are close to it.
  return static_cast<double>(base::utf8::length(text)) * font_px * 0.62;
}

Svg& Svg::open(std::string_view tag) {
  out_ += '<';
  out_ += tag;
  return *this;
}

Svg& Svg::attr(std::string_view name, std::string_view value) {
  out_ += ' ';
  out_ += name;
  out_ += "=\"";
  out_ += xml_escape(value);
  out_ += '"';
  return *this;
}

Svg& Svg::attr(std::string_view name, double value) { return attr(name, num(value)); }

Svg& Svg::id_attr(std::string_view name, std::string_view local_id) {
  out_ += ' ';
  out_ += name;
  out_ += "=\"";
  out_ += kIdMark;
  out_ += '-';
  out_ += local_id;
  out_ += '"';
  return *this;
}

Svg& Svg::ref_attr(std::string_view name, std::string_view local_id) {
  out_ += ' ';
  out_ += name;
  out_ += "=\"url(#";
  out_ += kIdMark;
  out_ += '-';
  out_ += local_id;
  out_ += ")\"";
  return *this;
}

Svg& Svg::end() {
  out_ += "/>";
  return *this;
}

Svg& Svg::body() {
  out_ += '>';
  return *this;
}

Svg& Svg::text(std::string_view content) {
  out_ += xml_escape(content);
  return *this;
}

Svg& Svg::close(std::string_view tag) {
  out_ += "</";
  out_ += tag;
  out_ += ">\n";
  return *this;
}

Svg& Svg::raw(std::string_view markup) {
  out_ += markup;
  return *this;
}

Svg& Svg::label(double x, double y, std::string_view content, double font_px, std::string_view anchor,
                std::string_view weight, std::string_view fill) {
  open("text").attr("x", x).attr("y", y).attr("font-size", font_px);
  if (anchor != "start") attr("text-anchor", anchor);
  if (!weight.empty()) attr("font-weight", weight);
  if (!fill.empty()) attr("fill", fill);
  return body().text(content).close("text");
}

std::string finish_document(std::string document, std::string_view kind) {
  std::uint32_t hash = 2166136261u;  // FNV-1a, 32 bits: enough to keep ids apart on one page
  for (const char c : document) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 16777619u;
  }
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", static_cast<unsigned>(hash));
  const std::string prefix = "mfr-" + std::string(kind) + "-" + hex;
  std::string out;
  out.reserve(document.size() + 64);
  for (const char c : document) {
    if (c == kIdMark[0]) out += prefix;
    else out += c;
  }
  return out;
}

}  // namespace mfr::chart
