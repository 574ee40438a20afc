#pragma once
// SVG charts of skin-rolling findings that a host shows in its own UI or prints.
//
// Both renderers return one self-contained SVG 1.1 document (UTF-8, no external
// references, no script), deterministic: the same input gives the same bytes.
// Every finding cell carries data attributes (data-level, data-region, data-side,
// data-grade, data-pain, data-released, data-tender) so hosts and tests can read
// the chart back. The patient's reference never appears in the output; the host's
// `patient_label` appears only when `show_patient` is true.
#include <string>
#include <vector>

#include "model/session.hpp"

namespace mfr::chart {

struct ChartOptions {
  // Which spinal levels get a row.
  enum class Levels {
    WithNeighbours,  // levels with a finding plus one neighbour above and below
    FullSpine,       // all 25, C1 to the sacrum
  };

  int width_px = 560;  // clamped to [320, 4000]; layouts adapt (panels stack when narrow)
  int height_px = 0;   // 0: the height the content needs; else the SVG is scaled to fit
  Levels levels = Levels::WithNeighbours;
  bool show_patient = false;
  std::string patient_label;  // shown only when show_patient is true
  std::string language = "en";  // "en", "fr", "de"; anything else falls back to "en"
  std::string title;             // empty: a default title in `language`
};

// One session: C1..sacrum down the middle, a cell for the left and the right side of
// each level (posterior view: the patient's left is on the left), a midline finding
// in the centre box of its level, and off-spine regions beside the spine.
// Findings entered in error are left out; of several findings at the same site and
// side the last one in the session wins (an amendment comes after what it corrects).
std::string render_spine_map(const Session& session, const ChartOptions& options = {});

// Many sessions of one patient, sorted by start inside: a level x session heat map per
// side (a midline panel too when midline findings exist; off-spine regions as extra rows
// under the levels) and, over a date axis, the highest pain and the number of restricted
// sites (grade >= 1, regions included) of each session. Sessions entered in error or not
// done are left out. Throws std::invalid_argument when the sessions are of more than one
// patient (`Session::patient` differs) or a session has no start date.
std::string render_course(const std::vector<Session>& sessions, const ChartOptions& options = {});

}  // namespace mfr::chart
