#include "legacy/note_reader.hpp"

#include "legacy/note/reader.hpp"

namespace mfr::legacy {
namespace note {

note::Lang Reader::detect_language() const {
  std::array<int, note::kLangCount> hits{};
  char buf[32];
  // The first few hundred words tell the language; a clear lead ends the count early.
  int words = 0;
  for (std::size_t i = 0; i < n() && words < 400; ++i) {
    if (!is_word(i)) continue;
    if (++words % 32 == 0) {
      int top = 0, second = 0;
      for (int h : hits) {
        if (h > top) { second = top; top = h; }
        else if (h > second) second = h;
      }
      if (top >= second + 12) break;
    }
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
      carry_side_ = SideMark::None;  // a side does not carry over a line break
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

}  // namespace note

NoteResult NoteReader::read(std::string_view text, const NoteOptions& options) {
  NoteResult result;
  note::Reader reader(text, options, tokens_, result);
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
