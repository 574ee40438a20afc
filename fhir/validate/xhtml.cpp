#include "validate/xhtml.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include "base/bytes.hpp"
#include "validate/fast.hpp"

namespace mfr::validate::detail {
namespace {

constexpr std::string_view kXhtmlNamespace = "http://www.w3.org/1999/xhtml";

// The elements a narrative may hold, sorted for binary search: HTML 4.0 chapters 7-11 (not 9.4,
// ins/del) and 15, with a and img, as the R4 narrative page and the HL7 validator read them.
constexpr std::array<std::string_view, 53> kElements = {
    "a", "abbr", "acronym", "address", "area", "b", "bdo", "big", "blockquote", "br", "caption", "cite", "code",
    "col", "colgroup", "dd", "dfn", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "kbd", "li", "map", "ol", "p", "pre", "q", "samp", "small", "span", "strong", "sub", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "tt", "ul", "var"};
static_assert(std::is_sorted(kElements.begin(), kElements.end()));

// Attributes any element may carry (HTML 4.0 %coreattrs, %i18n, and the table/list layout ones).
constexpr std::array<std::string_view, 33> kAttributes = {
    "abbr", "accesskey", "align", "axis", "border", "cellpadding", "cellspacing", "char", "charoff", "class",
    "colspan", "compact", "dir", "frame", "headers", "height", "id", "lang", "rowspan", "rules", "scope", "span",
    "start", "style", "summary", "tabindex", "title", "type", "valign", "value", "width", "xml:lang", "xmlns"};
static_assert(std::is_sorted(kAttributes.begin(), kAttributes.end()));

// Membership by the first letter's run of a sorted list, then length before bytes: a tag's name is
// looked up on every tag of every narrative, so no binary search of memcmp calls.
template <std::size_t N>
class NameSet {
 public:
  constexpr explicit NameSet(const std::array<std::string_view, N>& names) : names_(names) {
    for (std::size_t i = N; i-- > 0;) first_[static_cast<unsigned char>(names[i][0])] = static_cast<std::uint8_t>(i);
    for (std::size_t i = 0; i < N; ++i) last_[static_cast<unsigned char>(names[i][0])] = static_cast<std::uint8_t>(i + 1);
  }
  constexpr bool contains(std::string_view name) const {
    if (name.empty()) return false;
    const auto c = static_cast<unsigned char>(name[0]);
    for (std::size_t i = first_[c]; i < last_[c]; ++i) {
      const std::string_view n = names_[i];
      if (n.size() == name.size() && equal_bytes(n, name)) return true;
    }
    return false;
  }

 private:
  static constexpr bool equal_bytes(std::string_view a, std::string_view b) {
    for (std::size_t i = 0; i < a.size(); ++i)
      if (a[i] != b[i]) return false;
    return true;
  }
  std::array<std::string_view, N> names_;
  std::array<std::uint8_t, 256> first_{};
  std::array<std::uint8_t, 256> last_{};
};

constexpr NameSet kElementSet(kElements);
constexpr NameSet kAttributeSet(kAttributes);
static_assert(kElementSet.contains("div") && kElementSet.contains("var") && !kElementSet.contains("script"));
static_assert(kAttributeSet.contains("xml:lang") && !kAttributeSet.contains("onclick"));

// Attributes only some elements may carry.
bool element_attribute(std::string_view element, std::string_view name) {
  if (element == "a")
    return name == "href" || name == "name" || name == "rel" || name == "rev" || name == "hreflang" || name == "charset" ||
           name == "shape" || name == "coords";
  if (element == "img") return name == "src" || name == "alt" || name == "longdesc" || name == "usemap";
  if (element == "area") return name == "href" || name == "alt" || name == "shape" || name == "coords" || name == "nohref";
  if (element == "map") return name == "name";
  if (element == "blockquote" || element == "q") return name == "cite";
  return false;
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (lower(s[i]) != prefix[i]) return false;
  return true;
}

bool contains_nocase(std::string_view s, std::string_view needle) {
  for (std::size_t i = 0; i + needle.size() <= s.size(); ++i)
    if (starts_with_nocase(s.substr(i), needle)) return true;
  return false;
}

bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Bytes that text inside an element may hold as they are: all but markup, references and the
// control characters XML has no place for.
constexpr std::array<bool, 256> kPlainText = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) t[c] = c >= 0x20 || c == '\t' || c == '\n' || c == '\r';
  t['<'] = t['&'] = false;
  return t;
}();
// XML name bytes by table (1: may start a name, 2: may continue one), the ASCII subset HTML uses.
constexpr std::array<std::uint8_t, 256> kNameByte = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    const bool start = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    t[c] = start ? 3 : ((c >= '0' && c <= '9') || c == '-' || c == '.') ? 2 : 0;
  }
  return t;
}();
bool name_start(char c) { return kNameByte[static_cast<unsigned char>(c)] & 1; }
bool name_char(char c) { return kNameByte[static_cast<unsigned char>(c)] & 2; }

std::string tag(std::string_view name) { return "<" + std::string(name) + ">"; }

class Checker {
 public:
  explicit Checker(std::string_view s) : s_(s) {}

  XhtmlProblem run() {
    skip_space();
    while (p_ < s_.size() && problem_.what.empty()) {
      const char c = s_[p_];
      if (c == '<') {
        markup();
      } else if (c == '&') {
        if (depth_ == 0) return fail("Text outside the root <div>: a narrative is one <div> element.");
        entity();
      } else {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 && !space(c)) return fail("A control character (byte " + std::to_string(u) + ") cannot be in XML text.");
        if (depth_ == 0 && !space(c)) return fail("Text outside the root <div>: a narrative is one <div> element.");
        ++p_;
        if (depth_ > 0) skip_plain_text();
      }
    }
    if (!problem_.what.empty()) return problem_;
    if (!seen_root_) return fail("There is no <div> element.");
    if (depth_ > 0) {
      problem_ = {tag(stack_[depth_ - 1].view()) + " is not closed: the XHTML is not well-formed.", true, s_.size()};
      return problem_;
    }
    return warning_.what.empty() ? XhtmlProblem{} : warning_;
  }

 private:
  XhtmlProblem& fail(std::string what) {
    if (problem_.what.empty()) problem_ = {std::move(what), true, p_};
    return problem_;
  }

  // The rest of a run of text inside an element, eight bytes at a time until one may matter.
  void skip_plain_text() {
    while (p_ + 8 <= s_.size()) {
      const std::uint64_t x = base::load_le64(s_.data() + p_);
      if (base::bytes_equal_to(x, '<') | base::bytes_equal_to(x, '&') | base::bytes_below(x, 0x20)) break;
      p_ += 8;
    }
    while (p_ < s_.size() && kPlainText[static_cast<unsigned char>(s_[p_])]) ++p_;
  }

  void skip_space() {
    while (p_ < s_.size() && space(s_[p_])) ++p_;
  }

  std::string_view name() {
    const std::size_t b = p_;
    if (p_ < s_.size() && name_start(s_[p_])) {
      ++p_;
      while (p_ < s_.size() && name_char(s_[p_])) ++p_;
    }
    return s_.substr(b, p_ - b);
  }

  void markup() {
    const std::string_view rest = s_.substr(p_);
    const char next = rest.size() > 1 ? rest[1] : '\0';
    if (next != '!' && next != '?') {
      if (next == '/') end_tag();
      else start_tag();
      return;
    }
    if (rest.starts_with("<!--")) {
      const std::size_t end = s_.find("-->", p_ + 4);
      if (end == std::string_view::npos) {
        fail("A comment (<!--) is not closed.");
        return;
      }
      p_ = end + 3;
      return;
    }
    if (rest.starts_with("<![CDATA[")) {
      if (depth_ == 0) {
        fail("Text outside the root <div>: a narrative is one <div> element.");
        return;
      }
      const std::size_t end = s_.find("]]>", p_ + 9);
      if (end == std::string_view::npos) {
        fail("A CDATA section is not closed.");
        return;
      }
      p_ = end + 3;
      return;
    }
    if (rest.starts_with("<?")) {
      fail("A processing instruction (<?…?>) is not allowed in a narrative.");
      return;
    }
    if (rest.starts_with("<!")) {
      fail("A declaration (<!DOCTYPE, <!ENTITY…) is not allowed in a narrative.");
      return;
    }
    if (rest.starts_with("</")) {
      end_tag();
      return;
    }
    start_tag();
  }

  void end_tag() {
    p_ += 2;
    const std::string_view n = name();
    skip_space();
    if (n.empty() || p_ >= s_.size() || s_[p_] != '>') {
      fail("A closing tag is malformed: the XHTML is not well-formed.");
      return;
    }
    if (depth_ == 0) {
      fail("</" + std::string(n) + "> closes no open element: the XHTML is not well-formed.");
      return;
    }
    if (stack_[depth_ - 1].view() != n) {
      fail("</" + std::string(n) + "> closes " + tag(stack_[depth_ - 1].view()) + ": the XHTML is not well-formed.");
      return;
    }
    --depth_;
    ++p_;
  }

  void start_tag() {
    const std::size_t at = p_;
    ++p_;
    const std::string_view element = name();
    if (element.empty()) {
      fail("A '<' that begins no tag: write it as &lt;.");
      return;
    }
    if (depth_ == 0 && seen_root_) {
      fail("An element after the root <div>: a narrative is one <div> element.");
      return;
    }
    const bool root = depth_ == 0;
    if (root && element != "div") {
      fail("The narrative's root element is " + tag(element) + ", not <div>.");
      return;
    }
    if (!kElementSet.contains(element)) {
      if (element == "script")
        fail("A <script> element is not allowed in a narrative.");
      else
        fail(tag(element) + " is not an element of the XHTML a narrative may hold (R4 narrative rules).");
      return;
    }
    bool has_namespace = false;
    while (true) {
      const std::size_t before = p_;
      skip_space();
      if (p_ >= s_.size()) {
        fail("The tag " + tag(element) + " is not closed with '>': the XHTML is not well-formed.");
        return;
      }
      if (s_[p_] == '>' || s_.substr(p_).starts_with("/>")) break;
      if (p_ == before) {
        fail("Attributes of " + tag(element) + " must be separated by spaces: the XHTML is not well-formed.");
        return;
      }
      const std::size_t attr_at = p_;
      const std::string_view attr = name();
      if (attr.empty()) {
        fail("A malformed attribute in " + tag(element) + ": the XHTML is not well-formed.");
        return;
      }
      skip_space();
      if (p_ >= s_.size() || s_[p_] != '=') {
        fail("The attribute " + std::string(attr) + " of " + tag(element) + " has no value: the XHTML is not well-formed.");
        return;
      }
      ++p_;
      skip_space();
      if (p_ >= s_.size() || (s_[p_] != '"' && s_[p_] != '\'')) {
        fail("The value of " + std::string(attr) + " on " + tag(element) + " is not quoted: the XHTML is not well-formed.");
        return;
      }
      const char quote = s_[p_++];
      const std::size_t value_at = p_;
      const std::size_t end = s_.find(quote, p_);
      if (end == std::string_view::npos) {
        fail("The value of " + std::string(attr) + " on " + tag(element) + " is not closed: the XHTML is not well-formed.");
        return;
      }
      const std::string_view value = s_.substr(value_at, end - value_at);
      if (value.find('<') != std::string_view::npos) {
        fail("An attribute value may not hold '<': the XHTML is not well-formed.");
        return;
      }
      // Entities in the value are checked as in text.
      for (p_ = value_at; p_ < end && problem_.what.empty();) {
        if (s_[p_] == '&') entity();
        else ++p_;
      }
      if (!problem_.what.empty()) return;
      p_ = end + 1;
      for (std::size_t i = 0; i < n_attrs_; ++i) {
        if (attrs_[i].view() == attr) {
          p_ = attr_at;
          fail("The attribute " + std::string(attr) + " appears twice on " + tag(element) + ": the XHTML is not well-formed.");
          return;
        }
      }
      if (n_attrs_ < kMaxAttributes) attrs_[n_attrs_++] = {attr.data(), attr.size()};
      p_ = attr_at;
      if (!attribute(element, attr, value)) return;
      p_ = end + 1;
      if (attr == "xmlns") has_namespace = true;
    }
    n_attrs_ = 0;
    if (root && !has_namespace) {
      p_ = at;
      fail("The narrative's <div> has no xmlns=\"http://www.w3.org/1999/xhtml\".");
      return;
    }
    if (s_[p_] == '/') {
      p_ += 2;
    } else {
      ++p_;
      if (depth_ == kMaxDepth) {
        fail("The narrative nests elements more than " + std::to_string(kMaxDepth) + " deep.");
        return;
      }
      stack_[depth_++] = {element.data(), element.size()};
    }
    if (root) seen_root_ = true;
  }

  bool attribute(std::string_view element, std::string_view attr, std::string_view value) {
    if (starts_with_nocase(attr, "on")) {
      fail("The event attribute " + std::string(attr) + " on " + tag(element) + " is not allowed in a narrative (no scripts).");
      return false;
    }
    if (attr.starts_with("xmlns:")) {
      fail("The namespace declaration " + std::string(attr) + " is not allowed: a narrative is XHTML only.");
      return false;
    }
    if (attr == "xmlns") {
      if (value != kXhtmlNamespace) {
        fail("xmlns on " + tag(element) + " is \"" + std::string(value) + "\", not http://www.w3.org/1999/xhtml.");
        return false;
      }
      return true;
    }
    if (!kAttributeSet.contains(attr) && !element_attribute(element, attr)) {
      fail("The attribute " + std::string(attr) + " is not allowed on " + tag(element) + " in a narrative (R4 narrative rules).");
      return false;
    }
    std::string_view v = value;
    while (!v.empty() && space(v.front())) v.remove_prefix(1);
    if (attr == "href" && (starts_with_nocase(v, "javascript:") || starts_with_nocase(v, "vbscript:") || starts_with_nocase(v, "data:"))) {
      fail("The link " + tag(element) + " href=\"" + std::string(value.substr(0, 40)) + "\" runs a script or carries content: not allowed in a narrative.");
      return false;
    }
    if (attr == "src" && !v.starts_with("#") && !starts_with_nocase(v, "data:image/")) {
      fail("The image " + tag(element) + " src=\"" + std::string(value.substr(0, 60)) +
           "\" points outside the resource: a narrative's images are contained (#id) or data:image/ URLs.");
      return false;
    }
    if (attr == "style" && (contains_nocase(v, "url(") || contains_nocase(v, "expression(") || contains_nocase(v, "@import"))) {
      fail("The style on " + tag(element) + " loads from outside or runs a script (url(), expression(), @import): not allowed in a narrative.");
      return false;
    }
    return true;
  }

  // At '&': a character or entity reference. The five XML entities and numeric references are
  // well-formed; any other name only the XHTML DTD defines (&nbsp;) is a warning.
  void entity() {
    const std::size_t at = p_;
    const std::size_t semi = s_.find(';', p_);
    if (semi == std::string_view::npos || semi - p_ > 32) {
      fail("A '&' that begins no entity reference: write it as &amp;.");
      return;
    }
    const std::string_view ref = s_.substr(p_ + 1, semi - p_ - 1);
    p_ = semi + 1;
    if (ref == "amp" || ref == "lt" || ref == "gt" || ref == "quot" || ref == "apos") return;
    if (!ref.empty() && ref[0] == '#') {
      const bool hex = ref.size() > 1 && (ref[1] == 'x');
      const std::string_view digits = ref.substr(hex ? 2 : 1);
      unsigned long code = 0;
      bool ok = !digits.empty() && digits.size() <= 8;
      for (char c : digits) {
        int d = -1;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (hex && lower(c) >= 'a' && lower(c) <= 'f') d = lower(c) - 'a' + 10;
        if (d < 0) ok = false;
        else code = code * (hex ? 16 : 10) + static_cast<unsigned long>(d);
      }
      const bool xml_char = code == 0x9 || code == 0xA || code == 0xD || (code >= 0x20 && code <= 0xD7FF) ||
                            (code >= 0xE000 && code <= 0xFFFD) || (code >= 0x10000 && code <= 0x10FFFF);
      if (!ok || !xml_char) {
        p_ = at;
        fail("&" + std::string(ref) + "; is not a character XML allows.");
      }
      return;
    }
    bool word = !ref.empty();
    for (char c : ref) word = word && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
    if (!word) {
      p_ = at;
      fail("A '&' that begins no entity reference: write it as &amp;.");
      return;
    }
    if (warning_.what.empty())
      warning_ = {"&" + std::string(ref) + "; is defined only by the XHTML DTD, not by XML: write the character itself or a numeric reference.",
                  false, at};
  }

  std::string_view s_;
  std::size_t p_ = 0;
  // Names as (pointer, size) pairs left uninitialised: a narrative is checked on every export,
  // and zeroing 1.3 kB of string_views cost more than the check of a short div.
  struct Name {
    const char* data;
    std::size_t size;
    std::string_view view() const { return {data, size}; }
  };
  static constexpr std::size_t kMaxDepth = 64;
  static constexpr std::size_t kMaxAttributes = 16;
  Name stack_[kMaxDepth];
  std::size_t depth_ = 0;
  Name attrs_[kMaxAttributes];
  std::size_t n_attrs_ = 0;
  bool seen_root_ = false;
  XhtmlProblem problem_;
  XhtmlProblem warning_;
};

}  // namespace

XhtmlProblem check_xhtml(std::string_view div) { return Checker(div).run(); }

void check_txt_1(const json::Value& narrative, const Path& at, Sink& sink) {
  const json::Value* div = fast::get(narrative, "div");
  if (div == nullptr || !div->is_string()) return;
  const std::string_view s = div->as_string();
  std::size_t p = 0;
  while (p < s.size() && space(s[p])) ++p;
  if (s.substr(p, 4) != "<div") return;  // the xhtml primitive check says so
  const XhtmlProblem problem = check_xhtml(s);
  if (problem.what.empty()) return;
  std::string what = "txt-1: " + problem.what + " (at byte " + std::to_string(problem.offset) + " of the div)";
  sink.add(problem.error ? Severity::Error : Severity::Warning, IssueType::Invariant, at + ".div", std::move(what),
           div->position(), "txt-1");
}

}  // namespace mfr::validate::detail
