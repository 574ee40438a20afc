#pragma once
// The notes reader's working state, shared by its stages (internal to fhir/legacy; hosts use
// legacy/note_reader.hpp). One Reader reads one note:
//   headings.cpp  header lines (patient, practitioner, date, SOAP sections in en/fr/de) and dates
//   mentions.cpp  tokens -> mentions: levels and ranges, regions, sides, grades, pain, tenderness,
//                 release, negation, other therapies and body parts, plan counts (lexicon phrases)
//   grid.cpp      tables of levels by side
//   attach.cpp    clauses: which attributes describe which sites, in any word order
//   findings.cpp  findings per site and side, merging, and the spans not understood
//   note_reader.cpp  the language of the note and the line loop that drives the stages
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "legacy/note/fold.hpp"
#include "legacy/note/lexicon.hpp"
#include "legacy/note/segment.hpp"
#include "legacy/note_lexer.hpp"
#include "legacy/note_reader.hpp"

namespace mfr::legacy::note {

enum class SideMark : std::uint8_t { None, Left, Right, Both, LeftWorse, RightWorse };

// A word's entry, or the entry of the word it is a frequent misspelling of (mentions.cpp).
LexEntry lookup_or_typo(std::string_view lw, Lang lang);

inline std::optional<int> level_index(std::string_view lw, bool& bad) noexcept {
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
inline char level_prefix(std::string_view lw) noexcept { return lw[0] == 'd' ? 't' : lw[0]; }

inline int level_base(char p) noexcept { return p == 'c' ? 0 : (p == 't' || p == 'd') ? 7 : p == 'l' ? 19 : 24; }
inline int level_max(char p) noexcept { return p == 'c' ? 7 : (p == 't' || p == 'd') ? 12 : 5; }

inline BodyRegion region_of_level(int index) noexcept {
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

// Break: ":" "(" ")"; Unknown: a word no lexicon knows (kept only to say what was not understood)
enum class ItemKind : std::uint8_t { Site, Foreign, Side, Attr, Comma, Connector, Break, Unknown };

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
  std::uint32_t unknown_end = 0;  // end of the last unknown word after its site ("T9 R funny pull")
};

using Section = note::SectionKind;

// Where the hands' findings are written: the examination, the treatment (what released while
// kneading, in every language) and text under no heading. Not the patient's words, the
// assessment or the plan.
constexpr bool reads_findings(Section s) noexcept {
  return s == Section::None || s == Section::Objective || s == Section::Treatment;
}

struct Clause {
  std::vector<Item> items;
  std::vector<Entry> entries;
  std::vector<Group> groups;
  bool therapy = false;
  bool reported = false;  // "Pt reports 8/10 pain in lumbar spine": the patient's words, not palpation
  bool overall = false;   // "Pain 3/10 overall": about the patient, not a site
  bool technique = false;  // names what was done ("skin rolling T3-T6"): a bare site is where
  bool plan = false;       // holds a plan word ("review T4 in 1/52")
  bool except = false;     // follows "except": its grades replace what the clause before said
  bool reported_after = false;  // a reporting verb after a site ("..., which he rates at 5/10")
  SideMark leading_side = SideMark::None;  // a side written before the clause's first site
  Section section = Section::None;
  std::size_t begin = SIZE_MAX;  // where the clause's text starts
  std::size_t end = 0;           // and ends (its '.', ';' or line break not included)
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
    except = false;
    reported_after = false;
    leading_side = SideMark::None;
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
  SideMark carry_side_ = SideMark::None;        // the leading side going on after a ';'
  SideMark last_leading_side_ = SideMark::None;  // the leading side of the clause just ended

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
  bool last_is_site() const noexcept {
    for (auto it = cur_.items.rbegin(); it != cur_.items.rend(); ++it) {
      if (it->kind == ItemKind::Site) return true;
      if (it->kind != ItemKind::Side) return false;
    }
    return false;
  }
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
  void add_finding(Finding f, bool override_grade = false);
  void merge_into(Finding& into, const Finding& f, bool override_grade = false);
};

inline bool is_spine_segment(BodyRegion r) noexcept {
  return r == BodyRegion::Spine || r == BodyRegion::CervicalSpine || r == BodyRegion::ThoracicSpine ||
         r == BodyRegion::LumbarSpine || r == BodyRegion::LumbarRegion;
}

// The side a whole group stands on: its own, or the one side all its entries share (attach.cpp).
SideMark effective_side(const Clause& c, const Group& g);

}  // namespace mfr::legacy::note
