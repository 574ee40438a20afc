// Stage: tokens -> mentions (rules in legacy/note_reader.hpp): lexicon words and phrases,
// levels and ranges, negation, pain scores.
#include "legacy/note/reader.hpp"

namespace mfr::legacy::note {

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
        // Known abbreviations count too ("restr. légère", "bilat. restr.", "betw. shoulder blades").
        if (i > 0 && is_word(i - 1) && !t.space_before && is_word(i + 1) &&
            ((tok_text(i + 1)[0] >= 'a' && tok_text(i + 1)[0] <= 'z') || static_cast<unsigned char>(tok_text(i + 1)[0]) >= 0x80) &&
            (toks_[i - 1].length <= 3 || (toks_[i - 1].length <= 5 && lex(lower(i - 1, buf)).kind != Lex::None)))
          return i + 1;
        end_clause(tok_end(i));
        carry_side_ = SideMark::None;  // a sentence's side ends with it
        return i + 1;
      }
      if (c == ';' || c == '!' || c == '?') {
        // the patient's words go on to the end of the sentence ("reports ...; tightness ... (2/10)")
        const bool reported = cur_.reported && c == ';';
        last_leading_side_ = SideMark::None;
        end_clause(tok_end(i));
        cur_.reported = reported;
        carry_side_ = c == ';' ? last_leading_side_ : SideMark::None;
        return i + 1;
      }
      if (c == ',') { push_simple(ItemKind::Comma, i, i); return i + 1; }
      if (c == '(' && !cur_.items.empty() &&
          (cur_.items.back().kind == ItemKind::Site || cur_.items.back().kind == ItemKind::Side)) {
        // "Thorax rechts (Rippenbogen)", "upper traps (UT)": a region restated in parentheses
        // after a site is the same place, not a site of its own.
        std::size_t close = i + 1;
        while (close < n() && close < i + 6 && !is_punct(close, ')') && toks_[close].kind != TokenKind::Newline) ++close;
        // Only regions, sides and words of no meaning inside: "(Rippenbogen)", "(left, lower ribs)".
        if (is_punct(close, ')') && close > i + 1) {
          std::vector<Item> sides;
          bool apposition = true, region = false;
          for (std::size_t k = i + 1; k < close && apposition;) {
            if (is_punct(k, ',')) { ++k; continue; }
            if (!is_word(k)) { apposition = false; break; }
            LexEntry e = lex(lower(k, buf));
            std::size_t last = k;
            if (e.starter) match_phrase(k, e, last);
            bool bad = false;
            if (e.kind == Lex::Region) region = true;
            else if (e.kind == Lex::Side && e.value <= 3) {
              Item side;
              side.kind = ItemKind::Side;
              side.side = e.value == 1 ? SideMark::Left : e.value == 2 ? SideMark::Right : SideMark::Both;
              side.begin = toks_[k].offset;
              side.end = tok_end(last);
              sides.push_back(side);
            } else if (e.kind != Lex::None && e.kind != Lex::Filler) apposition = false;
            else if (level_index(lower(k, buf), bad) || bad) apposition = false;
            k = last + 1;
          }
          if (apposition && (region || !sides.empty()) && last_is_site()) {
            for (const Item& side : sides) cur_.items.push_back(side);
            return close + 1;
          }
        }
      }
      if (c == ':' || c == '(' || c == ')') { push_simple(ItemKind::Break, i, i); return i + 1; }
      if (c == '&') { push_simple(ItemKind::Connector, i, i); return i + 1; }
      if (c == '+') {
        std::size_t j = i;
        while (is_punct(j + 1, '+') && !toks_[j + 1].space_before) ++j;
        const int count = static_cast<int>(j - i + 1);
        if (count == 1 && is_word(j + 1)) {
          // A lone '+' before a site or a technique joins ("T4 + T5", "rolling + kneading", "SR + UT");
          // before anything else it is a grade ("D1 + central", "T4 + R").
          const auto nw = lower(j + 1, buf);
          const Lex k = lex(nw).kind;
          bool bad = false;
          if (k == Lex::Region || k == Lex::Technique || k == Lex::Therapy || k == Lex::Foreign ||
              level_index(nw, bad) || bad) {
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
  const bool month_letter = w[0] == 'j' || w[0] == 'f' || w[0] == 'm' || w[0] == 'a' || w[0] == 's' ||
                            w[0] == 'o' || w[0] == 'n' || w[0] == 'd';  // the month names' first letters
  if (std::optional<DateReading> d; month_letter && w.size() >= 3 && w.size() <= 10 && month_from_name(w) != 0) {
    if (const std::size_t after = try_date(i, d); after != i) {
      if (!other_date(i)) note_date(*d, t.offset, false);
      return after;
    }
  }
  auto next_is = [&](std::size_t k, std::string_view word) { return word_is(k, word); };
  // Side comparisons: L>R, R>L, L=R, re>li, G>D, "re. > li."
  {
    std::size_t op = i + 1;
    if (is_punct(op, '.') && !toks_[op].space_before) ++op;
    if (is_punct(op, '>') || is_punct(op, '<') || is_punct(op, '=')) {
      const LexEntry a = lex(w);
      char b2[32];
      const LexEntry b = is_word(op + 1) ? lex(lower(op + 1, b2)) : LexEntry{};
      if (a.kind == Lex::Side && b.kind == Lex::Side && (a.value == 1 || a.value == 2) && a.value + b.value == 3) {
        const bool left = a.value == 1;
        std::size_t end = op + 1;
        if (is_punct(end + 1, '.') && !toks_[end + 1].space_before && toks_[end].length <= 3) ++end;  // "li."
        Item it;
        it.kind = ItemKind::Side;
        it.begin = t.offset;
        it.end = tok_end(end);
        const char c = toks_[op].punct;
        it.side = c == '=' ? SideMark::Both : (c == '>') == left ? SideMark::LeftWorse : SideMark::RightWorse;
        cur_.items.push_back(it);
        return end + 1;
      }
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
      if (last == i && toks_[i].length >= 3) push_simple(ItemKind::Unknown, i, i);
      return last + 1;
    case Lex::Filler:
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
      if (is_punct(j, '.') && !toks_[j].space_before && is_word(j + 1) && last == i && toks_[i].length >= 2 && toks_[i].length <= 3) {
        char b2[32];
        bool bad_level = false;
        if (level_index(lower(j + 1, b2), bad_level)) ++j;
      }
      if (is_punct(j, ':')) it.side_header = true;
      cur_.items.push_back(it);
      return j;
    }
    case Lex::Grade: {
      if (last == i && i > 0 && is_number(i - 1) && word_is(i, "min")) return last + 1;  // "20 min": minutes
      Attrs a;
      a.grade = static_cast<RestrictionGrade>(e.value);
      std::size_t end = last;
      // "mild-moderate", "mod to marked", "légère à modérée": the higher grade, as a reviewer charts it.
      std::size_t k = last + 1;
      auto joins = [&](std::size_t x) {
        return is_dash(x) || is_punct(x, '/') || next_is(x, "to") || next_is(x, "a") || next_is(x, "bis");
      };
      if (joins(k)) {
        while (joins(k + 1) && k < last + 3) ++k;  // "mild-to-moderate"
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
      if (is_word(j)) {  // "grade II", "Grad III"
        char b2[32];
        const auto r = lower(j, b2);
        const int roman = r == "i" ? 1 : r == "ii" ? 2 : r == "iii" ? 3 : -1;
        if (roman > 0) {
          Attrs a;
          a.grade = static_cast<RestrictionGrade>(roman);
          push_attr(t.offset, tok_end(j), a);
          return j + 1;
        }
      }
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
    case Lex::Reported: {
      // "Pt reports 8/10 pain in the lumbar spine": the patient's words. After a site the examiner
      // has already said what was found there ("rib cage markedly restricted, pt reported pain
      // 6/10 with rolling"): the pain still belongs to that site.
      bool site_before = false;
      for (const Item& it : cur_.items) site_before = site_before || it.kind == ItemKind::Site;
      if (!site_before) cur_.reported = true;
      else cur_.reported_after = true;
      return last + 1;
    }
    case Lex::Except:
      end_clause(t.offset);
      cur_.except = true;
      return last + 1;
    case Lex::Before:
      // "T5-T6 right (mild), previously moderate": what was found before is no finding of today
      end_clause(t.offset);
      cur_.therapy = true;
      return last + 1;
    case Lex::Overall:
      cur_.overall = true;
      return last + 1;
  }
  (void)buf;
  return last + 1;
}

}  // namespace mfr::legacy::note
