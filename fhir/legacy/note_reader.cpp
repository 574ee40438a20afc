#include "legacy/note_reader.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

namespace mfr::legacy {
namespace {

// ---------------------------------------------------------------- lexicon

enum class Lex : std::uint8_t {
  None, Side, Grade, GradeKeyword, Restricted, Tender, Release, Technique, Therapy, Foreign,
  Region, Connector, Separator, SessionWord, MoreWord, Schedule, PlanMarker, Reported, Overall,
};

struct LexEntry {
  Lex kind = Lex::None;
  std::uint8_t value = 0;
  bool starter = false;  // may begin a phrase of several tokens ("upper traps", "L>R", "no change")
};

constexpr std::uint8_t kSacrumValue = 200;  // Region entry that is the sacrum as a level

enum class SideMark : std::uint8_t { None, Left, Right, Both, LeftWorse, RightWorse };

const std::unordered_map<std::string_view, LexEntry>& lexicon() {
  static const std::unordered_map<std::string_view, LexEntry> table = [] {
    std::unordered_map<std::string_view, LexEntry> t;
    auto add = [&t](std::initializer_list<std::string_view> words, Lex kind, std::uint8_t value) {
      for (auto w : words) t.emplace(w, LexEntry{kind, value});
    };
    add({"l", "lt", "left", "lhs", "lft"}, Lex::Side, 1);
    add({"r", "rt", "right", "rhs", "rght"}, Lex::Side, 2);
    add({"bilat", "bilateral", "bilaterally", "bil", "bilat'l", "bilatral", "bilaterial"}, Lex::Side, 3);
    add({"wnl", "nad"}, Lex::Grade, 0);
    add({"mild", "mildly", "slight", "slightly", "minimal", "minimally", "minor"}, Lex::Grade, 1);
    add({"moderate", "moderately", "mod", "moderat", "modrate", "moderte"}, Lex::Grade, 2);
    add({"marked", "markedly", "severe", "severely", "dense", "densely", "thick", "thickened", "significant",
         "markd", "marekd"},
        Lex::Grade, 3);
    add({"grade", "gr", "grd"}, Lex::GradeKeyword, 0);
    add({"restriction", "restrictions", "restricted", "tight", "tightness", "tension", "adhesion", "adhesions",
         "tethered", "stuck", "restricton", "resriction", "restiction", "retsriction"},
        Lex::Restricted, 0);
    add({"ttp", "tender", "tenderness", "tendr", "tenderess"}, Lex::Tender, 1);
    add({"nttp", "nontender"}, Lex::Tender, 0);
    add({"released", "releases", "release", "releasing", "freed", "eased", "eases", "softened", "softens",
         "loosened", "resolved", "relased", "releasd", "realeased", "relesed"},
        Lex::Release, static_cast<std::uint8_t>(ReleaseResponse::Released));
    add({"partial", "partially", "partly"}, Lex::Release, static_cast<std::uint8_t>(ReleaseResponse::Partial));
    add({"unchanged", "persistent", "persists", "persisting", "unresponsive", "persistant"}, Lex::Release,
        static_cast<std::uint8_t>(ReleaseResponse::NotReleased));
    add({"mfr", "kneading", "kneaded", "stm", "rolling", "rolled", "myofascial", "massage", "roller"},
        Lex::Technique, 0);
    add({"acupuncture", "acu", "ultrasound", "needling", "needled", "tens", "ifc", "interferential", "laser",
         "taping", "taped", "kinesio", "cupping", "shockwave", "eswt", "hvla", "manipulation", "manip",
         "adjustment", "adjusted", "traction", "exercises", "exercise", "hep", "stretches", "stretching", "heat",
         "ice", "cryotherapy", "electrotherapy", "acupunture", "accupuncture"},
        Lex::Therapy, 0);
    add({"knee", "knees", "ankle", "ankles", "wrist", "wrists", "hip", "hips", "elbow", "elbows", "foot", "feet",
         "hand", "hands", "hamstring", "hamstrings", "calf", "calves", "quad", "quads", "quadriceps", "itb",
         "glute", "glutes", "gluteal", "heel", "achilles", "plantar", "forearm", "thumb", "finger", "fingers",
         "toe", "toes", "jaw", "tmj", "groin", "thigh", "shin", "head", "headache", "headaches", "arm", "arms",
         "leg", "legs", "abdomen", "pec", "pecs", "pectoral", "biceps", "bicep", "triceps", "piriformis", "psoas",
         "adductor", "adductors", "sij", "si", "coccyx"},
        Lex::Foreign, 0);
    add({"traps", "trap", "trapezius", "utraps", "trapz"}, Lex::Region, static_cast<std::uint8_t>(BodyRegion::UpperTrapezius));
    add({"interscapular", "interscap", "intrascapular", "interscapula"}, Lex::Region,
        static_cast<std::uint8_t>(BodyRegion::Interscapular));
    add({"scapular", "scapula", "scap", "periscapular", "scapulae"}, Lex::Region,
        static_cast<std::uint8_t>(BodyRegion::Scapular));
    add({"ribs", "ribcage"}, Lex::Region, static_cast<std::uint8_t>(BodyRegion::RibCage));
    add({"lumbar", "lspine", "lumbosacral"}, Lex::Region, static_cast<std::uint8_t>(BodyRegion::LumbarRegion));
    add({"thoracic", "tspine", "thx"}, Lex::Region, static_cast<std::uint8_t>(BodyRegion::ThoracicSpine));
    add({"cervical", "cspine"}, Lex::Region, static_cast<std::uint8_t>(BodyRegion::CervicalSpine));
    add({"neck"}, Lex::Region, static_cast<std::uint8_t>(BodyRegion::Neck));
    add({"sacrum", "sacral"}, Lex::Region, kSacrumValue);
    add({"and", "plus"}, Lex::Connector, 0);
    add({"but", "however", "whereas", "while", "although"}, Lex::Separator, 0);
    add({"sessions", "session", "treatments", "treatment", "tx", "visits", "visit", "appointments", "appts", "rx"},
        Lex::SessionWord, 0);
    add({"more", "further", "additional", "remaining", "another"}, Lex::MoreWord, 0);
    add({"weekly", "fortnightly", "daily", "twice"}, Lex::Schedule, 0);
    add({"review", "rebook", "rv", "follow", "continue", "cont", "plan", "next"}, Lex::PlanMarker, 0);
    add({"reports", "reported", "reporting", "complains", "complained", "complaining", "states", "stated"},
        Lex::Reported, 0);
    add({"overall", "generally", "general", "globally"}, Lex::Overall, 0);
    for (std::string_view w : {"t", "l", "c", "r", "b", "both", "u", "f", "dry", "skin", "foam", "myofascial", "trigger",
                               "upper", "mid", "lower", "low", "shoulder", "rib", "chest", "inter", "non", "no", "nil",
                               "not", "without", "nil'd", "did", "didn't", "didnt", "pain", "nrs", "vas", "p"})
      t[w].starter = true;
    return t;
  }();
  return table;
}

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

LexEntry lookup(std::string_view lw) {
  const auto& t = lexicon();
  if (auto it = t.find(lw); it != t.end()) return it->second;
  if (lw.size() >= 6) {
    for (auto target : kTypoTargets) {
      if (target[0] == lw[0] && one_edit_apart(lw, target)) {
        LexEntry e = t.find(target)->second;
        e.starter = false;  // a misspelt word is taken for itself only
        return e;
      }
    }
  }
  return {};
}

// "C7" -> 6, "D11" -> T11, "S1" -> sacrum. `bad` set for "T13", "C8", "L6".
std::optional<int> level_index(std::string_view lw, bool& bad) noexcept {
  bad = false;
  if (lw.size() < 2 || lw.size() > 3) return std::nullopt;
  const char p = lw[0];
  if (p != 'c' && p != 't' && p != 'd' && p != 'l' && p != 's') return std::nullopt;
  int n = 0;
  for (std::size_t i = 1; i < lw.size(); ++i) {
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

enum class Section : std::uint8_t { None, Subjective, Objective, Assessment, Plan };

struct Clause {
  std::vector<Item> items;
  std::vector<Entry> entries;
  std::vector<Group> groups;
  bool therapy = false;
  bool reported = false;  // "Pt reports 8/10 pain in lumbar spine": the patient's words, not palpation
  bool overall = false;   // "Pain 3/10 overall": about the patient, not a site
  Section section = Section::None;
  void clear() {
    items.clear();
    entries.clear();
    groups.clear();
    therapy = false;
    reported = false;
    overall = false;
  }
};

// ---------------------------------------------------------------- the reader

class Reader {
 public:
  Reader(std::string_view text, const NoteOptions& options, std::vector<Token>& tokens, NoteResult& out)
      : text_(text), options_(options), toks_(tokens), out_(out) {}

  void run();

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
    return i < n() ? lower_ascii(tok_text(i), buf, 32) : std::string_view{};
  }
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
  std::size_t try_date(std::size_t i, std::optional<DateReading>& reading);
  void note_date(const DateReading& reading, std::size_t offset, bool from_header);
  std::size_t scan_token(std::size_t i);
  std::size_t scan_level(std::size_t i, int lo, char prefix);
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
  // key words before a ':' (at most 4 words)
  std::size_t colon = end;
  for (std::size_t j = i; j < end && j < i + 5; ++j) {
    if (is_punct(j, ':')) { colon = j; break; }
    if (!is_word(j) && !is_punct(j, '/') && !is_punct(j, '.')) break;
  }
  std::string key;
  const std::size_t key_end = colon == end ? std::min(end, i + 1) : colon;
  for (std::size_t j = i; j < key_end; ++j) {
    char buf[32];
    if (is_punct(j, '.')) continue;
    if (!key.empty() && toks_[j].space_before) key += ' ';
    key += lower(j, buf);
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
  static constexpr std::array<std::string_view, 14> kIdKeys = {
      "mrn", "pt id", "patient id", "id", "hospital no", "hosp no", "nhs no", "nhs number", "chart no", "chart",
      "record no", "urn", "patient no", "pt no"};
  const bool is_id_key = std::find(kIdKeys.begin(), kIdKeys.end(), key) != kIdKeys.end();
  if (is_id_key && (colon != end || key == "mrn")) {
    out_.patient_identifier = std::string(first_chunk(colon != end ? colon + 1 : key_end));
    return end;
  }
  if (colon == end) return i;
  if (key == "patient" || key == "patient name" || key == "pt" || key == "pt name" || key == "name" ||
      key == "client") {
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
  if (key == "therapist" || key == "practitioner" || key == "clinician" || key == "physio" ||
      key == "physiotherapist" || key == "treating therapist" || key == "seen by" || key == "provider" ||
      key == "osteopath" || key == "chiropractor" || key == "by" || key == "treated by") {
    out_.practitioner_name = std::string(rest(colon + 1));
    return end;
  }
  if (key == "date" || key == "dos" || key == "date of service" || key == "visit date" || key == "seen" ||
      key == "session date" || key == "appt" || key == "appointment" || key == "date seen") {
    std::optional<DateReading> d;
    for (std::size_t j = colon + 1; j < end && !d; ++j) try_date(j, d);
    if (d) note_date(*d, toks_[colon + 1 < end ? colon + 1 : colon].offset, true);
    else warn("the date line could not be read as a date", toks_[i].offset);
    return end;
  }
  Section s = Section::None;
  if (key == "s" || key == "subjective" || key == "subj" || key == "hx" || key == "history" || key == "c/o")
    s = Section::Subjective;
  else if (key == "o" || key == "objective" || key == "obj" || key == "exam" || key == "examination" ||
           key == "findings" || key == "palpation" || key == "on palpation" || key == "treatment" || key == "tx" ||
           key == "rx")
    s = Section::Objective;
  else if (key == "a" || key == "assessment" || key == "imp" || key == "impression")
    s = Section::Assessment;
  else if (key == "p" || key == "plan")
    s = Section::Plan;
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
    auto d = read_legacy_date(span_text(from, to), options_.date_order);
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
    // 4 Mar 2019, 4th March 2019
    std::size_t j = i + 1;
    if (is_word(j) && !toks_[j].space_before &&
        (word_is(j, "st") || word_is(j, "nd") || word_is(j, "rd") || word_is(j, "th")))
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
      const auto e = lookup(lower(j, buf));
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

std::size_t Reader::scan_level(std::size_t i, int lo, char prefix) {
  // Range: T3-T6, T3–6, T3 to T6, C7-T2, L4/5, L5/S1
  int hi = lo;
  std::size_t next = i + 1;
  std::size_t j = i + 1;
  if (is_dash(j) || is_punct(j, '/') || word_is(j, "to")) {
    const std::size_t k = j + 1;
    char buf[32];
    bool bad = false;
    if (is_word(k)) {
      if (auto idx = level_index(lower(k, buf), bad)) {
        hi = *idx;
        next = k + 1;
      } else if (bad) {
        warn("unknown spinal level '" + std::string(tok_text(k)) + "'", toks_[k].offset);
        next = k + 1;
      }
    } else if (is_number(k) && !(is_punct(k + 1, '/') && number_value(k + 2) == 10)) {
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
  it.begin = toks_[i].offset;
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
    case TokenKind::Dash:
      return i + 1;
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
          if (lookup(lower(j + 1, buf)).kind != Lex::Side) {
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
        note_date(*d, t.offset, false);
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
      if (is_word(j) && lookup(lower(j, buf)).kind == Lex::MoreWord) { more = true; ++j; }
      if (is_word(j) && lookup(lower(j, buf)).kind == Lex::SessionWord && (more || section_ == Section::Plan)) {
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

  const std::string_view w = lower(i, buf);
  const bool month_letter = w[0] == 'j' || w[0] == 'f' || w[0] == 'm' || w[0] == 'a' || w[0] == 's' ||
                            w[0] == 'o' || w[0] == 'n' || w[0] == 'd';
  if (std::optional<DateReading> d; month_letter && w.size() >= 3 && month_from_name(w) != 0) {
    if (const std::size_t after = try_date(i, d); after != i) {
      note_date(*d, t.offset, false);
      return after;
    }
  }
  const LexEntry entry = lookup(w);
  auto next_is = [&](std::size_t k, std::string_view word) { return word_is(k, word); };
  // Multi-token words first; only words that can start one are checked.
  if (entry.starter) {
  // T-spine, L-spine, C-spine
  if ((w == "t" || w == "l" || w == "c") && is_dash(i + 1) && next_is(i + 2, "spine")) {
    push_region(i, i + 2,
                static_cast<std::uint8_t>(w == "t" ? BodyRegion::ThoracicSpine
                                          : w == "l" ? BodyRegion::LumbarRegion
                                                     : BodyRegion::CervicalSpine));
    return i + 3;
  }
  if (w == "l" || w == "r") {
    const bool left = w == "l";
    if ((is_punct(i + 1, '>') || is_punct(i + 1, '<') || is_punct(i + 1, '=')) && next_is(i + 2, left ? "r" : "l")) {
      Item it;
      it.kind = ItemKind::Side;
      it.begin = t.offset;
      it.end = tok_end(i + 2);
      const char op = toks_[i + 1].punct;
      it.side = op == '=' ? SideMark::Both
                : (op == '>') == left ? SideMark::LeftWorse
                                      : SideMark::RightWorse;
      cur_.items.push_back(it);
      return i + 3;
    }
  }
  if (w == "b" && is_punct(i + 1, '/') && next_is(i + 2, "l")) {
    Item it;
    it.kind = ItemKind::Side;
    it.side = SideMark::Both;
    it.begin = t.offset;
    it.end = tok_end(i + 2);
    cur_.items.push_back(it);
    return i + 3;
  }
  if (w == "both" && (next_is(i + 1, "sides") || next_is(i + 1, "side"))) {
    Item it;
    it.kind = ItemKind::Side;
    it.side = SideMark::Both;
    it.begin = t.offset;
    it.end = tok_end(i + 1);
    cur_.items.push_back(it);
    return i + 2;
  }
  if (w == "u" && is_punct(i + 1, '/') && next_is(i + 2, "s")) { cur_.therapy = true; return i + 3; }
  if (w == "c" && is_punct(i + 1, '/') && next_is(i + 2, "o")) { cur_.reported = true; return i + 3; }
  if (w == "f" && is_punct(i + 1, '/') && next_is(i + 2, "u")) {
    clause_plan_marker_ = true;
    std::size_t j = i + 3;
    if (is_number(j) && is_punct(j + 1, '/') && is_number(j + 2)) j += 3;  // f/u 1/52
    return j;
  }
  if (w == "dry" && (next_is(i + 1, "needling") || next_is(i + 1, "needled"))) { cur_.therapy = true; return i + 2; }
  if (w == "skin" && (next_is(i + 1, "rolling") || next_is(i + 1, "rolled"))) return i + 2;
  if (w == "foam" && next_is(i + 1, "roller")) return i + 2;
  if (w == "myofascial" && (next_is(i + 1, "release") || next_is(i + 1, "releases"))) return i + 2;
  if (w == "trigger" && next_is(i + 1, "point")) return i + 2;
  if (w == "upper" || w == "mid" || w == "lower" || w == "low") {
    const std::size_t j = i + 1;
    char b2[32];
    const auto nw = lower(j, b2);
    if (w == "upper" && (nw == "traps" || nw == "trap" || nw == "trapezius" || nw == "trapz")) {
      push_region(i, j, static_cast<std::uint8_t>(BodyRegion::UpperTrapezius));
      return j + 1;
    }
    if ((w == "low" || w == "lower") && nw == "back") {
      push_region(i, j, static_cast<std::uint8_t>(BodyRegion::LumbarRegion));
      return j + 1;
    }
    if (w == "mid" && (nw == "back" || nw == "thoracic")) {
      push_region(i, j, static_cast<std::uint8_t>(BodyRegion::ThoracicSpine));
      return j + 1;
    }
    return i + 1;
  }
  if (w == "shoulder") {
    if (next_is(i + 1, "shawl")) {
      push_region(i, i + 1, static_cast<std::uint8_t>(BodyRegion::UpperTrapezius));
      return i + 2;
    }
    if (next_is(i + 1, "blades") || next_is(i + 1, "blade")) {
      const bool between = i >= 1 && (word_is(i - 1, "between") || (word_is(i - 1, "the") && word_is(i - 2, "between")));
      push_region(i, i + 1, static_cast<std::uint8_t>(between ? BodyRegion::Interscapular : BodyRegion::Scapular));
      return i + 2;
    }
    push_region(i, i, static_cast<std::uint8_t>(BodyRegion::Shoulder));
    return i + 1;
  }
  if (w == "rib" && (next_is(i + 1, "cage") || next_is(i + 1, "s"))) {
    push_region(i, i + 1, static_cast<std::uint8_t>(BodyRegion::RibCage));
    return i + 2;
  }
  if (w == "chest" && next_is(i + 1, "wall")) {
    push_region(i, i + 1, static_cast<std::uint8_t>(BodyRegion::ChestWall));
    return i + 2;
  }
  if (w == "inter" && is_dash(i + 1) && next_is(i + 2, "scapular")) {
    push_region(i, i + 2, static_cast<std::uint8_t>(BodyRegion::Interscapular));
    return i + 3;
  }
  if (w == "non" && (next_is(i + 1, "tender") || (is_dash(i + 1) && next_is(i + 2, "tender")))) {
    const std::size_t end = next_is(i + 1, "tender") ? i + 1 : i + 2;
    Attrs a;
    a.tender = false;
    push_attr(t.offset, tok_end(end), a);
    return end + 1;
  }
  if (w == "no" || w == "nil" || w == "not" || w == "without" || w == "nil'd") {
    std::size_t j = i + 1;
    char b2[32];
    auto nw = lower(j, b2);
    if (nw == "further" || nw == "significant" || nw == "obvious" || nw == "palpable" || nw == "fascial" ||
        nw == "any") {
      ++j;
      nw = lower(j, b2);
    }
    const LexEntry e = is_word(j) ? lookup(nw) : LexEntry{};
    Attrs a;
    if (e.kind == Lex::Restricted) a.grade = RestrictionGrade::None;
    else if (e.kind == Lex::Tender) a.tender = false;
    else if (nw == "change" || nw == "changes" || nw == "improvement" ||
             (e.kind == Lex::Release && e.value == static_cast<std::uint8_t>(ReleaseResponse::Released)))
      a.release = ReleaseResponse::NotReleased;
    else if (nw == "pain") a.pain = 0;
    else if (w == "nil" && (!is_word(j) || j >= n())) {
      a.grade = RestrictionGrade::None;  // "L-spine: nil." — the word alone
      push_attr(t.offset, tok_end(i), a);
      return i + 1;
    } else return i + 1;
    push_attr(t.offset, tok_end(j), a);
    return j + 1;
  }
  if (w == "did" || w == "didn't" || w == "didnt") {
    std::size_t j = i + 1;
    if (next_is(j, "not")) ++j;
    if (is_word(j)) {
      const auto e = lookup(lower(j, buf));
      if (e.kind == Lex::Release) {
        Attrs a;
        a.release = ReleaseResponse::NotReleased;
        push_attr(t.offset, tok_end(j), a);
        return j + 1;
      }
    }
    return i + 1;
  }
  if (w == "pain" || w == "nrs" || w == "vas" || w == "p") {
    if (w == "pain" && (next_is(i + 1, "free") || (is_dash(i + 1) && next_is(i + 2, "free")))) {
      Attrs a;
      a.pain = 0;
      const std::size_t e = next_is(i + 1, "free") ? i + 1 : i + 2;
      push_attr(t.offset, tok_end(e), a);
      return e + 1;
    }
    std::size_t j = i + 1;
    while (is_punct(j, ':') || is_punct(j, '=') || next_is(j, "score") || next_is(j, "nrs") || next_is(j, "of") ||
           next_is(j, "level"))
      ++j;
    if (!is_number(j) || (w == "p" && !is_punct(j + 1, '/'))) return i + 1;
    const int v = number_value(j);
    std::size_t e = j;
    bool out_of_ten = false;
    if (is_punct(j + 1, '/') && is_number(j + 2)) {
      out_of_ten = number_value(j + 2) == 10;
      e = j + 2;
    }
    Attrs a;
    if (w == "vas" && !out_of_ten) {
      // VAS in millimetres, kept as written: "VAS 60mm", "VAS 60 mm", "VAS 60/100"
      std::size_t k = j + 1;
      if (next_is(k, "cm")) {
        warn("VAS '" + std::string(span_text(i, k + 1)) + "' is in centimetres; not converted and not read",
             t.offset);
        return k + 1;
      }
      if (next_is(k, "mm")) e = k;
      if (v > 100) {
        warn("VAS '" + std::string(span_text(i, e + 1)) + "' is over 100 mm and was not read", t.offset);
        return e + 1;
      }
      a.vas = tok_text(j);
    } else {
      if (v > 10) {
        warn("pain score '" + std::string(span_text(i, e + 1)) + "' is out of range and was not read", t.offset);
        return e + 1;
      }
      a.pain = v;
    }
    push_attr(t.offset, tok_end(e), a);
    return e + 1;
  }
  }
  if (w.size() >= 2 && w[0] == 'g' && w.size() <= 3 && w[1] >= '0' && w[1] <= '3' && w.size() == 2) {
    Attrs a;
    a.grade = static_cast<RestrictionGrade>(w[1] - '0');
    push_attr(t.offset, tok_end(i), a);
    return i + 1;
  }
  if (w[0] == 'x' && (w.size() == 1 || (w[1] >= '0' && w[1] <= '9'))) return scan_plan_count(i);

  bool bad = false;
  if (auto idx = level_index(w, bad)) {
    return scan_level(i, *idx, w[0]);
  }
  if (bad) {
    warn("unknown spinal level '" + std::string(tok_text(i)) + "'", t.offset);
    return i + 1;
  }

  const LexEntry& e = entry;
  switch (e.kind) {
    case Lex::None:
    case Lex::Technique:
      return i + 1;
    case Lex::Side: {
      Item it;
      it.kind = ItemKind::Side;
      it.side = e.value == 1 ? SideMark::Left : e.value == 2 ? SideMark::Right : SideMark::Both;
      it.begin = t.offset;
      it.end = tok_end(i);
      std::size_t j = i + 1;
      // "Lt. T3": the dot abbreviates; "T4 R. Thoracic WNL" ends a sentence.
      if (is_punct(j, '.') && !toks_[j].space_before && (w == "lt" || w == "rt") && is_word(j + 1)) {
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
      std::size_t end = i;
      // "mild-moderate", "mod-marked": the higher grade, as a reviewer would chart it.
      if ((is_dash(i + 1) || is_punct(i + 1, '/') || next_is(i + 1, "to")) && is_word(i + 2)) {
        char b2[32];
        const auto e2 = lookup(lower(i + 2, b2));
        if (e2.kind == Lex::Grade) {
          a.grade = static_cast<RestrictionGrade>(std::max(e.value, e2.value));
          end = i + 2;
        }
      }
      push_attr(t.offset, tok_end(end), a);
      return end + 1;
    }
    case Lex::GradeKeyword: {
      std::size_t j = i + 1;
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
      if (v > 3) warn("restriction grade '" + std::string(span_text(i, j + 1)) + "' is not 0-3 and was not read",
                      t.offset);
      return i + 1;
    }
    case Lex::Restricted: {
      Attrs a;
      a.restricted = true;
      push_attr(t.offset, tok_end(i), a);
      return i + 1;
    }
    case Lex::Tender: {
      Attrs a;
      a.tender = e.value == 1;
      std::size_t end = i;
      while (is_punct(end + 1, '+') && !toks_[end + 1].space_before) ++end;  // "TTP++" grades tenderness
      push_attr(t.offset, tok_end(end), a);
      return end + 1;
    }
    case Lex::Release: {
      Attrs a;
      a.release = static_cast<ReleaseResponse>(e.value);
      push_attr(t.offset, tok_end(i), a);
      return i + 1;
    }
    case Lex::Therapy:
      cur_.therapy = true;
      return i + 1;
    case Lex::Foreign:
      push_simple(ItemKind::Foreign, i, i);
      return i + 1;
    case Lex::Region:
      push_region(i, i, e.value);
      // "lumbar spine", "thoracic region": one mention
      if (next_is(i + 1, "spine") || next_is(i + 1, "region") || next_is(i + 1, "area")) return i + 2;
      return i + 1;
    case Lex::Connector:
      push_simple(ItemKind::Connector, i, i);
      return i + 1;
    case Lex::Separator:
      push_simple(ItemKind::Comma, i, i);
      return i + 1;
    case Lex::SessionWord:
    case Lex::MoreWord:
    case Lex::Schedule:
      return i + 1;
    case Lex::PlanMarker:
      clause_plan_marker_ = true;
      return i + 1;
    case Lex::Reported:
      cur_.reported = true;
      return i + 1;
    case Lex::Overall:
      cur_.overall = true;
      return i + 1;
  }
  return i + 1;
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
        if (seg_side != SideMark::None && gs != SideMark::None && seg_side != gs && g.count > 0 && !g.foreign) {
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
        bool site_follows = false;
        for (std::size_t j = end + 1; j < items.size() && !site_follows; ++j)
          site_follows = items[j].kind == ItemKind::Site;
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

void Reader::emit(const Clause& c) {
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

void Reader::run() {
  tokenize(text_, toks_);
  std::size_t i = 0;
  while (i < n()) {
    const std::size_t end = line_end(i);
    const std::size_t j0 = header_line(i, end);
    if (j0 == i && section_ == Section::Plan && i < end) {
      // a continuation line of the P: section
      if (!plan_text_.empty()) plan_text_ += "; ";
      plan_text_ += span_text(i, end);
    }
    if (j0 != i) clause_begin_ = j0 < n() ? toks_[j0].offset : text_.size();
    for (std::size_t j = j0; j < end;) j = scan_token(j);
    if (end < n()) {
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
