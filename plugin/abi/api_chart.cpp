// Charts: mfr_chart_session and mfr_chart_course over fhir/chart.
#include "chart/chart.hpp"
#include "mfr/mfr.h"
#include "plugin/abi/first_release.hpp"
#include "plugin/abi/guard.hpp"
#include "plugin/abi/handles.hpp"

using namespace mfr::abi;

namespace {

mfr::chart::ChartOptions chart_options(const mfr_chart_options* in) {
  mfr::chart::ChartOptions o;
  if (!in) return o;
  require_struct(in, in->struct_size, first_release::chart_options, "options");
  if (in->width_px < 0 || in->height_px < 0) fail(MFR_ERR_INVALID_ARGUMENT, "options->width_px and height_px must not be negative.");
  if (in->width_px) o.width_px = in->width_px;
  o.height_px = in->height_px;
  o.levels = in->full_spine ? mfr::chart::ChartOptions::Levels::FullSpine : mfr::chart::ChartOptions::Levels::WithNeighbours;
  o.show_patient = in->show_patient != 0;
  if (in->patient_label) o.patient_label = in->patient_label;
  if (in->language) o.language = in->language;
  if (in->title) o.title = in->title;
  return o;
}

}  // namespace

extern "C" {

MFR_API mfr_status mfr_chart_session(char** out_svg, size_t* out_len, const mfr_session* session,
                                     const mfr_chart_options* options) {
  return guard([&] {
    require(out_svg, "out_svg");
    const mfr_session& s = mfr::abi::session(session);
    *out_svg = to_host_buffer(mfr::chart::render_spine_map(s.session, chart_options(options)), out_len);
  });
}

MFR_API mfr_status mfr_chart_course(char** out_svg, size_t* out_len, const mfr_session* const* sessions, size_t count,
                                    const mfr_chart_options* options) {
  return guard([&] {
    require(out_svg, "out_svg");
    if (count && !sessions) fail(MFR_ERR_INVALID_ARGUMENT, "sessions is NULL but count is " + std::to_string(count) + ".");
    std::vector<mfr::Session> list;
    list.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      if (!sessions[i] || !is_live(sessions[i], HandleKind::Session))
        fail(MFR_ERR_INVALID_HANDLE, "sessions[" + std::to_string(i) + "] is not a live mfr_session.");
      list.push_back(sessions[i]->session);
    }
    *out_svg = to_host_buffer(mfr::chart::render_course(list, chart_options(options)), out_len);
  });
}

}  // extern "C"
