// Stage: a clause's mentions -> groups of sites with what was found at them, in any word
// order; a clause with no site completes the one before it.
#include "legacy/note/reader.hpp"

namespace mfr::legacy::note {

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
  // A side that opened the sentence before a ';' goes on for a clause that names none ("On the
  // left it rolled freely as far as T7; at T6 it became moderately restricted").
  // It holds for the sites before the clause's own first side word.
  const auto first_side = std::find_if(items.begin(), items.end(), [](const Item& it) { return it.kind == ItemKind::Side; });
  const bool names_side = first_side != items.end();
  const std::size_t carry_until = static_cast<std::size_t>(first_side - items.begin());
  SideMark header_side = SideMark::None;
  c.leading_side = names_side ? SideMark::None : carry_side_;
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
        if (comparison && !seg.any() && (gs == SideMark::Both || gs == SideMark::None) && g.count > 0 && !g.foreign) {
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
              g.side = header_side != SideMark::None ? header_side : j < carry_until ? carry_side_ : SideMark::None;
              absorb(g.attrs, pending);
              pending = Attrs{};
              c.groups.push_back(g);
              group = c.groups.size() - 1;
            }
            Group& g = c.groups[*group];
            if (c.groups.size() == 1 && g.count == 0 && pending_side != SideMark::None && names_side)
              c.leading_side = pending_side;  // "On the left, T3-T5 ..."
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
            } else if (c.groups[*group].attrs.any() && effective_side(c, c.groups[*group]) != SideMark::None &&
                       effective_side(c, c.groups[*group]) != it.side && !c.groups[*group].foreign) {
              // "T2-T5 L+ R++": a second side after the first side's words opens that side's group
              const Group& g = c.groups[*group];
              Group clone;
              clone.first = c.entries.size();
              clone.count = g.count;
              clone.side = it.side;
              clone.begin = it.begin;
              clone.end = it.end;
              for (std::size_t e = g.first; e < g.first + g.count; ++e) c.entries.push_back({c.entries[e].item, SideMark::None});
              c.groups.push_back(clone);
              group = c.groups.size() - 1;
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
          case ItemKind::Unknown:
            // words we do not know end a list of sites: "T9 R funny pull, T4 L mild" is two
            only_links_since_site = false;
            if (seen_site && group) c.groups[*group].unknown_end = std::max(c.groups[*group].unknown_end, it.end);
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
  // words no lexicon knows, and nothing else: no clause ("Good response.")
  if (std::all_of(cur_.items.begin(), cur_.items.end(), [](const Item& it) { return it.kind == ItemKind::Unknown; })) {
    cur_.clear();
    return;
  }
  cur_.section = section_;
  cur_.begin = clause_text_begin;
  cur_.end = end_offset;
  build_groups(cur_);
  last_leading_side_ = cur_.leading_side;
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
    const bool findings_here = reads_findings(cur_.section);
    std::size_t last_char = end_offset;
    while (last_char > clause_text_begin && (text_[last_char - 1] == ' ' || text_[last_char - 1] == '\t' ||
                                             text_[last_char - 1] == '\r' || text_[last_char - 1] == '\n'))
      --last_char;
    const bool lead_in = last_char > clause_text_begin && text_[last_char - 1] == ':';  // "... at the following levels:"
    if (!same && findings_here && !lead_in && !cur_.therapy && !cur_.reported && !cur_.plan && !cur_.overall &&
        ((o.attrs.grade && *o.attrs.grade != RestrictionGrade::None) || (!o.attrs.grade && o.attrs.restricted)) &&
        o.attrs.begin != UINT32_MAX) {
      // "Moderate restriction." with no site before it in the section: a finding with no place
      const std::uint32_t b = o.attrs.begin, e = o.attrs.end;
      out_.warnings.push_back({"not understood: '" + std::string(text_.substr(b, std::min<std::uint32_t>(e - b, 120))) +
                                   "' (a finding with no site)",
                               b, e - b, NoteWarningKind::NotUnderstood});
    }
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
        // a side of its own repeats the sites on that side ("T4 R marked. L mild."); so it does for a
        // midline site that has findings already ("tender at T6. The right side moved freely.")
        if (o.side != SideMark::None && ((gs != SideMark::None && o.side != gs) || (gs == SideMark::None && g.attrs.any()))) {
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

}  // namespace mfr::legacy::note
