#pragma once
// Reads a chart back the way a host would: the elements and their (unescaped) attributes.
// Small on purpose; well-formedness itself is checked with xmllint.
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace mfr::chart_test {

struct Element {
  std::string name;
  std::map<std::string, std::string> attrs;
  bool has(const std::string& key) const { return attrs.count(key) != 0; }
  std::string get(const std::string& key) const {
    auto it = attrs.find(key);
    return it == attrs.end() ? std::string() : it->second;
  }
  double number(const std::string& key) const;
};

std::vector<Element> read_elements(std::string_view svg);

// Elements whose attribute `key` equals `value` (and, when given, whose class contains `cls`).
std::vector<Element> select(const std::vector<Element>& elements, std::string_view cls,
                            const std::map<std::string, std::string>& match = {});

// The one element of `found`; throws when there is none or more than one.
const Element& only(const std::vector<Element>& found);

// The unescaped text of the first <tag>…</tag> (e.g. "desc", "title").
std::string text_of(std::string_view svg, std::string_view tag);

std::string unescape(std::string_view text);

}  // namespace mfr::chart_test
