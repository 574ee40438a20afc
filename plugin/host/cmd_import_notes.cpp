// mfr import-notes: the batch import of legacy notes, with a progress bar on a terminal.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "commands.hpp"
#include "plugin_loader.hpp"

namespace mfr::host {
namespace fs = std::filesystem;

namespace {

std::string human_duration(double seconds) {
  const long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  return buf;
}

struct ProgressView {
  bool terminal = false;
  std::chrono::steady_clock::time_point last_line{};
};

int on_progress(void* user, const mfr_batch_progress* p) {
  auto* view = static_cast<ProgressView*>(user);
  const double fraction = p->bytes_total ? static_cast<double>(p->bytes_done) / static_cast<double>(p->bytes_total) : 0.0;
  const double fresh = static_cast<double>(p->notes - p->resumed_notes);
  const double rate = p->elapsed_seconds > 0 ? fresh / p->elapsed_seconds : 0.0;
  const double left = fraction > 0 && fraction < 1 ? p->elapsed_seconds * (1 - fraction) / fraction : 0.0;
  char line[200];
  if (view->terminal) {
    constexpr int kWidth = 28;
    const int filled = static_cast<int>(fraction * kWidth + 0.5);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(kWidth, '.');
    std::snprintf(line, sizeof line, "\r[%s] %3.0f%%  %llu notes  %.0f notes/s  %llu quarantined  ETA %s ", bar.c_str(),
                  fraction * 100, static_cast<unsigned long long>(p->notes), rate,
                  static_cast<unsigned long long>(p->quarantined), human_duration(left).c_str());
    std::cerr << line << std::flush;
  } else {
    const auto now = std::chrono::steady_clock::now();
    if (now - view->last_line < std::chrono::seconds(2) && fraction < 1) return 0;
    view->last_line = now;
    std::snprintf(line, sizeof line, "progress: %.0f%% %llu notes, %.0f notes/s, %llu quarantined, ETA %s\n", fraction * 100,
                  static_cast<unsigned long long>(p->notes), rate, static_cast<unsigned long long>(p->quarantined),
                  human_duration(left).c_str());
    std::cerr << line;
  }
  return 0;
}

// The files named, with directories expanded to the files below them, in a stable order.
std::vector<std::string> expand_inputs(const std::vector<std::string>& inputs) {
  std::vector<std::string> files;
  for (const std::string& in : inputs) {
    if (fs::is_directory(in)) {
      std::vector<std::string> found;
      for (const auto& e : fs::recursive_directory_iterator(in))
        if (e.is_regular_file()) found.push_back(e.path().string());
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(in);
    }
  }
  return files;
}

}  // namespace

int run_import_notes(const Common& common, const ImportNotesArgs& args) {
  if (common.system.empty())
    throw std::invalid_argument("--system is required: the clinic's identifier system URI (or set MFR_IDENTIFIER_SYSTEM).");
  const Api api = load_plugin(common.plugin);
  const Context ctx(api, common.system);
  ProgressView view;
  view.terminal = ::isatty(STDERR_FILENO) == 1;

  mfr_batch_options options = MFR_BATCH_OPTIONS_INIT;
  options.format = args.format == "csv" ? MFR_NOTES_CSV : args.format == "hl7v2" ? MFR_NOTES_HL7V2 : MFR_NOTES_TEXT;
  options.out_dir = args.out.c_str();
  options.threads = args.threads;
  options.month_first = args.month_first ? 1 : 0;
  options.id_namespace = args.id_namespace.empty() ? nullptr : args.id_namespace.c_str();
  options.default_patient = args.patient.empty() ? nullptr : args.patient.c_str();
  options.patient_system = args.patient_system.empty() ? nullptr : args.patient_system.c_str();
  options.csv_columns = args.csv_columns.empty() ? nullptr : args.csv_columns.c_str();
  options.language = args.language.empty() ? nullptr : args.language.c_str();
  options.restart = args.restart ? 1 : 0;
  options.progress = on_progress;
  options.user_data = &view;

  mfr_batch* batch = nullptr;
  api.check(api->batch_new(&batch, ctx.get(), &options));
  struct Free {
    const Api& api;
    mfr_batch* b;
    ~Free() { api->batch_free(b); }
  } free_batch{api, batch};
  for (const std::string& f : expand_inputs(args.inputs)) api.check(api->batch_add_file(batch, f.c_str()));
  mfr_batch_progress counts = MFR_BATCH_PROGRESS_INIT;
  // The out-first call, or a first-release plugin's slot when it has none.
  const mfr_status st = MFR_API_HAS(&*api, batch_execute) ? api->batch_execute(&counts, batch) : api->batch_run(batch, &counts);
  if (view.terminal) std::cerr << "\n";
  if (st != MFR_OK && st != MFR_ERR_CANCELLED) api.check(st);
  std::cerr << "import-notes: " << counts.notes << " notes: " << counts.imported << " imported, "
            << counts.imported_with_warnings << " imported with warnings, " << counts.quarantined << " quarantined; "
            << counts.findings << " findings";
  if (counts.resumed_notes) std::cerr << " (" << counts.resumed_notes << " done by an earlier run)";
  std::cerr << "\nimport-notes: FHIR NDJSON, report.jsonl and quarantine.jsonl in " << args.out << "\n";
  return args.fail_on_quarantine && counts.quarantined ? 1 : 0;
}

}  // namespace mfr::host
