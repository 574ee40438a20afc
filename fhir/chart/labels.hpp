#pragma once
// The charts' words are terminology's (terminology/labels.hpp), shared with the narratives codec
// writes; the chart code names them as its own.
#include "terminology/labels.hpp"

namespace mfr::chart {

using terminology::grade_label;
using terminology::Labels;
using terminology::labels_for;
using terminology::level_label;
using terminology::side_label;

}  // namespace mfr::chart
