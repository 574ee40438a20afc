#include "svg_read.hpp"

#include <stdexcept>

namespace mfr::chart_test {

double Element::number(const std::string& key) const { return std::stod(get(key)); }

std::string unescape(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    const auto end = text.find(';', i);
    if (end == std::string_view::npos) throw std::runtime_error("unterminated entity");
    const auto name = text.substr(i + 1, end - i - 1);
    if (name == "lt") out += '<';
    else if (name == "gt") out += '>';
    else if (name == "amp") out += '&';
    else if (name == "quot") out += '"';
    else if (name == "apos") out += '\'';
    else throw std::runtime_error("unexpected entity &" + std::string(name) + ";");
    i = end;
  }
  return out;
}

std::vector<Element> read_elements(std::string_view svg) {
  std::vector<Element> out;
  std::size_t i = 0;
  auto skip_space = [&] { while (i < svg.size() && (svg[i] == ' ' || svg[i] == '\n' || svg[i] == '\t' || svg[i] == '\r')) ++i; };
  while ((i = svg.find('<', i)) != std::string_view::npos) {
    ++i;
    if (i >= svg.size() || svg[i] == '/' || svg[i] == '?' || svg[i] == '!') continue;
    Element e;
    while (i < svg.size() && svg[i] != ' ' && svg[i] != '>' && svg[i] != '/' && svg[i] != '\n') e.name += svg[i++];
    for (;;) {
      skip_space();
      if (i >= svg.size()) throw std::runtime_error("unterminated element <" + e.name);
      if (svg[i] == '>' || svg[i] == '/') break;
      const auto eq = svg.find('=', i);
      const std::string key(svg.substr(i, eq - i));
      if (svg[eq + 1] != '"') throw std::runtime_error("unquoted attribute " + key);
      const auto close = svg.find('"', eq + 2);
      e.attrs[key] = unescape(svg.substr(eq + 2, close - eq - 2));
      i = close + 1;
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<Element> select(const std::vector<Element>& elements, std::string_view cls,
                            const std::map<std::string, std::string>& match) {
  std::vector<Element> out;
  for (const Element& e : elements) {
    if (!cls.empty()) {
      const std::string classes = " " + e.get("class") + " ";
      if (classes.find(" " + std::string(cls) + " ") == std::string::npos) continue;
    }
    bool ok = true;
    for (const auto& [k, v] : match) ok = ok && e.has(k) && e.get(k) == v;
    if (ok) out.push_back(e);
  }
  return out;
}

const Element& only(const std::vector<Element>& found) {
  if (found.size() != 1) throw std::runtime_error("expected one element, found " + std::to_string(found.size()));
  return found.front();
}

std::string text_of(std::string_view svg, std::string_view tag) {
  const auto open = svg.find("<" + std::string(tag));
  if (open == std::string_view::npos) return {};
  const auto start = svg.find('>', open) + 1;
  const auto end = svg.find("</" + std::string(tag) + ">", start);
  return unescape(svg.substr(start, end - start));
}

}  // namespace mfr::chart_test
