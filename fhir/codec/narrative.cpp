#include "codec/narrative.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "codec/narrative_words.hpp"
#include "codec/provenance_codec.hpp"
#include "terminology/labels.hpp"

namespace mfr::codec::narrative {
namespace {

using terminology::Labels;

// The bytes append_escaped replaces: the five XML specials and the controls XML cannot hold.
constexpr std::array<bool, 256> kNeedsEscape = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = c != '\t' && c != '\n' && c != '\r';
  t['&'] = t['<'] = t['>'] = t['"'] = t['\''] = t[0x7f] = true;
  return t;
}();

// One thread's buffer for the div being built: reused, so a narrative costs no allocation of its
// own once it has grown, and the div is copied once, into the JSON value.
std::string& buffer() {
  thread_local std::string b;
  b.clear();
  if (b.capacity() < 1024) b.reserve(1024);
  return b;
}

void open_div(std::string& out, const Labels& labels) {
  out += "<div xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"";
  out += labels.language;
  out += "\" xml:lang=\"";
  out += labels.language;
  out += "\">";
}

json::Value text_element(std::string& div) {
  div += "</div>";
  json::Value text = json::Value::object();
  text.as_object().reserve(2);
  text.add("status", "generated");
  text.add("div", json::Value(std::string_view(div)));
  return text;
}

void append_number(std::string& out, long long n) {
  char digits[24];
  int i = 0;
  const bool negative = n < 0;
  unsigned long long u = negative ? 0ULL - static_cast<unsigned long long>(n) : static_cast<unsigned long long>(n);
  do {
    digits[i++] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u);
  if (negative) out += '-';
  while (i) out += digits[--i];
}

// "Label: ", escaped (the words are ours, but one rule for all text).
void label(std::string& out, std::string_view word) {
  append_escaped(out, word);
  out += ": ";
}

void site_name(std::string& out, const Labels& labels, const Site& site) {
  if (site.is_vertebra()) {
    append_escaped(out, terminology::level_label(labels, site.level));
  } else if (site.region == BodyRegion::Other) {
    append_escaped(out, site.region_text.empty() ? labels.regions[kBodyRegionCount - 1] : std::string_view(site.region_text));
  } else {
    append_escaped(out, labels.regions[static_cast<int>(site.region)]);
  }
}

// "moderate (2/3)" or "not graded".
void grade(std::string& out, const Labels& labels, const Finding& f) {
  if (!f.restriction) {
    append_escaped(out, labels.not_graded);
    return;
  }
  append_escaped(out, terminology::grade_label(labels, *f.restriction));
  out += " (";
  append_number(out, static_cast<int>(*f.restriction));
  out += "/3)";
}

// "pain 6/10" or "pain VAS 42.5 mm"; nothing when no pain was recorded.
bool pain(std::string& out, const Labels& labels, const Finding& f) {
  if (!f.pain_nrs && !f.pain_vas_mm) return false;
  append_escaped(out, labels.pain);
  out += ' ';
  if (f.pain_nrs) {
    append_number(out, *f.pain_nrs);
    out += "/10";
  } else {
    out += "VAS ";
    append_escaped(out, f.pain_vas_mm->text);
    out += " mm";
  }
  return true;
}

std::string_view tenderness(const Labels& labels, const NarrativeWords& words, const Finding& f) {
  if (!f.tender) return {};
  return *f.tender ? labels.tender : words.not_tender;
}

std::string_view release(const Labels& labels, const NarrativeWords& words, const Finding& f) {
  switch (f.released) {
    case ReleaseResponse::Released: return labels.released;
    case ReleaseResponse::Partial: return labels.partial;
    case ReleaseResponse::NotReleased: return words.not_released;
    case ReleaseResponse::Unknown: break;
  }
  return {};
}

// A finding in one line, for a cell of the session's table: "moderate (2/3), pain 6/10, tender".
void finding_summary(std::string& out, const Labels& labels, const NarrativeWords& words, const Finding& f) {
  grade(out, labels, f);
  out += ", ";
  if (!pain(out, labels, f)) out.resize(out.size() - 2);
  for (std::string_view w : {tenderness(labels, words, f), release(labels, words, f)}) {
    if (w.empty()) continue;
    out += ", ";
    append_escaped(out, w);
  }
}

// Where a site goes in the session's table: the spine top to bottom, then the regions.
struct SiteOrder {
  bool operator()(const Site& a, const Site& b) const {
    if (a.kind != b.kind) return a.is_vertebra();
    if (a.is_vertebra()) return a.level < b.level;
    if (a.region != b.region) return a.region < b.region;
    return a.region_text < b.region_text;
  }
};

bool same_place(const Site& a, const Site& b) {
  return a.kind == b.kind && (a.is_vertebra() ? a.level == b.level : a.region == b.region && a.region_text == b.region_text);
}

constexpr Side kSides[] = {Side::Left, Side::Midline, Side::Right};

void findings_table(std::string& out, const Labels& labels, const NarrativeWords& words, const Session& s) {
  if (s.findings.empty()) {
    out += "<p>";
    append_escaped(out, labels.no_findings);
    out += "</p>";
    return;
  }
  std::vector<const Finding*> rows;
  rows.reserve(s.findings.size());
  bool side_used[3] = {false, false, false};
  for (const Finding& f : s.findings) {
    rows.push_back(&f);
    side_used[f.site.side == Side::Left ? 0 : f.site.side == Side::Midline ? 1 : 2] = true;
  }
  // Stable: two findings at one site and side keep the session's order.
  std::stable_sort(rows.begin(), rows.end(), [](const Finding* a, const Finding* b) { return SiteOrder{}(a->site, b->site); });
  out += "<table><caption>";
  append_escaped(out, words.findings);
  out += "</caption><thead><tr><th>";
  append_escaped(out, words.site);
  out += "</th>";
  for (int i = 0; i < 3; ++i) {
    if (!side_used[i]) continue;
    out += "<th>";
    append_escaped(out, terminology::side_label(labels, kSides[i]));
    out += "</th>";
  }
  out += "</tr></thead><tbody>";
  for (std::size_t begin = 0; begin < rows.size();) {
    std::size_t end = begin + 1;
    while (end < rows.size() && same_place(rows[end]->site, rows[begin]->site)) ++end;
    out += "<tr><td>";
    site_name(out, labels, rows[begin]->site);
    out += "</td>";
    for (int i = 0; i < 3; ++i) {
      if (!side_used[i]) continue;
      out += "<td>";
      bool first = true;
      for (std::size_t k = begin; k < end; ++k) {
        if (rows[k]->site.side != kSides[i]) continue;
        if (!first) out += "; ";
        first = false;
        finding_summary(out, labels, words, *rows[k]);
      }
      out += "</td>";
    }
    out += "</tr>";
    begin = end;
  }
  out += "</tbody></table>";
}

}  // namespace

void append_escaped(std::string& out, std::string_view text) {
  std::size_t plain = 0;  // start of the run not yet copied
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (!kNeedsEscape[c]) continue;
    std::string_view entity = " ";  // XML 1.0 has no place for the other C0 controls, not even as references
    switch (c) {
      case '&': entity = "&amp;"; break;
      case '<': entity = "&lt;"; break;
      case '>': entity = "&gt;"; break;
      case '"': entity = "&quot;"; break;
      case '\'': entity = "&#39;"; break;
      default: break;
    }
    out.append(text.substr(plain, i - plain));
    out += entity;
    plain = i + 1;
  }
  out.append(text.substr(plain));
}

json::Value finding(const Finding& f, std::string_view language) {
  const Labels& labels = terminology::labels_for(language);
  const NarrativeWords& words = narrative_words(language);
  std::string& out = buffer();
  open_div(out, labels);
  out += "<p><b>";
  append_escaped(out, words.finding_title);
  out += "</b>: ";
  site_name(out, labels, f.site);
  out += ", ";
  append_escaped(out, terminology::side_label(labels, f.site.side));
  // The finding's values in one paragraph, not a list: as short to read, and a third of the tags
  // to write and to check on every export.
  out += "</p><p>";
  label(out, labels.restriction);
  grade(out, labels, f);
  const std::size_t before = out.size();
  out += "; ";
  if (!pain(out, labels, f)) out.resize(before);
  for (std::string_view w : {tenderness(labels, words, f), release(labels, words, f)}) {
    if (w.empty()) continue;
    out += "; ";
    append_escaped(out, w);
  }
  if (f.status != FindingStatus::Final) {
    out += "; ";
    label(out, words.status);
    out += status_code(f.status);
  }
  if (!f.note.empty()) {
    out += "; ";
    label(out, words.note);
    append_escaped(out, f.note);
  }
  out += "</p>";
  return text_element(out);
}

json::Value session(const Session& s, std::string_view language) {
  const Labels& labels = terminology::labels_for(language);
  const NarrativeWords& words = narrative_words(language);
  std::string& out = buffer();
  open_div(out, labels);
  out += "<p><b>";
  append_escaped(out, words.session_title);
  out += "</b>: ";
  if (!s.start.empty()) append_escaped(out, s.start.text());
  else append_escaped(out, words.unknown_date);
  if (s.end) {
    out += " \xE2\x80\x93 ";  // en dash
    append_escaped(out, s.end->text());
  }
  out += "</p>";
  if (s.status != SessionStatus::Completed) {
    out += "<p>";
    label(out, words.status);
    out += status_code(s.status);
    out += "</p>";
  }
  if (!s.practitioner.empty()) {
    out += "<p>";
    label(out, words.practitioner);
    append_escaped(out, s.practitioner);
    out += "</p>";
  }
  if (!s.regions.empty()) {
    out += "<p>";
    label(out, words.regions);
    for (std::size_t i = 0; i < s.regions.size(); ++i) {
      if (i) out += ", ";
      append_escaped(out, labels.regions[static_cast<int>(s.regions[i])]);
    }
    out += "</p>";
  }
  findings_table(out, labels, words, s);
  if (s.session_number || s.planned_sessions) {
    out += "<p>";
    label(out, words.plan);
    if (s.session_number) {
      append_escaped(out, labels.session);
      out += ' ';
      append_number(out, *s.session_number);
      if (s.planned_sessions) {
        out += ' ';
        append_escaped(out, words.of);
        out += ' ';
        append_number(out, *s.planned_sessions);
      }
    } else {
      append_number(out, *s.planned_sessions);
      out += ' ';
      append_escaped(out, words.planned);
    }
    out += "</p>";
  }
  if (!s.note.empty()) {
    out += "<p>";
    label(out, words.note);
    append_escaped(out, s.note);
    out += "</p>";
  }
  return text_element(out);
}

json::Value document(const LegacySource& source, std::string_view language) {
  const Labels& labels = terminology::labels_for(language);
  const NarrativeWords& words = narrative_words(language);
  std::string& out = buffer();
  open_div(out, labels);
  out += "<p><b>";
  append_escaped(out, words.document_title);
  out += "</b></p><ul>";
  if (!source.origin.empty()) {
    out += "<li>";
    label(out, words.origin);
    append_escaped(out, source.origin);
    out += "</li>";
  }
  out += "<li>";
  label(out, words.size);
  append_number(out, static_cast<long long>(source.text.size()));
  out += ' ';
  append_escaped(out, words.bytes);
  out += "</li></ul><p>";
  append_escaped(out, words.text_not_shown);
  out += "</p>";
  return text_element(out);
}

json::Value provenance(std::span<const std::string> targets, std::string_view document, const ProvenanceInfo& info,
                       std::string_view language) {
  const Labels& labels = terminology::labels_for(language);
  const NarrativeWords& words = narrative_words(language);
  std::string& out = buffer();
  open_div(out, labels);
  out += "<p><b>";
  append_escaped(out, words.provenance_title);
  out += "</b></p><p>";
  append_escaped(out, words.imported_by);
  out += ' ';
  append_escaped(out, info.agent);
  out += ' ';
  append_escaped(out, words.from);
  out += ' ';
  append_escaped(out, info.from_hl7v2 ? words.hl7v2_message : words.text_note);
  if (!document.empty()) {
    out += " (";
    append_escaped(out, document);
    out += ')';
  }
  out += ".</p><p>";
  label(out, words.recorded);
  append_escaped(out, info.recorded);
  out += "</p><p>";
  label(out, words.resources);
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (i) out += ", ";
    append_escaped(out, targets[i]);
  }
  out += "</p>";
  return text_element(out);
}

}  // namespace mfr::codec::narrative
