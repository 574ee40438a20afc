#pragma once
// The words the charts and the narratives (codec/narrative) show, per language; data text is never
// translated. Here, below both chart and codec, so that the two say the same things the same way.
#include <array>
#include <string_view>

#include "model/grades.hpp"
#include "model/site.hpp"

namespace mfr::terminology {

struct Labels {
  std::string_view language;  // "en", "fr", "de"
  std::string_view spine_title;
  std::string_view course_title;
  std::string_view left, right, midline;
  std::string_view posterior_view;
  std::string_view other_regions;
  std::array<std::string_view, 4> grades;  // none, mild, moderate, marked
  std::string_view restriction;
  std::string_view not_graded;
  std::string_view no_finding;
  std::string_view released, partial, tender;
  std::string_view session, sessions;
  std::string_view pain;
  std::string_view highest_pain;       // axis/legend: highest pain of a session (0-10)
  std::string_view vas_scaled;         // VAS-only sessions plotted as mm / 10
  std::string_view restricted_sites;   // number of sites graded >= 1
  std::string_view worst;
  std::string_view no_findings;
  std::string_view no_spine_findings;
  std::string_view no_sessions;
  std::string_view date;
  std::string_view sacrum;
  std::array<std::string_view, kBodyRegionCount> regions;  // indexed by BodyRegion
};

// The table for `language` ("en", "fr", "de"); any other value gives English.
const Labels& labels_for(std::string_view language) noexcept;

// "T4", or the localised word for the sacrum.
std::string_view level_label(const Labels& labels, SpinalLevel level) noexcept;
std::string_view side_label(const Labels& labels, Side side) noexcept;
std::string_view grade_label(const Labels& labels, RestrictionGrade grade) noexcept;

}  // namespace mfr::terminology
