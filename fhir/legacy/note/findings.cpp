// Stage: groups -> findings per site and side (bilateral, L>R), merged per site; a clause that
// names a site and yields nothing is reported as not understood.
#include "legacy/note/reader.hpp"

namespace mfr::legacy::note {

void Reader::flush_prev() {
  if (!have_prev_) return;
  emit(prev_);
  prev_.clear();
  have_prev_ = false;
}

void Reader::merge_into(Finding& g, const Finding& f, bool override_grade) {
  if (f.restriction) {
    if (override_grade) {
      g.restriction = f.restriction;  // "T3-T6 ++, except T5 +++"
    } else if (g.restriction && *g.restriction != *f.restriction) {
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

void Reader::add_finding(Finding f, bool override_grade) {
  auto& fs = out_.session.findings;
  for (auto& g : fs) {
    if (g.site == f.site) {
      merge_into(g, f, override_grade);
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
        merge_into(g, f, override_grade);
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
  if (c.therapy || c.technique || c.plan || c.reported || !reads_findings(c.section))
    return;
  bool names_site = false, yielded = false;
  std::uint32_t begin = UINT32_MAX, end = 0;
  for (const Group& g : c.groups) {
    if (g.foreign || g.count == 0) continue;
    names_site = true;
    yielded = yielded || g.attrs.any();
  }
  if (names_site && yielded) {
    // a site among findings that got none, with words after it no lexicon knows ("T9 R funny
    // pull, T4 L mild"): that site's words were not understood
    for (const Group& g : c.groups) {
      if (g.foreign || g.heading || g.count == 0 || g.attrs.any() || g.unknown_end == 0 || g.begin == UINT32_MAX) continue;
      const std::uint32_t b = g.begin, e = g.unknown_end;
      out_.warnings.push_back({"not understood: '" + std::string(text_.substr(b, std::min<std::uint32_t>(e - b, 120))) + "'",
                               b, e - b, NoteWarningKind::NotUnderstood});
    }
    return;
  }
  if (!names_site) return;
  for (const Item& it : c.items) {
    begin = std::min(begin, it.begin);
    end = std::max(end, it.end);
  }
  // to the clause's end: the words not understood are usually after the last one that was
  std::size_t stop = std::max<std::size_t>(end, std::min(c.end, text_.size()));
  while (stop > end && (text_[stop - 1] == ' ' || text_[stop - 1] == '.' || text_[stop - 1] == ';' ||
                        text_[stop - 1] == '\r' || text_[stop - 1] == '\n' || text_[stop - 1] == '\t' || text_[stop - 1] == ','))
    --stop;
  end = static_cast<std::uint32_t>(stop);
  // the whole clause as written, from its start to its last item's end
  std::size_t from = std::min<std::size_t>(clause_start_of(c), begin);
  while (from < end && (text_[from] == ' ' || text_[from] == '\t' || text_[from] == '-' || text_[from] == '*')) ++from;
  std::string_view span = text_.substr(from, end - from);
  if (span.size() > 120) span = span.substr(0, 120);
  out_.warnings.push_back({"not understood: '" + std::string(span) + "'", from, end - from, NoteWarningKind::NotUnderstood});
}

void Reader::emit(const Clause& c) {
  check_understood(c);
  const bool findings_allowed = !c.therapy && reads_findings(c.section);
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
    // The patient's words are no finding ("Pt called: back pain 7/10, L4-L5 area"), except at levels
    // while being examined: in the objective section or during the technique ("reported pain 7/10
    // over T8 during rolling").
    if (c.reported && (!any_level || !(c.technique || c.section == Section::Objective || c.section == Section::Treatment)))
      continue;
    // "upper back discomfort, which he rates at 5/10": a region with only the patient's score
    if (c.reported_after && !any_level && !g.attrs.grade && !g.attrs.restricted && !g.attrs.tender) continue;
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
            add_finding(std::move(f), c.except);
            break;
          case SideMark::Left:
          case SideMark::Right:
            f.site.side = side == SideMark::Left ? Side::Left : Side::Right;
            add_finding(std::move(f), c.except);
            break;
          case SideMark::Both: {
            f.site.side = Side::Left;
            add_finding(f, c.except);
            f.site.side = Side::Right;
            add_finding(std::move(f), c.except);
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
            add_finding(std::move(worse), c.except);
            add_finding(std::move(lesser), c.except);
            break;
          }
        }
      }
    }
  }
}

// The note's language: the table whose marker words occur most often (English on a tie or none).

}  // namespace mfr::legacy::note
