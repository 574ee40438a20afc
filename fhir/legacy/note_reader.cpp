#include "legacy/note_reader.hpp"

#include "legacy/note/fold.hpp"
#include "legacy/note/lexicon.hpp"
#include "legacy/note/segment.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <unordered_map>

namespace mfr::legacy {
namespace {

using note::Lex;
using note::LexEntry;
using note::kSacrumValue;

enum class SideMark : std::uint8_t { None, Left, Right, Both, LeftWorse, RightWorse };

// Words a misspelling is checked against (one edit away, same first letter, 6+ letters).
constexpr std::array<std::string_view, 22> kTypoTargets = {
    "restriction", "restricted", "moderate",  "marked",     "released", "bilateral", "interscapular", "tenderness",
    "trapezius",   "thoracic",   "cervical",  "partial",    "persistent", "softened", "minimal",      "slightly",
    "kneading",    "unchanged",  "tightness", "acupuncture", "scapular", "lumbar"};

bool one_edit_apart(std::string_view a, std::string_view b) noexcept {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  std::size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (i == a.size()) return true;
  if (a.size() == b.size()) {
    if (a.substr(i + 1) == b.substr(i + 1)) return true;  // substitution
    return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] && a.substr(i + 2) == b.substr(i + 2);
  }
  return a.substr(i) == b.substr(i + 1);  // insertion
}

LexEntry lookup_or_typo(std::string_view lw, note::Lang lang) {
  const LexEntry found = note::lookup(lw, lang);
  if (found.kind != Lex::None || found.starter) return found;
  if (lw.size() >= 6) {
    for (auto target : kTypoTargets) {
      if (target[0] == lw[0] && one_edit_apart(lw, target)) {
        LexEntry e = note::lookup(target, note::Lang::En);
        e.starter = false;  // a misspelt word is taken for itself only
        return e;
      }
    }
  }
  return {};
}

// "C7" -> 6, "D11" / "Th11" -> T11, "S1" -> sacrum. `bad` set for "T13", "C8", "L6".
std::optional<int> level_index(std::string_view lw, bool& bad) noexcept {
  bad = false;
  const bool th = lw.size() >= 3 && lw[0] == 't' && lw[1] == 'h';  // German "Th5"
  const std::size_t digits_at = th ? 2 : 1;
  if (lw.size() < digits_at + 1 || lw.size() > digits_at + 2) return std::nullopt;
  const char p = lw[0];
  if (p != 'c' && p != 't' && p != 'd' && p != 'l' && p != 's') return std::nullopt;
  int n = 0;
  for (std::size_t i = digits_at; i < lw.size(); ++i) {
    if (lw[i] < '0' || lw[i] > '9') return std::nullopt;
    n = n * 10 + (lw[i] - '0');
  }
  int lo = 1, hi = 0, base = 0;
  switch (p) {
    case 'c': hi = 7; base = 0; break;
    case 't': case 'd': hi = 12; base = 7; break;
    case 'l': hi = 5; base = 19; break;
    default: hi = 5; base = 24; break;  // S1..S5 are the sacrum
  }
  if (n < lo || n > hi) { bad = true; return std::nullopt; }
  return p == 's' ? 24 : base + n - 1;
}

// The letter a level is counted from: "Th5" and "D5" count as "T5".
char level_prefix(std::string_view lw) noexcept { return lw[0] == 'd' ? 't' : lw[0]; }

int level_base(char p) noexcept { return p == 'c' ? 0 : (p == 't' || p == 'd') ? 7 : p == 'l' ? 19 : 24; }
int level_max(char p) noexcept { return p == 'c' ? 7 : (p == 't' || p == 'd') ? 12 : 5; }

BodyRegion region_of_level(int index) noexcept {
  if (index < 7) return BodyRegion::CervicalSpine;
  if (index < 19) return BodyRegion::ThoracicSpine;
  if (index < 24) return BodyRegion::LumbarSpine;
  return BodyRegion::Sacrum;
}

// ---------------------------------------------------------------- what a clause holds

struct Attrs {
  std::optional<RestrictionGrade> grade;
  bool restricted = false;
  std::optional<int> pain;
  std::string_view vas;
  std::optional<bool> tender;
  ReleaseResponse release = ReleaseResponse::Unknown;
  std::uint32_t begin = UINT32_MAX, end = 0;

  bool any() const noexcept {
    return grade || restricted || pain || !vas.empty() || tender || release != ReleaseResponse::Unknown;
  }
  void cover(std::uint32_t b, std::uint32_t e) noexcept {
    begin = std::min(begin, b);
    end = std::max(end, e);
  }
};

enum class ItemKind : std::uint8_t { Site, Foreign, Side, Attr, Comma, Connector, Break };  // Break: ":" "(" ")"

struct Item {
  ItemKind kind = ItemKind::Attr;
  std::uint32_t begin = 0, end = 0;
  bool vertebra = false;
  std::uint8_t lo = 0, hi = 0;  // level range when vertebra
  BodyRegion region = BodyRegion::Other;
  SideMark side = SideMark::None;
  bool side_header = false;  // "Left:" sets the side of the rest of the clause
  Attrs attr;
};

struct Entry {
  std::size_t item = 0;
  SideMark side = SideMark::None;
};

struct Group {
  std::size_t first = 0, count = 0;  // entries
  bool foreign = false;
  bool heading = false;  // "lumbar spine:" before the sites it introduces; never a finding itself
  SideMark side = SideMark::None;
  Attrs attrs;
  std::uint32_t begin = UINT32_MAX, end = 0;
};

using Section = note::SectionKind;

struct Clause {
  std::vector<Item> items;
  std::vector<Entry> entries;
  std::vector<Group> groups;
  bool therapy = false;
  bool reported = false;  // "Pt reports 8/10 pain in lumbar spine": the patient's words, not palpation
  bool overall = false;   // "Pain 3/10 overall": about the patient, not a site
  bool technique = false;  // names what was done ("skin rolling T3-T6"): a bare site is where
  bool plan = false;       // holds a plan word ("review T4 in 1/52")
  Section section = Section::None;
  std::size_t begin = SIZE_MAX;  // where the clause's text starts
  void clear() {
    begin = SIZE_MAX;
    items.clear();
    entries.clear();
    groups.clear();
    therapy = false;
    reported = false;
    overall = false;
    technique = false;
    plan = false;
  }
};

// ---------------------------------------------------------------- the reader

class Reader {
 public:
  Reader(std::string_view text, const NoteOptions& options, std::vector<Token>& tokens, NoteResult& out)
      : text_(text), options_(options), toks_(tokens), out_(out) {}

  void run();
  struct Cell {
    std::size_t first = 0, last = 0;  // tokens
    int col = 0;                       // display column of the first token
    bool closed = false;               // a '|' ended it
  };
  struct Grid {
    int left = -1, right = -1, pain = -1;  // header columns
    bool active = false;
  };
  Grid grid_;
  std::vector<Cell> cells_;
  void cells_of(std::size_t i, std::size_t end, std::vector<Cell>& cells) const;
  std::size_t line_start_offset(std::size_t i) const;
  bool grid_header(std::size_t i, std::size_t end);
  bool grid_row(std::size_t i, std::size_t end);
  // A line break inside a sentence of prose ("a dense, marked\nrestriction of ..."): the line is
  // long, does not end a sentence, and the next line goes on in lower case.
  bool soft_wrap(std::size_t line_begin, std::size_t nl) const {
    if (nl == line_begin || nl + 1 >= n() || toks_[nl].blank) return false;
    if (tok_end(nl - 1) - toks_[line_begin].offset < 60) return false;
    const Token& last = toks_[nl - 1];
    if (last.kind == TokenKind::Punct && (last.punct == '.' || last.punct == ';' || last.punct == ':')) return false;
    const Token& next = toks_[nl + 1];
    if (next.kind != TokenKind::Word) return false;
    const char c = text_[next.offset];
    return c >= 'a' && c <= 'z';
  }
  note::Lang detect_language() const;

 private:
  std::string_view text_;
  const NoteOptions& options_;
  std::vector<Token>& toks_;
  NoteResult& out_;
  Section section_ = Section::None;
  Clause cur_, prev_;
  bool have_prev_ = false;
  bool header_date_ = false;
  std::optional<DateReading> first_date_;
  std::size_t first_date_offset_ = 0;
  std::string plan_text_;
  std::string plan_candidates_;
  bool clause_plan_marker_ = false;
  std::size_t clause_begin_ = 0;
  std::size_t paragraph_start_ = 0;  // first finding of the current paragraph
  note::Lang lang_ = note::Lang::En;

  // token helpers
  std::size_t n() const noexcept { return toks_.size(); }
  std::string_view tok_text(std::size_t i) const noexcept { return text_.substr(toks_[i].offset, toks_[i].length); }
  std::uint32_t tok_end(std::size_t i) const noexcept { return toks_[i].offset + toks_[i].length; }
  bool is_punct(std::size_t i, char c) const noexcept {
    return i < n() && toks_[i].kind == TokenKind::Punct && toks_[i].punct == c;
  }
  bool is_word(std::size_t i) const noexcept { return i < n() && toks_[i].kind == TokenKind::Word; }
  bool is_number(std::size_t i) const noexcept { return i < n() && toks_[i].kind == TokenKind::Number; }
  bool is_dash(std::size_t i) const noexcept { return i < n() && toks_[i].kind == TokenKind::Dash; }
  std::string_view lower(std::size_t i, char* buf) const noexcept {
    return i < n() ? note::fold_word(tok_text(i), buf, 32) : std::string_view{};
  }
  LexEntry lex(std::string_view folded) const { return lookup_or_typo(folded, lang_); }
  bool word_is(std::size_t i, std::string_view w) const noexcept {
    if (!is_word(i) || toks_[i].length != w.size()) return false;
    char buf[32];
    return lower(i, buf) == w;
  }
  int number_value(std::size_t i) const noexcept {
    if (!is_number(i) || toks_[i].length > 6) return -1;
    int v = 0;
    for (char c : tok_text(i)) v = v * 10 + (c - '0');
    return v;
  }
  void warn(std::string message, std::size_t offset) { out_.warnings.push_back({std::move(message), offset}); }

  std::size_t line_end(std::size_t i) const noexcept {
    while (i < n() && toks_[i].kind != TokenKind::Newline) ++i;
    return i;
  }
  std::string_view span_text(std::size_t from_tok, std::size_t to_tok) const noexcept {
    if (from_tok >= to_tok) return {};
    return text_.substr(toks_[from_tok].offset, tok_end(to_tok - 1) - toks_[from_tok].offset);
  }

  std::size_t header_line(std::size_t i, std::size_t end);
  // True when a word just before the date at token i makes it a date of birth, a next
  // appointment or a referral date, not the visit's (note/segment.hpp).
  bool other_date(std::size_t i) const {
    char buf[32];
    for (std::size_t k = i, seen = 0; k > 0 && seen < 4; ++seen) {
      --k;
      if (toks_[k].kind == TokenKind::Newline) break;
      if (is_word(k) && note::is_other_date_word(lower(k, buf))) return true;
    }
    return false;
  }
  std::size_t try_date(std::size_t i, std::optional<DateReading>& reading);
  void note_date(const DateReading& reading, std::size_t offset, bool from_header);
  std::size_t scan_token(std::size_t i);
  std::size_t scan_word(std::size_t i);
  bool match_phrase(std::size_t i, LexEntry& entry, std::size_t& last) const;
  std::size_t apply_entry(const LexEntry& e, std::size_t i, std::size_t last);
  std::size_t scan_negation(std::size_t i);
  std::size_t scan_pain(std::size_t i, std::size_t last, const LexEntry& e);
  std::size_t scan_level(std::size_t i, int lo, char prefix, std::size_t from = SIZE_MAX);
  std::size_t scan_plan_count(std::size_t i);
  void push_attr(std::uint32_t b, std::uint32_t e, Attrs a) {
    a.cover(b, e);
    Item it;
    it.kind = ItemKind::Attr;
    it.begin = b;
    it.end = e;
    it.attr = a;
    cur_.items.push_back(it);
  }
  void push_region(std::size_t from, std::size_t to, std::uint8_t value) {
    Item it;
    it.begin = toks_[from].offset;
    it.end = tok_end(to);
    if (value == kSacrumValue) {
      it.kind = ItemKind::Site;
      it.vertebra = true;
      it.lo = it.hi = 24;
    } else {
      it.kind = ItemKind::Site;
      it.region = static_cast<BodyRegion>(value);
    }
    cur_.items.push_back(it);
  }
  void push_simple(ItemKind kind, std::size_t from, std::size_t to) {
    Item it;
    it.kind = kind;
    it.begin = toks_[from].offset;
    it.end = tok_end(to);
    cur_.items.push_back(it);
  }

  void end_clause(std::size_t end_offset);
  void build_groups(Clause& c);
  void absorb(Attrs& into, const Attrs& a);
  void flush_prev();
  void emit(const Clause& c);
  void check_understood(const Clause& c);
  std::size_t clause_start_of(const Clause& c) const { return c.begin; }
  void add_finding(Finding f);
  void merge_into(Finding& into, const Finding& f);
};

void Reader::absorb(Attrs& into, const Attrs& a) {
  if (a.grade) {
    if (into.grade && *into.grade != *a.grade) {
      warn("conflicting restriction grades (" + std::string(grade_name(*into.grade)) + " and " +
               std::string(grade_name(*a.grade)) + "); kept " + std::string(grade_name(*into.grade)),
           a.begin == UINT32_MAX ? 0 : a.begin);
    } else {
      into.grade = a.grade;
    }
  }
  into.restricted = into.restricted || a.restricted;
  if (a.pain && !into.pain) into.pain = a.pain;
  if (!a.vas.empty() && into.vas.empty()) into.vas = a.vas;
  if (a.tender && !into.tender) into.tender = a.tender;
  if (a.release != ReleaseResponse::Unknown) {
    // "partial release" arrives as two words; the more specific one wins.
    if (into.release == ReleaseResponse::Unknown || a.release == ReleaseResponse::Partial ||
        a.release == ReleaseResponse::NotReleased)
      into.release = a.release;
  }
  if (a.begin != UINT32_MAX) into.cover(a.begin, a.end);
}

// Header lines: "Patient: …", "MRN: 123", "Therapist: …", "Date: …", "=== 2019-03-04 ===",
// and section heads "S:", "Objective:". Returns the token where content starts (i when the line
// is content), or `end` when the whole line was a header.
std::size_t Reader::header_line(std::size_t i, std::size_t end) {
  if (i >= end) return i;
  // A line made of '=' / '-' / '#' decorations around a date is a note header.
  auto decoration = [&](std::size_t k) { return is_punct(k, '=') || is_punct(k, '#') || is_punct(k, '*') || is_dash(k); };
  if (decoration(i) && decoration(i + 1) && decoration(i + 2) && i + 2 < end) {  // "===", not a "- " bullet
    std::size_t j = i;
    while (j < end && decoration(j)) ++j;
    std::optional<DateReading> d;
    if (j < end) {
      const std::size_t k = try_date(j, d);
      if (d) note_date(*d, toks_[j].offset, true);
      (void)k;
    }
    return end;
  }
  // key words before a ':' (at most 5 words): "Objective:", "Conduite à tenir :", "Befund Kibler-Falte:"
  std::size_t colon = end;
  std::size_t key_stop = end;  // "Findings (skin rolling, prone):" — the words before '('
  for (std::size_t j = i; j < end && j < i + 8; ++j) {
    if (is_punct(j, ':')) { colon = j; break; }
    if (is_punct(j, '(') && j > i) {
      std::size_t k = j + 1;
      while (k < end && k < j + 12 && !is_punct(k, ')')) ++k;
      if (is_punct(k, ')') && is_punct(k + 1, ':')) {
        key_stop = j;
        colon = k + 1;
      }
      break;
    }
    if (!is_word(j) && !is_punct(j, '/') && !is_punct(j, '.') && !is_dash(j)) break;
  }
  std::string key;
  const std::size_t key_end = colon == end ? std::min(end, i + 1) : std::min(colon, key_stop);
  for (std::size_t j = i; j < key_end; ++j) {
    char buf[32];
    if (is_punct(j, '.')) continue;
    if (!key.empty() && toks_[j].space_before) key += ' ';
    key += is_dash(j) ? std::string_view("-") : lower(j, buf);
  }
  LexEntry head = note::lookup_heading(key, lang_);
  if (head.kind == Lex::None && colon != end) {
    // "Befund Kibler-Falte:", "Examen au palper-rouler :": the first word names the section
    const std::size_t sp = key.find_first_of(" -");
    if (sp != std::string::npos) {
      const LexEntry first = note::lookup_heading(std::string_view(key).substr(0, sp), lang_);
      if (first.kind == Lex::Section) head = first;
    }
  }
  auto rest = [&](std::size_t from) {
    std::string_view s = span_text(from, end);
    while (!s.empty() && (s.front() == ' ' || s.front() == ',')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == ',' || s.back() == '.')) s.remove_suffix(1);
    return s;
  };
  auto first_chunk = [&](std::size_t from) {
    // An identifier: the tokens up to the next space.
    std::size_t j = from;
    while (j < end && (is_punct(j, ':') || is_punct(j, '#'))) ++j;
    if (j >= end) return std::string_view{};
    std::size_t k = j + 1;
    while (k < end && !toks_[k].space_before && !is_punct(k, ',') && !is_punct(k, ')') && !is_punct(k, ';')) ++k;
    return span_text(j, k);
  };
  const bool is_id_key = head.kind == Lex::IdKey;
  if (is_id_key && (colon != end || key == "mrn")) {
    out_.patient_identifier = std::string(first_chunk(colon != end ? colon + 1 : key_end));
    return end;
  }
  if (colon == end) return i;
  if (head.kind == Lex::PatientKey) {
    // "Patient: Jane Doe (MRN 12345)" carries the identifier too.
    std::size_t name_end = end;
    for (std::size_t j = colon + 1; j < end; ++j) {
      char buf[32];
      const auto w = lower(j, buf);
      if (is_word(j) && (w == "mrn" || w == "id" || w == "dob" || w == "nhs")) {
        name_end = j;
        if (w != "dob" && out_.patient_identifier.empty())
          out_.patient_identifier = std::string(first_chunk(j + 1));
        break;
      }
    }
    std::string_view name = rest(colon + 1);
    if (name_end != end) name = span_text(colon + 1, name_end);
    while (!name.empty() && (name.back() == ' ' || name.back() == '(' || name.back() == ',' || name.back() == '-'))
      name.remove_suffix(1);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    out_.patient_name = std::string(name);
    return end;
  }
  if (head.kind == Lex::PractitionerKey) {
    out_.practitioner_name = std::string(rest(colon + 1));
    return end;
  }
  if (head.kind == Lex::DateKey) {
    std::optional<DateReading> d;
    for (std::size_t j = colon + 1; j < end && !d; ++j) try_date(j, d);
    if (d) note_date(*d, toks_[colon + 1 < end ? colon + 1 : colon].offset, true);
    else warn("the date line could not be read as a date", toks_[i].offset);
    return end;
  }
  const Section s = head.kind == Lex::Section ? static_cast<Section>(head.value) : Section::None;
  if (s != Section::None) {
    end_clause(toks_[i].offset);
    flush_prev();
    paragraph_start_ = out_.session.findings.size();
    section_ = s;
    cur_.section = s;
    if (s == Section::Plan) {
      const auto r = rest(colon + 1);
      if (!r.empty()) {
        if (!plan_text_.empty()) plan_text_ += "; ";
        plan_text_ += r;
      }
    }
    return colon + 1;
  }
  return i;
}

// Recognises a date starting at token i; returns the token after it (i when none).
std::size_t Reader::try_date(std::size_t i, std::optional<DateReading>& reading) {
  auto read = [&](std::size_t from, std::size_t to) -> std::size_t {
    // French and German notes write slashed dates day first ("14/03/2023").
    const bool european = lang_ != note::Lang::En;
    auto d = read_legacy_date(span_text(from, to), european ? DateOrder::DayFirst : options_.date_order);
    if (d && european) d->doubt.clear();
    if (!d) return from;
    reading = std::move(d);
    return to;
  };
  if (is_number(i)) {
    // 04/03/2019, 04.03.19, 2019-03-04, 04-03-2019
    const bool slash = is_punct(i + 1, '/') && is_punct(i + 3, '/');
    const bool dot = is_punct(i + 1, '.') && is_punct(i + 3, '.');
    const bool dash = is_dash(i + 1) && is_dash(i + 3);
    if ((slash || dot || dash) && is_number(i + 2) && is_number(i + 4) && !toks_[i + 1].space_before &&
        !toks_[i + 2].space_before && !toks_[i + 3].space_before && !toks_[i + 4].space_before) {
      const auto len = toks_[i + 4].length;
      if (len == 2 || len == 4) return read(i, i + 5);
    }
    // 17-Jul-2019, 17/Jul/2019
    if ((is_dash(i + 1) || is_punct(i + 1, '/') || is_punct(i + 1, '.')) && is_word(i + 2) &&
        month_from_name(tok_text(i + 2)) != 0 && (is_dash(i + 3) || is_punct(i + 3, '/') || is_punct(i + 3, '.')) &&
        is_number(i + 4) && !toks_[i + 1].space_before && !toks_[i + 4].space_before)
      if (const std::size_t after = read(i, i + 5); after != i) return after;
    // 4 Mar 2019, 4th March 2019, 3. April 2023, 1er mars 2019
    std::size_t j = i + 1;
    if (is_punct(j, '.') && toks_[j + 1 < n() ? j + 1 : j].space_before) ++j;
    if (is_word(j) && !toks_[j].space_before &&
        (word_is(j, "st") || word_is(j, "nd") || word_is(j, "rd") || word_is(j, "th") || word_is(j, "er")))
      ++j;
    if (is_word(j) && toks_[i].length <= 2 && month_from_name(tok_text(j)) != 0) {
      std::size_t k = j + 1;
      if (is_punct(k, '.') || is_punct(k, ',')) ++k;
      if (is_number(k) && (toks_[k].length == 4 || toks_[k].length == 2)) return read(i, k + 1);
    }
    return i;
  }
  if (is_word(i) && toks_[i].length >= 3 && month_from_name(tok_text(i)) != 0) {
    std::size_t j = i + 1;
    if (is_punct(j, '.')) ++j;
    if (is_number(j) && toks_[j].length <= 2) {
      std::size_t k = j + 1;
      if (is_word(k) && !toks_[k].space_before &&
          (word_is(k, "st") || word_is(k, "nd") || word_is(k, "rd") || word_is(k, "th")))
        ++k;
      if (is_punct(k, ',')) ++k;
      if (is_number(k) && toks_[k].length == 4) return read(i, k + 1);
    }
  }
  return i;
}

void Reader::note_date(const DateReading& reading, std::size_t offset, bool from_header) {
  if (!reading.doubt.empty()) warn(reading.doubt, offset);
  if (first_date_ && (header_date_ || !from_header)) return;
  first_date_ = reading;
  first_date_offset_ = offset;
  header_date_ = from_header;
}

// "3 more sessions", "weekly x3", "x 3 sessions": sets planned_sessions.
std::size_t Reader::scan_plan_count(std::size_t i) {
  char buf[32];
  auto near_schedule = [&](std::size_t at) {
    const std::size_t from = at >= 3 ? at - 3 : 0;
    for (std::size_t j = from; j < n() && j <= at + 3; ++j) {
      if (toks_[j].kind == TokenKind::Newline) continue;
      if (!is_word(j)) {
        if (is_punct(j, '/') && number_value(j + 1) == 52) return true;
        continue;
      }
      const auto e = lex(lower(j, buf));
      if (e.kind == Lex::Schedule || e.kind == Lex::SessionWord) return true;
    }
    return false;
  };
  const auto w = lower(i, buf);
  int count = -1;
  std::size_t next = i + 1;
  if (w.size() >= 2 && w[0] == 'x' && w.find_first_not_of("0123456789", 1) == std::string_view::npos) {
    count = std::atoi(std::string(w.substr(1)).c_str());
  } else if (w == "x" && is_number(i + 1)) {
    count = number_value(i + 1);
    next = i + 2;
  }
  if (count > 0 && count <= 52 && near_schedule(i)) out_.session.planned_sessions = count;
  return next;
}

// A level and the range or segment it may open: T3-T6, T3–6, T3 to T6, C7-T2, L4/5, L5/S1,
// "D7 à D12", "Th4 bis Th6", "T8 through T11". `from` is where the mention starts when it is not
// token i ("T 4").
std::size_t Reader::scan_level(std::size_t i, int lo, char prefix, std::size_t from) {
  int hi = lo;
  std::size_t next = i + 1;
  std::size_t j = i + 1;
  char buf[32];
  if (word_is(j, "up") && word_is(j + 1, "to")) ++j;  // "from T6 up to T3"
  const bool range_word = is_word(j) && (word_is(j, "to") || word_is(j, "through") || word_is(j, "thru") ||
                                         word_is(j, "bis") || word_is(j, "until") || lower(j, buf) == "a" ||
                                         word_is(j, "au"));
  if (is_dash(j) || (is_punct(j, '/') && !toks_[j].space_before) || range_word) {
    std::size_t k = j + 1;
    bool bad = false;
    if (is_word(k) && is_number(k + 1) && toks_[k + 1].space_before &&
        (word_is(k, "t") || word_is(k, "th") || word_is(k, "d") || word_is(k, "c"))) {
      // "T 4 -T 6": a level letter and its number apart
      const int v = number_value(k + 1);
      const char p = word_is(k, "c") ? 'c' : 't';
      if (v >= 1 && v <= level_max(p)) {
        hi = level_base(p) + v - 1;
        next = k + 2;
      }
    } else if (is_word(k)) {
      if (auto idx = level_index(lower(k, buf), bad)) {
        hi = *idx;
        next = k + 1;
      } else if (bad) {
        warn("unknown spinal level '" + std::string(tok_text(k)) + "'", toks_[k].offset);
        next = k + 1;
      }
    } else if (is_number(k) && !(is_punct(k + 1, '/') && number_value(k + 2) == 10) && !range_word) {
      const int v = number_value(k);
      if (v >= 1 && v <= level_max(prefix) && prefix != 's') {
        hi = level_base(prefix) + v - 1;
        next = k + 1;
      } else {
        warn("unknown spinal level '" + std::string(1, static_cast<char>(prefix - 32)) +
                 std::string(tok_text(k)) + "' in a range",
             toks_[k].offset);
        next = k + 1;
      }
    }
  }
  Item it;
  it.kind = ItemKind::Site;
  it.vertebra = true;
  it.lo = static_cast<std::uint8_t>(std::min(lo, hi));
  it.hi = static_cast<std::uint8_t>(std::max(lo, hi));
  it.begin = toks_[from == SIZE_MAX ? i : from].offset;
  it.end = tok_end(next - 1);
  cur_.items.push_back(it);
  return next;
}

// Reads what starts at token i into items of the current clause; returns the next token.
std::size_t Reader::scan_token(std::size_t i) {
  const Token& t = toks_[i];
  char buf[32];
  switch (t.kind) {
    case TokenKind::Newline:
      end_clause(t.offset);
      return i + 1;
    case TokenKind::Dash: {
      // A lone '-' as the value after "site:" or a side means negative: "Interscapular: -", "R -".
      const bool value_end = i + 1 >= n() || toks_[i + 1].kind == TokenKind::Newline || is_punct(i + 1, ',') ||
                             is_punct(i + 1, ';');
      char buf2[32];
      const bool after_key = i > 0 && (is_punct(i - 1, ':') || (is_word(i - 1) && lex(lower(i - 1, buf2)).kind == Lex::Side));
      if (value_end && after_key && t.space_before) {
        Attrs a;
        a.grade = RestrictionGrade::None;
        push_attr(t.offset, tok_end(i), a);
      }
      return i + 1;
    }
    case TokenKind::Punct: {
      const char c = t.punct;
      if (c == '.' ) {
        // "6.5" or an abbreviation dot before a lower-case word ("Lt. mid") does not end a clause.
        if (is_number(i + 1) && !toks_[i + 1].space_before) return i + 1;
        if (i > 0 && is_word(i - 1) && toks_[i - 1].length <= 3 && !t.space_before && is_word(i + 1) &&
            tok_text(i + 1)[0] >= 'a' && tok_text(i + 1)[0] <= 'z')
          return i + 1;
        end_clause(tok_end(i));
        return i + 1;
      }
      if (c == ';' || c == '!' || c == '?') { end_clause(tok_end(i)); return i + 1; }
      if (c == ',') { push_simple(ItemKind::Comma, i, i); return i + 1; }
      if (c == ':' || c == '(' || c == ')') { push_simple(ItemKind::Break, i, i); return i + 1; }
      if (c == '&') { push_simple(ItemKind::Connector, i, i); return i + 1; }
      if (c == '+') {
        std::size_t j = i;
        while (is_punct(j + 1, '+') && !toks_[j + 1].space_before) ++j;
        const int count = static_cast<int>(j - i + 1);
        if (count == 1 && is_word(j + 1)) {
          // A lone '+' before anything but a side joins ("T4 + T5", "rolling + kneading").
          if (lex(lower(j + 1, buf)).kind != Lex::Side) {
            push_simple(ItemKind::Connector, i, j);
            return j + 1;
          }
        }
        if (count <= 3) {
          Attrs a;
          a.grade = static_cast<RestrictionGrade>(count);
          push_attr(t.offset, tok_end(j), a);
        }
        return j + 1;
      }
      return i + 1;
    }
    case TokenKind::Number: {
      std::optional<DateReading> d;
      if (const std::size_t after = try_date(i, d); after != i) {
        if (!other_date(i)) note_date(*d, t.offset, false);
        return after;
      }
      if (is_punct(i + 1, '/') && is_number(i + 2)) {
        const int num = number_value(i), den = number_value(i + 2);
        if (den == 10 && num >= 0 && num <= 10) {
          Attrs a;
          a.pain = num;
          push_attr(t.offset, tok_end(i + 2), a);
        } else if (den == 10) {
          warn("pain score '" + std::string(span_text(i, i + 3)) + "' is out of range and was not read", t.offset);
        } else if (den == 3 && num >= 0 && num <= 3) {
          Attrs a;
          a.grade = static_cast<RestrictionGrade>(num);
          push_attr(t.offset, tok_end(i + 2), a);
        }
        return i + 3;
      }
      // "3 more sessions", "6 sessions"
      std::size_t j = i + 1;
      bool more = false;
      if (is_word(j) && lex(lower(j, buf)).kind == Lex::MoreWord) { more = true; ++j; }
      if (is_word(j) && lex(lower(j, buf)).kind == Lex::SessionWord && (more || section_ == Section::Plan)) {
        const int v = number_value(i);
        if (v > 0 && v <= 52) out_.session.planned_sessions = v;
        clause_plan_marker_ = true;
        return j + 1;
      }
      return i + 1;
    }
    case TokenKind::Word:
      break;
  }

  return scan_word(i);
}

// The longest lexicon phrase of several tokens that starts at word token i ("upper traps",
// "o.B.", "des deux côtés", "palper-rouler"): its entry and its last token, or false.
bool Reader::match_phrase(std::size_t i, LexEntry& entry, std::size_t& last) const {
  char buf[80];
  std::size_t len = 0;
  auto append = [&](std::string_view piece) {
    if (len + piece.size() > sizeof buf) return false;
    std::copy(piece.begin(), piece.end(), buf + len);
    len += piece.size();
    return true;
  };
  char wb[32];
  if (!append(lower(i, wb))) return false;
  bool found = false;
  for (std::size_t j = i + 1; j < n() && j <= i + 12; ++j) {
    const Token& t = toks_[j];
    if (t.kind == TokenKind::Newline) {
      // a phrase wrapped onto the next line ("Entre les\nomoplates")
      if (t.blank || !append(" ")) break;
      continue;
    }
    if (t.kind == TokenKind::Number) break;
    if (t.space_before && (len == 0 || buf[len - 1] != ' ') && !append(" ")) break;
    if (t.kind == TokenKind::Word) {
      if (!append(lower(j, wb))) break;
    } else if (t.kind == TokenKind::Dash) {
      if (!append("-")) break;
    } else if (t.punct == '.' || t.punct == '/' || t.punct == '\'' || t.punct == '&') {
      if (!append(std::string_view(&t.punct, 1))) break;
    } else {
      break;
    }
    const LexEntry e = lex(std::string_view(buf, len));
    if (e.kind != Lex::None) {
      entry = e;
      last = j;
      found = true;
    }
  }
  return found;
}

// A negation and what it negates: "no restriction", "nil TTP", "pas de cellulalgie", "keine
// Druckschmerzhaftigkeit", "no change". Articles and prepositions between them are skipped.
std::size_t Reader::scan_negation(std::size_t i) {
  const Token& t = toks_[i];
  char buf[32];
  std::size_t j = i + 1;
  for (int skip = 0; skip < 3 && is_word(j); ++skip) {
    const Lex k = lex(lower(j, buf)).kind;
    if (k != Lex::Filler && k != Lex::MoreWord) break;  // "no further restriction", "pas de", "keine"
    ++j;
  }
  LexEntry e;
  std::size_t last = j;
  if (is_word(j)) {
    e = lex(lower(j, buf));
    if (e.starter) match_phrase(j, e, last);
  }
  const auto nw = lower(j, buf);
  Attrs a;
  if (e.kind == Lex::Restricted || (e.kind == Lex::Grade && e.value > 0)) a.grade = RestrictionGrade::None;
  else if (e.kind == Lex::Tender) a.tender = false;
  else if (nw == "change" || nw == "changes" || nw == "improvement" ||
           (e.kind == Lex::Release && e.value == static_cast<std::uint8_t>(ReleaseResponse::Released)))
    a.release = ReleaseResponse::NotReleased;
  else if (e.kind == Lex::PainWord && !is_number(last + 1)) a.pain = 0;
  else if (!is_word(j) && lower(i, buf) == "nil") {
    a.grade = RestrictionGrade::None;  // "L-spine: nil." — the word alone
    push_attr(t.offset, tok_end(i), a);
    return i + 1;
  } else {
    return i + 1;
  }
  push_attr(t.offset, tok_end(last), a);
  return last + 1;
}

// A pain score after a pain word: "pain 6/10", "NRS: 6", "douleur 7/10", "Schmerz 5/10",
// "EVA 6/10" (0-10), "VAS 60mm" / "EVA 30 mm" (kept as written), "pain-free".
std::size_t Reader::scan_pain(std::size_t i, std::size_t last, const LexEntry& e) {
  const Token& t = toks_[i];
  char buf[32];
  const auto w = lower(i, buf);
  if (is_word(last + 1) && word_is(last + 1, "free")) {
    Attrs a;
    a.pain = 0;
    push_attr(t.offset, tok_end(last + 1), a);
    return last + 2;
  }
  if (is_dash(last + 1) && word_is(last + 2, "free")) {
    Attrs a;
    a.pain = 0;
    push_attr(t.offset, tok_end(last + 2), a);
    return last + 3;
  }
  std::size_t j = last + 1;
  bool vas_word = e.value == 1;
  for (int skip = 0; skip < 4 && j < n(); ++skip) {
    if (is_punct(j, ':') || is_punct(j, '=')) { ++j; continue; }
    if (!is_word(j)) break;
    const LexEntry k = lex(lower(j, buf));
    if (k.kind == Lex::Filler || k.kind == Lex::PainWord) {
      vas_word = vas_word || (k.kind == Lex::PainWord && k.value == 1);
      ++j;
      continue;
    }
    break;
  }
  if (!is_number(j) || (w == "p" && !is_punct(j + 1, '/'))) return last + 1;
  if (is_punct(j + 1, '.') && is_number(j + 2) && !toks_[j + 1].space_before) return j + 3;  // "6.5": not a 0-10 score
  const int v = number_value(j);
  std::size_t end = j;
  bool out_of_ten = false;
  if (is_punct(j + 1, '/') && is_number(j + 2)) {
    out_of_ten = number_value(j + 2) == 10;
    if (!out_of_ten && number_value(j + 2) != 100) return j + 3;  // "3/52", "2/4": not a pain score
    end = j + 2;
  }
  Attrs a;
  if (vas_word && !out_of_ten) {
    // VAS in millimetres, kept as written: "VAS 60mm", "VAS 60 mm", "VAS 60/100"
    std::size_t k = j + 1;
    if (word_is(k, "cm")) {
      warn("VAS '" + std::string(span_text(i, k + 1)) + "' is in centimetres; not converted and not read", t.offset);
      return k + 1;
    }
    if (word_is(k, "mm")) end = k;
    if (v > 100) {
      warn("VAS '" + std::string(span_text(i, end + 1)) + "' is over 100 mm and was not read", t.offset);
      return end + 1;
    }
    a.vas = tok_text(j);
  } else {
    if (v > 10) {
      warn("pain score '" + std::string(span_text(i, end + 1)) + "' is out of range and was not read", t.offset);
      return end + 1;
    }
    a.pain = v;
  }
  push_attr(t.offset, tok_end(end), a);
  return end + 1;
}

std::size_t Reader::scan_word(std::size_t i) {
  const Token& t = toks_[i];
  char buf[32];
  const std::string_view w = lower(i, buf);
  if (std::optional<DateReading> d; w.size() >= 3 && month_from_name(w) != 0) {
    if (const std::size_t after = try_date(i, d); after != i) {
      if (!other_date(i)) note_date(*d, t.offset, false);
      return after;
    }
  }
  auto next_is = [&](std::size_t k, std::string_view word) { return word_is(k, word); };
  // Side comparisons: L>R, R>L, L=R, re>li, G>D
  if (is_punct(i + 1, '>') || is_punct(i + 1, '<') || is_punct(i + 1, '=')) {
    const LexEntry a = lex(w);
    char b2[32];
    const LexEntry b = is_word(i + 2) ? lex(lower(i + 2, b2)) : LexEntry{};
    if (a.kind == Lex::Side && b.kind == Lex::Side && (a.value == 1 || a.value == 2) && a.value + b.value == 3) {
      const bool left = a.value == 1;
      Item it;
      it.kind = ItemKind::Side;
      it.begin = t.offset;
      it.end = tok_end(i + 2);
      const char op = toks_[i + 1].punct;
      it.side = op == '=' ? SideMark::Both : (op == '>') == left ? SideMark::LeftWorse : SideMark::RightWorse;
      cur_.items.push_back(it);
      return i + 3;
    }
  }
  if (w == "f" && is_punct(i + 1, '/') && next_is(i + 2, "u")) {
    clause_plan_marker_ = true;
    std::size_t j = i + 3;
    if (is_number(j) && is_punct(j + 1, '/') && is_number(j + 2)) j += 3;  // f/u 1/52
    return j;
  }
  if (w == "did" || w == "didn't" || w == "didnt") {
    std::size_t j = i + 1;
    if (next_is(j, "not")) ++j;
    if (is_word(j) && lex(lower(j, buf)).kind == Lex::Release) {
      Attrs a;
      a.release = ReleaseResponse::NotReleased;
      push_attr(t.offset, tok_end(j), a);
      return j + 1;
    }
    return i + 1;
  }
  LexEntry e = lex(w);
  std::size_t last = i;
  if (e.starter) match_phrase(i, e, last);
  if (last == i) {
    if (w.size() == 2 && w[0] == 'g' && w[1] >= '0' && w[1] <= '3') {
      Attrs a;
      a.grade = static_cast<RestrictionGrade>(w[1] - '0');
      push_attr(t.offset, tok_end(i), a);
      return i + 1;
    }
    if (w[0] == 'x' && (w.size() == 1 || (w[1] >= '0' && w[1] <= '9'))) return scan_plan_count(i);
    bool bad = false;
    if (auto idx = level_index(w, bad)) return scan_level(i, *idx, level_prefix(w));
    if (bad) {
      warn("unknown spinal level '" + std::string(tok_text(i)) + "'", t.offset);
      return i + 1;
    }
    // "T 4", "Th 5": a level letter and its number apart (not "L 5/10", L is also left)
    if ((w == "t" || w == "th" || w == "c" || w == "d") && is_number(i + 1) && !is_punct(i + 2, '/')) {
      const int v = number_value(i + 1);
      const char p = w[0] == 'c' ? 'c' : 't';
      if (v >= 1 && v <= level_max(p)) return scan_level(i + 1, level_base(p) + v - 1, p, i);
    }
  }
  return apply_entry(e, i, last);
}

// What one word or phrase (tokens i..last) adds to the clause.
std::size_t Reader::apply_entry(const LexEntry& e, std::size_t i, std::size_t last) {
  const Token& t = toks_[i];
  char buf[32];
  auto next_is = [&](std::size_t k, std::string_view word) { return word_is(k, word); };
  switch (e.kind) {
    case Lex::Technique:
      cur_.technique = true;
      return last + 1;
    case Lex::None:
    case Lex::Filler:
    case Lex::LevelPrefix:
    case Lex::SessionWord:
    case Lex::MoreWord:
    case Lex::Schedule:
    case Lex::Section:
    case Lex::PatientKey:
    case Lex::PractitionerKey:
    case Lex::DateKey:
    case Lex::IdKey:
      return last + 1;
    case Lex::Negation:
      return scan_negation(i);
    case Lex::PainWord:
      return scan_pain(i, last, e);
    case Lex::Side: {
      Item it;
      it.kind = ItemKind::Side;
      static constexpr SideMark kSides[] = {SideMark::None, SideMark::Left, SideMark::Right, SideMark::Both,
                                            SideMark::None, SideMark::LeftWorse, SideMark::RightWorse};
      it.side = e.value < std::size(kSides) ? kSides[e.value] : SideMark::None;
      it.begin = t.offset;
      it.end = tok_end(last);
      std::size_t j = last + 1;
      // "Lt. T3": the dot abbreviates; "T4 R. Thoracic WNL" ends a sentence.
      if (is_punct(j, '.') && !toks_[j].space_before && is_word(j + 1) && toks_[last].length >= 2) {
        char b2[32];
        bool bad_level = false;
        if (level_index(lower(j + 1, b2), bad_level)) ++j;
      }
      if (is_punct(j, ':')) it.side_header = true;
      cur_.items.push_back(it);
      return j;
    }
    case Lex::Grade: {
      Attrs a;
      a.grade = static_cast<RestrictionGrade>(e.value);
      std::size_t end = last;
      // "mild-moderate", "mod to marked", "légère à modérée": the higher grade, as a reviewer charts it.
      std::size_t k = last + 1;
      if (is_dash(k) || is_punct(k, '/') || next_is(k, "to") || next_is(k, "a") || next_is(k, "bis")) {
        char b2[32];
        if (is_word(k + 1)) {
          const auto e2 = lex(lower(k + 1, b2));
          if (e2.kind == Lex::Grade && e2.value > 0 && e.value > 0) {
            a.grade = static_cast<RestrictionGrade>(std::max(e.value, e2.value));
            end = k + 1;
          }
        }
      }
      push_attr(t.offset, tok_end(end), a);
      return end + 1;
    }
    case Lex::GradeKeyword: {
      std::size_t j = last + 1;
      if (is_punct(j, '.') || is_punct(j, ':')) ++j;
      const int v = number_value(j);
      if (v >= 0 && v <= 3) {
        Attrs a;
        a.grade = static_cast<RestrictionGrade>(v);
        std::size_t end = j;
        if (is_punct(j + 1, '/') && number_value(j + 2) == 3) end = j + 2;
        push_attr(t.offset, tok_end(end), a);
        return end + 1;
      }
      if (v > 3)
        warn("restriction grade '" + std::string(span_text(i, j + 1)) + "' is not 0-3 and was not read", t.offset);
      return last + 1;
    }
    case Lex::Restricted: {
      Attrs a;
      a.restricted = true;
      push_attr(t.offset, tok_end(last), a);
      return last + 1;
    }
    case Lex::Tender: {
      Attrs a;
      a.tender = e.value == 1;
      std::size_t end = last;
      while (is_punct(end + 1, '+') && !toks_[end + 1].space_before) ++end;  // "TTP++" grades tenderness
      push_attr(t.offset, tok_end(end), a);
      return end + 1;
    }
    case Lex::Release: {
      Attrs a;
      a.release = static_cast<ReleaseResponse>(e.value);
      push_attr(t.offset, tok_end(last), a);
      return last + 1;
    }
    case Lex::Therapy:
    case Lex::Excluded:
      cur_.therapy = true;
      return last + 1;
    case Lex::Foreign:
      push_simple(ItemKind::Foreign, i, last);
      return last + 1;
    case Lex::Region:
      push_region(i, last, e.value);
      // "lumbar spine", "thoracic region": one mention
      if (next_is(last + 1, "spine") || next_is(last + 1, "region") || next_is(last + 1, "area")) return last + 2;
      return last + 1;
    case Lex::Connector:
      push_simple(ItemKind::Connector, i, last);
      return last + 1;
    case Lex::Separator:
      push_simple(ItemKind::Comma, i, last);
      return last + 1;
    case Lex::PlanMarker:
      clause_plan_marker_ = true;
      return last + 1;
    case Lex::Reported:
      cur_.reported = true;
      return last + 1;
    case Lex::Overall:
      cur_.overall = true;
      return last + 1;
  }
  (void)buf;
  return last + 1;
}

bool is_spine_segment(BodyRegion r) noexcept {
  return r == BodyRegion::Spine || r == BodyRegion::CervicalSpine || r == BodyRegion::ThoracicSpine ||
         r == BodyRegion::LumbarSpine || r == BodyRegion::LumbarRegion;
}

// The side a whole group stands on: its own, or the one side all its entries share.
SideMark effective_side(const Clause& c, const Group& g) {
  if (g.side != SideMark::None) return g.side;
  // the one side the entries that have a side share ("L T5, T6, T7": left)
  SideMark shared = SideMark::None;
  for (std::size_t e = g.first; e < g.first + g.count; ++e) {
    const SideMark s = c.entries[e].side;
    if (s == SideMark::None) continue;
    if (shared == SideMark::None) shared = s;
    else if (shared != s) return SideMark::None;
  }
  return shared;
}

// Groups the clause's items into sites and what was found at them (rules in the header).
void Reader::build_groups(Clause& c) {
  auto& items = c.items;
  std::optional<std::size_t> group;  // index of the current group
  Attrs pending;
  SideMark pending_side = SideMark::None;
  SideMark header_side = SideMark::None;
  bool only_links_since_site = false;  // nothing but sides/commas/"and" since the last site

  auto group_side = [&](const Group& g) { return effective_side(c, g); };

  std::size_t k = 0;
  while (k < items.size()) {
    std::size_t end = k;
    bool has_site = false;
    while (end < items.size() && items[end].kind != ItemKind::Comma && items[end].kind != ItemKind::Connector &&
           items[end].kind != ItemKind::Break) {
      has_site = has_site || items[end].kind == ItemKind::Site || items[end].kind == ItemKind::Foreign;
      ++end;
    }
    if (!has_site) {
      // A segment with no site continues the current one ("T4 L, moderate, 6/10"); a side of its
      // own repeats the current sites on that side ("T3-T5 L marked, R moderate").
      Attrs seg;
      SideMark seg_side = SideMark::None;
      std::uint32_t seg_begin = UINT32_MAX, seg_end = 0;
      for (std::size_t j = k; j < end; ++j) {
        const Item& it = items[j];
        if (it.kind == ItemKind::Attr) absorb(seg, it.attr);
        else if (it.kind == ItemKind::Side && it.side_header && !group) header_side = it.side;
        else if (it.kind == ItemKind::Side) seg_side = it.side;
        seg_begin = std::min(seg_begin, it.begin);
        seg_end = std::max(seg_end, it.end);
      }
      if (seg.any()) only_links_since_site = false;
      const bool last = end >= items.size();
      const bool response_only = !seg.grade && !seg.restricted && !seg.pain && seg.vas.empty() &&
                                 seg_side == SideMark::None && (seg.tender || seg.release != ReleaseResponse::Unknown);
      if (group && last && response_only && c.groups.size() > 1) {
        // "T4 L marked, T6 R mild, released": a closing response speaks for every site of the clause.
        for (auto& g : c.groups) {
          if (g.foreign || g.heading || g.count == 0) continue;
          Attrs fill = seg;
          if (g.attrs.tender) fill.tender.reset();
          if (g.attrs.release != ReleaseResponse::Unknown) fill.release = ReleaseResponse::Unknown;
          absorb(g.attrs, fill);
        }
      } else if (group) {
        Group& g = c.groups[*group];
        const SideMark gs = group_side(g);
        const bool comparison = seg_side == SideMark::LeftWorse || seg_side == SideMark::RightWorse;
        if (comparison && (gs == SideMark::Both || gs == SideMark::None) && g.count > 0 && !g.foreign) {
          // "restricted bilaterally, L>R", "moderate, worse on the right": one finding per side, compared
          g.side = seg_side;
          for (std::size_t e = g.first; e < g.first + g.count; ++e) c.entries[e].side = SideMark::None;
          absorb(g.attrs, seg);
        } else if (seg_side != SideMark::None && gs != SideMark::None && seg_side != gs && g.count > 0 && !g.foreign) {
          Group clone;
          clone.first = c.entries.size();
          clone.count = g.count;
          clone.side = seg_side;
          for (std::size_t e = g.first; e < g.first + g.count; ++e) c.entries.push_back({c.entries[e].item, SideMark::None});
          absorb(clone.attrs, seg);
          clone.begin = seg_begin;
          clone.end = seg_end;
          c.groups.push_back(clone);
          group = c.groups.size() - 1;
          only_links_since_site = false;
        } else {
          absorb(g.attrs, seg);
          if (seg_side != SideMark::None && gs == SideMark::None) g.side = seg_side;
          if (seg_begin != UINT32_MAX) g.end = std::max(g.end, seg_end);
        }
      } else {
        absorb(pending, seg);
        if (seg_side != SideMark::None) pending_side = seg_side;
      }
    } else {
      bool seen_site = false;
      for (std::size_t j = k; j < end; ++j) {
        Item& it = items[j];
        switch (it.kind) {
          case ItemKind::Site:
          case ItemKind::Foreign: {
            const bool foreign = it.kind == ItemKind::Foreign;
            const bool merge = group && only_links_since_site && !pending.any() &&
                               c.groups[*group].foreign == foreign && pending_side == SideMark::None;
            if (!merge) {
              Group g;
              g.first = c.entries.size();
              g.foreign = foreign;
              g.side = header_side;
              absorb(g.attrs, pending);
              pending = Attrs{};
              c.groups.push_back(g);
              group = c.groups.size() - 1;
            }
            Group& g = c.groups[*group];
            c.entries.push_back({j, pending_side});
            pending_side = SideMark::None;
            ++g.count;
            g.begin = std::min(g.begin, it.begin);
            g.end = std::max(g.end, it.end);
            seen_site = true;
            only_links_since_site = true;
            break;
          }
          case ItemKind::Side: {
            if (it.side_header && !seen_site) {
              header_side = it.side;
              break;
            }
            const bool after_site = j > k && (items[j - 1].kind == ItemKind::Site || items[j - 1].kind == ItemKind::Foreign);
            const bool before_site =
                j + 1 < end && (items[j + 1].kind == ItemKind::Site || items[j + 1].kind == ItemKind::Foreign);
            if (after_site && c.entries.back().side == SideMark::None) {
              c.entries.back().side = it.side;
              c.groups[*group].end = std::max(c.groups[*group].end, it.end);
            } else if (before_site || !seen_site) {
              pending_side = it.side;
            } else {
              c.groups[*group].side = it.side;
              c.groups[*group].end = std::max(c.groups[*group].end, it.end);
            }
            break;
          }
          case ItemKind::Attr:
            only_links_since_site = false;
            if (seen_site) {
              Group& g = c.groups[*group];
              absorb(g.attrs, it.attr);
              g.end = std::max(g.end, it.end);
            } else {
              absorb(pending, it.attr);
            }
            break;
          case ItemKind::Comma:
          case ItemKind::Connector:
          case ItemKind::Break:
            break;
        }
      }
    }
    if (end < items.size() && items[end].kind == ItemKind::Break && items[end].end - items[end].begin == 1 &&
        text_[items[end].begin] == ':') {
      // "L lumbar: dense restriction L2-L4" / "MFR to lumbar spine: L3-L5 R marked": a site with
      // nothing found at it before a colon is a heading; its side carries to what follows.
      only_links_since_site = false;
      if (group && !c.groups[*group].attrs.any() && !c.groups[*group].foreign) {
        // Only when the words right after the colon name sites of their own ("L lumbar: dense
        // L2-L4"); "T3-T6 R: slight restriction" describes the sites before the colon.
        bool site_follows = false;
        for (std::size_t j = end + 1; j < items.size() && !site_follows; ++j) {
          if (items[j].kind == ItemKind::Comma || items[j].kind == ItemKind::Break) break;
          site_follows = items[j].kind == ItemKind::Site;
        }
        if (site_follows) {
          const SideMark hs = effective_side(c, c.groups[*group]);
          if (hs != SideMark::None) header_side = hs;
          c.groups[*group].heading = true;
          group.reset();
        }
      }
    } else if (end < items.size() && items[end].kind == ItemKind::Break) {
      only_links_since_site = false;
    }
    k = end + 1;  // skip the comma / connector
  }
  // Attributes and a side with no site to describe: kept in a pseudo-group (count 0) so
  // end_clause can hand them to the previous clause.
  if (!group && (pending.any() || pending_side != SideMark::None || header_side != SideMark::None)) {
    Group g;
    g.first = c.entries.size();
    g.attrs = pending;
    g.side = pending_side != SideMark::None ? pending_side : header_side;
    g.begin = pending.begin;
    g.end = pending.end;
    c.groups.push_back(g);
  }
}

void Reader::end_clause(std::size_t end_offset) {
  cur_.plan = cur_.plan || clause_plan_marker_;
  const std::size_t clause_text_begin = clause_begin_;
  if (clause_plan_marker_ && section_ != Section::Plan && end_offset > clause_begin_) {
    std::string_view t = text_.substr(clause_begin_, end_offset - clause_begin_);
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t' || t.front() == '.' || t.front() == ';')) t.remove_prefix(1);
    while (!t.empty() && (t.back() == ' ' || t.back() == '\r' || t.back() == '.' || t.back() == ';')) t.remove_suffix(1);
    if (!t.empty()) {
      if (!plan_candidates_.empty()) plan_candidates_ += "; ";
      plan_candidates_ += t;
    }
  }
  clause_plan_marker_ = false;
  clause_begin_ = end_offset;
  if (cur_.items.empty()) {
    cur_.clear();
    return;
  }
  cur_.section = section_;
  cur_.begin = clause_text_begin;
  build_groups(cur_);
  const bool orphan = cur_.groups.size() == 1 && cur_.groups[0].count == 0;
  if (orphan) {
    // "Marked, L>R." after "Skin rolling T3-T6." completes the previous clause; a release word
    // ("All released.") speaks for every site of the paragraph that has no response yet.
    Group o = cur_.groups[0];
    if (cur_.overall || cur_.reported) {
      const ReleaseResponse keep = o.attrs.release;
      o.attrs = Attrs{};
      o.attrs.release = keep;
      o.side = SideMark::None;
    }
    const bool same = have_prev_ && prev_.section == cur_.section && !cur_.therapy;
    if (same) {
      const std::size_t groups = prev_.groups.size();
      // Sites with something found take the words; bare mentions only when nothing else is there.
      const bool any_found = std::any_of(prev_.groups.begin(), prev_.groups.end(),
                                         [](const Group& g) { return g.count > 0 && !g.foreign && g.attrs.any(); });
      for (std::size_t gi = 0; gi < groups; ++gi) {
        Group& g = prev_.groups[gi];
        if (g.count == 0 || g.foreign || g.heading || (any_found && !g.attrs.any())) continue;
        if (o.attrs.release != ReleaseResponse::Unknown && !o.attrs.grade && !o.attrs.pain && !o.attrs.tender &&
            g.attrs.grade == RestrictionGrade::None)
          continue;  // "Eased." says nothing about a level found free
        const SideMark gs = effective_side(prev_, g);
        if (o.side != SideMark::None && gs != SideMark::None && o.side != gs) {
          // "T4 R marked. L mild." repeats the sites on the other side.
          Group clone;
          clone.first = prev_.entries.size();
          clone.count = g.count;
          clone.side = o.side;
          for (std::size_t e = g.first; e < g.first + g.count; ++e)
            prev_.entries.push_back({prev_.entries[e].item, SideMark::None});
          absorb(clone.attrs, o.attrs);
          clone.begin = o.begin;
          clone.end = o.end;
          prev_.groups.push_back(clone);
          continue;
        }
        absorb(prev_.groups[gi].attrs, o.attrs);
        if (prev_.groups[gi].side == SideMark::None && o.side != SideMark::None) prev_.groups[gi].side = o.side;
      }
    }
    if (o.attrs.release != ReleaseResponse::Unknown && !cur_.therapy && cur_.section == section_) {
      auto& fs = out_.session.findings;
      for (std::size_t f = paragraph_start_; f < fs.size(); ++f)
        if (fs[f].released == ReleaseResponse::Unknown && fs[f].restriction != RestrictionGrade::None)
          fs[f].released = o.attrs.release;  // nothing to release where nothing was restricted
    }
    cur_.clear();
    return;
  }
  flush_prev();
  std::swap(prev_, cur_);
  have_prev_ = true;
  cur_.clear();
}

void Reader::flush_prev() {
  if (!have_prev_) return;
  emit(prev_);
  prev_.clear();
  have_prev_ = false;
}

void Reader::merge_into(Finding& g, const Finding& f) {
  if (f.restriction) {
    if (g.restriction && *g.restriction != *f.restriction) {
      warn("conflicting grades for " + g.site.name() + " " + std::string(side_name(g.site.side)) + " (" +
               std::string(grade_name(*g.restriction)) + " and " + std::string(grade_name(*f.restriction)) +
               "); kept " + std::string(grade_name(*g.restriction)),
           f.source_span ? f.source_span->offset : 0);
    } else {
      g.restriction = f.restriction;
    }
  }
  if (!g.pain_nrs) g.pain_nrs = f.pain_nrs;
  if (!g.pain_vas_mm) g.pain_vas_mm = f.pain_vas_mm;
  if (!g.tender) g.tender = f.tender;
  if (g.released == ReleaseResponse::Unknown) g.released = f.released;
}

void Reader::add_finding(Finding f) {
  auto& fs = out_.session.findings;
  for (auto& g : fs) {
    if (g.site == f.site) {
      merge_into(g, f);
      return;
    }
  }
  // "TTP T4" after "T4 L marked": no side written means the sides already found there.
  if (f.site.side == Side::Midline) {
    bool merged = false;
    for (auto& g : fs) {
      Site other = g.site;
      other.side = Side::Midline;
      if (other == f.site) {
        merge_into(g, f);
        merged = true;
      }
    }
    if (merged) return;
  }
  fs.push_back(std::move(f));
}

// A clause that names a site where findings are read, is not about treatment, a plan, another
// therapy or the patient's words, and yielded nothing (no grade, no "free", no pain) was not
// understood: the reviewer gets its span.
void Reader::check_understood(const Clause& c) {
  if (c.therapy || c.technique || c.plan || c.reported || !(c.section == Section::None || c.section == Section::Objective))
    return;
  bool names_site = false, yielded = false;
  std::uint32_t begin = UINT32_MAX, end = 0;
  for (const Group& g : c.groups) {
    if (g.foreign || g.count == 0) continue;
    names_site = true;
    yielded = yielded || g.attrs.any();
  }
  if (!names_site || yielded) return;
  for (const Item& it : c.items) {
    begin = std::min(begin, it.begin);
    end = std::max(end, it.end);
  }
  // the whole clause as written, from its start to its last item's end
  std::size_t from = std::min<std::size_t>(clause_start_of(c), begin);
  while (from < end && (text_[from] == ' ' || text_[from] == '\t' || text_[from] == '-' || text_[from] == '*')) ++from;
  std::string_view span = text_.substr(from, end - from);
  if (span.size() > 120) span = span.substr(0, 120);
  out_.warnings.push_back({"not understood: '" + std::string(span) + "'", from, end - from, NoteWarningKind::NotUnderstood});
}

void Reader::emit(const Clause& c) {
  check_understood(c);
  const bool findings_allowed = !c.therapy && (c.section == Section::None || c.section == Section::Objective);
  auto add_region = [&](BodyRegion r) {
    auto& regions = out_.session.regions;
    if (std::find(regions.begin(), regions.end(), r) == regions.end()) regions.push_back(r);
  };
  for (const Group& g : c.groups) {
    if (g.foreign || g.count == 0) continue;
    if (!c.therapy && c.section != Section::Subjective) {
      for (std::size_t e = g.first; e < g.first + g.count; ++e) {
        const Item& it = c.items[c.entries[e].item];
        if (it.vertebra)
          for (int l = it.lo; l <= it.hi; ++l) add_region(region_of_level(l));
        else
          add_region(it.region);
      }
    }
    if (!findings_allowed || g.heading || !g.attrs.any()) continue;
    bool any_level = false;
    for (std::size_t e = g.first; e < g.first + g.count; ++e) any_level = any_level || c.items[c.entries[e].item].vertebra;
    if (c.reported && !any_level) continue;  // the patient names a region; the practitioner palpates levels
    // Entries without their own side take the group's, or the one side the group's entries share.
    SideMark shared = g.side;
    if (shared == SideMark::None) {
      for (std::size_t e = g.first; e < g.first + g.count; ++e) {
        const SideMark s = c.entries[e].side;
        if (s == SideMark::None) continue;
        if (shared == SideMark::None) shared = s;
        else if (shared != s) { shared = SideMark::None; break; }
      }
    }
    const std::uint32_t begin = std::min(g.begin, g.attrs.begin);
    const std::uint32_t end = std::max(g.end, g.attrs.end);
    for (std::size_t e = g.first; e < g.first + g.count; ++e) {
      const Item& it = c.items[c.entries[e].item];
      // "LWS L3-L5", "Dorsales D8 à D10", "thoracic T4-T6": the segment names where the levels are
      if (!it.vertebra && any_level && is_spine_segment(it.region)) continue;
      const SideMark side = c.entries[e].side != SideMark::None ? c.entries[e].side : shared;
      Finding base;
      base.restriction = g.attrs.grade;
      if (!base.restriction && g.attrs.restricted) base.restriction = std::nullopt;
      base.pain_nrs = g.attrs.pain;
      if (!g.attrs.vas.empty()) base.pain_vas_mm = Decimal{std::string(g.attrs.vas)};
      base.tender = g.attrs.tender;
      base.released = g.attrs.release;
      base.source_span = SourceSpan{begin, end - begin};
      const int lo = it.vertebra ? it.lo : 0, hi = it.vertebra ? it.hi : 0;
      for (int l = lo; l <= hi; ++l) {
        Finding f = base;
        f.site = it.vertebra ? Site::vertebra(static_cast<SpinalLevel>(l), Side::Midline)
                             : Site::at_region(it.region, Side::Midline);
        switch (side) {
          case SideMark::None:
            add_finding(std::move(f));
            break;
          case SideMark::Left:
          case SideMark::Right:
            f.site.side = side == SideMark::Left ? Side::Left : Side::Right;
            add_finding(std::move(f));
            break;
          case SideMark::Both: {
            f.site.side = Side::Left;
            add_finding(f);
            f.site.side = Side::Right;
            add_finding(std::move(f));
            break;
          }
          case SideMark::LeftWorse:
          case SideMark::RightWorse: {
            const bool left_worse = side == SideMark::LeftWorse;
            Finding worse = f, lesser = f;
            worse.site.side = left_worse ? Side::Left : Side::Right;
            lesser.site.side = left_worse ? Side::Right : Side::Left;
            if (f.restriction) {
              const int g2 = std::max(0, static_cast<int>(*f.restriction) - 1);
              lesser.restriction = static_cast<RestrictionGrade>(g2);
            }
            const char* note = left_worse ? "written L>R: left as stated, right one grade less"
                                          : "written R>L: right as stated, left one grade less";
            worse.note = note;
            lesser.note = note;
            add_finding(std::move(worse));
            add_finding(std::move(lesser));
            break;
          }
        }
      }
    }
  }
}

// The note's language: the table whose marker words occur most often (English on a tie or none).
note::Lang Reader::detect_language() const {
  std::array<int, note::kLangCount> hits{};
  char buf[32];
  for (std::size_t i = 0; i < n(); ++i) {
    if (!is_word(i)) continue;
    const auto w = lower(i, buf);
    const note::LanguageHint hint = note::language_hint(w);
    if (hint.marker >= 0) hits[hint.marker] += 2;
    for (int l = 0; l < note::kLangCount; ++l)
      if (hint.languages == (1u << l)) ++hits[l];
  }
  int best = 0;
  for (int l = 1; l < note::kLangCount; ++l)
    if (hits[l] > hits[best]) best = l;
  return static_cast<note::Lang>(best);
}

// ---------------------------------------------------------------- grids
// A table of levels by side: a header line with a left and a right column ("Level  L  R",
// "Niveau  Gauche  Droite", "Segment | links | rechts | Schmerz"), then one row per level or
// region with what was found on each side ("C7  légère  RAS", "| T2-T6 | 0 | 0 | - |"). Cells
// are separated by two spaces or more, a tab or '|'; a row's cell belongs to the header column
// it starts nearest to. A bare number in a side cell is a grade (0-3); in a pain column a
// score (0-10), with its side when one is written ("R 6").

// Cells of the line [i, end): first token of each cell.
void Reader::cells_of(std::size_t i, std::size_t end, std::vector<Cell>& cells) const {
  cells.clear();
  const std::size_t line_start = line_start_offset(i);
  int col = 0;
  std::size_t pos = line_start;
  auto advance = [&](std::size_t to) {
    for (; pos < to; ++pos) {
      const auto c = static_cast<unsigned char>(text_[pos]);
      if (c == '\t') col = (col / 8 + 1) * 8;
      else if ((c & 0xC0) != 0x80) ++col;
    }
  };
  for (std::size_t j = i; j < end; ++j) {
    const Token& t = toks_[j];
    if (is_punct(j, '|')) {
      if (!cells.empty()) cells.back().closed = true;
      continue;
    }
    const std::size_t gap_from = j > i ? tok_end(j - 1) : line_start;
    std::string_view gap = text_.substr(gap_from, t.offset - gap_from);
    const bool new_cell = cells.empty() || cells.back().closed || gap.size() >= 2 || gap.find('\t') != std::string_view::npos;
    advance(t.offset);
    if (new_cell) cells.push_back({j, j + 1, col, false});
    else cells.back().last = j + 1;
  }
}

std::size_t Reader::line_start_offset(std::size_t i) const {
  std::size_t off = toks_[i].offset;
  while (off > 0 && text_[off - 1] != '\n' && text_[off - 1] != '\r') --off;
  return off;
}

// A grid header: one cell that is a left side, one that is a right side, perhaps a pain
// column and a label, and nothing else.
bool Reader::grid_header(std::size_t i, std::size_t end) {
  cells_of(i, end, cells_);
  if (cells_.size() < 2 || cells_.size() > 6) return false;
  Grid g;
  for (const Cell& c : cells_) {
    char buf[32];
    LexEntry e;
    if (c.last - c.first == 1 && is_word(c.first)) e = lex(lower(c.first, buf));
    if (e.kind == Lex::Side && e.value == 1 && g.left < 0) g.left = c.col;
    else if (e.kind == Lex::Side && e.value == 2 && g.right < 0) g.right = c.col;
    else if (is_word(c.first) && lex(lower(c.first, buf)).kind == Lex::PainWord) g.pain = c.col;
    else if (&c != &cells_.front()) return false;
  }
  if (g.left < 0 || g.right < 0) return false;
  g.active = true;
  grid_ = g;
  return true;
}

// One grid row; false when the line is not a row (the grid ends).
bool Reader::grid_row(std::size_t i, std::size_t end) {
  cells_of(i, end, cells_);
  bool any_text = false;
  for (std::size_t j = i; j < end; ++j) any_text = any_text || is_word(j) || is_number(j);
  if (!any_text) return true;  // a rule line: "+------+", "|---|", "-----"
  if (cells_.size() < 2) return false;
  auto nearest = [&](int col) {
    int best = -1, dist = 1 << 30;
    for (int c : {grid_.left, grid_.right, grid_.pain}) {
      if (c < 0) continue;
      if (std::abs(c - col) < dist) { dist = std::abs(c - col); best = c; }
    }
    return best;
  };
  const std::size_t before = cur_.items.size();
  for (std::size_t j = cells_.front().first; j < cells_.front().last;) j = scan_token(j);
  bool site = false;
  for (std::size_t k = before; k < cur_.items.size(); ++k) site = site || cur_.items[k].kind == ItemKind::Site;
  if (!site) {
    cur_.items.resize(before);
    return false;
  }
  for (std::size_t c = 1; c < cells_.size(); ++c) {
    const Cell& cell = cells_[c];
    const int column = nearest(cell.col);
    if (column < 0) continue;
    push_simple(ItemKind::Comma, cell.first, cell.first);
    const bool pain_column = column == grid_.pain;
    if (!pain_column) {
      Item side;
      side.kind = ItemKind::Side;
      side.side = column == grid_.left ? SideMark::Left : SideMark::Right;
      side.begin = toks_[cell.first].offset;
      side.end = side.begin;
      cur_.items.push_back(side);
    }
    if (!pain_column && cell.last == cell.first + 1 && is_dash(cell.first)) {
      Attrs a;
      a.grade = RestrictionGrade::None;  // "-": nothing found on that side
      push_attr(toks_[cell.first].offset, tok_end(cell.first), a);
      continue;
    }
    for (std::size_t j = cell.first; j < cell.last;) {
      if (is_number(j) && (j + 1 == cell.last || !is_punct(j + 1, '/'))) {
        const int v = number_value(j);
        Attrs a;
        if (pain_column && v >= 0 && v <= 10) a.pain = v;
        else if (!pain_column && v >= 0 && v <= 3) a.grade = static_cast<RestrictionGrade>(v);
        if (a.any()) push_attr(toks_[j].offset, tok_end(j), a);
        ++j;
        continue;
      }
      j = scan_token(j);
    }
  }
  end_clause(tok_end(end - 1));
  return true;
}

void Reader::run() {
  tokenize(text_, toks_);
  lang_ = options_.language ? *options_.language : detect_language();
  out_.language = lang_;
  std::size_t i = 0;
  while (i < n()) {
    std::size_t end = line_end(i);
    if (grid_.active) {
      if (i < end && grid_row(i, end)) {
        i = end + 1;
        clause_begin_ = i < n() ? toks_[i].offset : text_.size();
        continue;
      }
      grid_.active = false;
      end_clause(toks_[i].offset);
      flush_prev();  // what follows a grid does not complete its last row
    }
    if (i < end && grid_header(i, end)) {
      end_clause(toks_[i].offset);
      flush_prev();
      i = end + 1;
      clause_begin_ = i < n() ? toks_[i].offset : text_.size();
      continue;
    }
    const std::size_t j0 = header_line(i, end);
    if (j0 == i && section_ == Section::Plan && i < end) {
      // a continuation line of the P: section
      if (!plan_text_.empty()) plan_text_ += "; ";
      plan_text_ += span_text(i, end);
    }
    if (j0 != i) clause_begin_ = j0 < n() ? toks_[j0].offset : text_.size();
    for (std::size_t j = j0; j < end;) {
      j = scan_token(j);
      if (j > end) end = line_end(j);  // a phrase ran onto the next line: that line goes on here
    }
    if (end < n() && !soft_wrap(i, end)) {
      end_clause(toks_[end].offset);
      if (toks_[end].blank) {
        flush_prev();
        paragraph_start_ = out_.session.findings.size();
      }
    }
    i = end + 1;
    clause_begin_ = i < n() ? toks_[i].offset : text_.size();
  }
  end_clause(text_.size());
  flush_prev();

  Session& s = out_.session;
  if (first_date_) s.start = first_date_->date;
  s.note = !plan_text_.empty() ? plan_text_ : plan_candidates_;
  if (!out_.patient_identifier.empty()) {
    s.patient = "Patient?identifier=" +
                (options_.patient_system.empty() ? std::string() : options_.patient_system + "|") +
                out_.patient_identifier;
  }
  if (!options_.practitioner_system.empty() && !out_.practitioner_name.empty())
    s.practitioner = "Practitioner?identifier=" + options_.practitioner_system + "|" + out_.practitioner_name;
  out_.findings_recognised = !s.findings.empty();
}

}  // namespace

NoteResult NoteReader::read(std::string_view text, const NoteOptions& options) {
  NoteResult result;
  Reader reader(text, options, tokens_, result);
  reader.run();
  LegacySource source;
  source.text = std::string(text);
  result.session.source = std::move(source);
  return result;
}

NoteResult read_note(std::string_view text, const NoteOptions& options) {
  NoteReader reader;
  return reader.read(text, options);
}

}  // namespace mfr::legacy
