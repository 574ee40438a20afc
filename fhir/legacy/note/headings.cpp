// Stage: header lines ("Patient:", "MRN", "Therapist:", "Date:", SOAP section headings in
// English, French and German) and dates in the text.
#include "legacy/note/dates.hpp"
#include "legacy/note/reader.hpp"

namespace mfr::legacy::note {

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
    // "Name: J. Parker    DOB: 14/07/1965    Date: 22/09/2022": a date key later on the line
    for (std::size_t j = colon + 1; j + 1 < end; ++j) {
      char buf[32];
      if (!is_word(j) || !is_punct(j + 1, ':') || note::lookup_heading(lower(j, buf), lang_).kind != Lex::DateKey) continue;
      std::optional<DateReading> d;
      for (std::size_t k = j + 2; k < end && k < j + 6 && !d; ++k) try_date(k, d);
      if (d) note_date(*d, toks_[j].offset, true);
      break;
    }
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
  if (s == Section::None && head.kind == Lex::None && colon != end && section_ != Section::None && key_stop == end) {
    // A heading we do not know ("Physical:", "Bemerkung:") ends the section before it: what
    // follows is read as unsectioned text, not as the patient's words or the plan.
    bool meaningless = true;
    for (std::size_t j = i; j < colon && meaningless; ++j) {
      char buf[32];
      bool bad = false;
      if (!is_word(j)) continue;
      const auto w = lower(j, buf);
      meaningless = lex(w).kind == Lex::None && !level_index(w, bad) && !bad;
    }
    if (meaningless && colon - i <= 3) {
      end_clause(toks_[i].offset);
      flush_prev();
      paragraph_start_ = out_.session.findings.size();
      section_ = Section::None;
      cur_.section = Section::None;
      return colon + 1;
    }
  }
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

// Reads a date starting at token i (note/dates.hpp has its shapes); returns the token after it (i when none).
std::size_t Reader::try_date(std::size_t i, std::optional<DateReading>& reading) {
  thread_local std::string written;
  const std::size_t end = note::date_span(text_, toks_, i, written);
  if (end == i) return i;
  // French and German notes write slashed dates day first ("14/03/2023").
  const bool european = lang_ != note::Lang::En;
  auto d = read_legacy_date(written, european ? DateOrder::DayFirst : options_.date_order);
  if (!d) return i;
  if (european) d->doubt.clear();
  reading = std::move(d);
  return end;
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

}  // namespace mfr::legacy::note
