// The batch importer of legacy notes: mfr_batch_*.
#include <cstring>
#include <filesystem>
#include <memory>

#include "legacy/batch.hpp"
#include "mfr/mfr.h"
#include "plugin/abi/first_release.hpp"
#include "plugin/abi/guard.hpp"
#include "plugin/abi/handles.hpp"
#include "plugin/abi/input_text.hpp"

struct mfr_batch {
  mfr::legacy::BatchOptions options;
  std::vector<std::string> files;
  std::vector<mfr::legacy::HostNote> notes;
  mfr_batch_progress_fn progress = nullptr;
  void* user_data = nullptr;
  std::optional<mfr::legacy::BatchResult> result;
};

using namespace mfr::abi;

namespace {

mfr_batch& batch(mfr_batch* p) {
  check_handle(p, HandleKind::Batch);
  return *p;
}

std::string text_or_empty(const char* s) { return s ? std::string(s) : std::string(); }

// "patient=MRN,date=Visit date,note=Text" -> the CSV column mapping.
void map_csv_columns(std::string_view spec, mfr::legacy::CsvOptions& csv) {
  while (!spec.empty()) {
    const auto comma = spec.find(',');
    const std::string_view item = spec.substr(0, comma);
    spec = comma == std::string_view::npos ? std::string_view() : spec.substr(comma + 1);
    const auto eq = item.find('=');
    if (eq == std::string_view::npos)
      fail(MFR_ERR_INVALID_ARGUMENT, "csv_columns: \"" + std::string(item) + "\" is not field=Header.");
    const std::string_view field = item.substr(0, eq);
    const std::string header(item.substr(eq + 1));
    mfr::legacy::CsvColumn column{header, -1, false};  // "field=" leaves the field unused
    if (!header.empty() && header.find_first_not_of("0123456789") == std::string::npos)
      column = {{}, std::stoi(header), false};
    if (field == "patient") csv.patient = column;
    else if (field == "date") csv.date = column;
    else if (field == "practitioner") csv.practitioner = column;
    else if (field == "note") csv.note = column;
    else if (field == "id") csv.id = column;
    else fail(MFR_ERR_INVALID_ARGUMENT, "csv_columns: unknown field \"" + std::string(field) + "\" (patient, date, practitioner, note, id).");
  }
}

mfr_batch_progress to_host(const mfr::legacy::BatchProgress& c) {
  mfr_batch_progress p = MFR_BATCH_PROGRESS_INIT;
  p.notes = c.notes;
  p.imported = c.imported;
  p.imported_with_warnings = c.warnings;
  p.quarantined = c.quarantined;
  p.findings = c.findings;
  p.bytes_done = c.bytes_done;
  p.bytes_total = c.bytes_total;
  p.resumed_notes = c.resumed_notes;
  p.elapsed_seconds = c.elapsed_seconds;
  return p;
}

}  // namespace

extern "C" {

MFR_API mfr_status mfr_batch_new(mfr_batch** out, mfr_context* ctx, const mfr_batch_options* options) {
  return guard([&] {
    require(out, "out");
    const mfr_context& c = context(ctx);
    require_struct(options, options ? options->struct_size : 0, first_release::batch_options, "options");
    auto b = std::make_unique<mfr_batch>();
    mfr::legacy::BatchOptions& o = b->options;
    switch (options->format) {
      case MFR_NOTES_TEXT: o.format = mfr::legacy::NoteFormat::Text; break;
      case MFR_NOTES_CSV: o.format = mfr::legacy::NoteFormat::Csv; break;
      case MFR_NOTES_HL7V2: o.format = mfr::legacy::NoteFormat::Hl7v2; break;
      default: fail(MFR_ERR_INVALID_ARGUMENT, "options->format is not an mfr_note_format.");
    }
    if (options->threads < 0 || options->threads > 64) fail(MFR_ERR_INVALID_ARGUMENT, "options->threads must be 0..64.");
    o.threads = options->threads ? static_cast<unsigned>(options->threads) : 2u;
    o.out_dir = text_or_empty(options->out_dir);
    o.agent = "mfr-fhir " MFR_VERSION_STRING " notes reader";
    if (options->struct_size >= MFR_FIRST_RELEASE_END(mfr_batch_options, language) && options->language &&
        *options->language) {
      mfr::legacy::note::Lang lang;
      if (!mfr::legacy::note::language_from_name(options->language, lang))
        fail(MFR_ERR_INVALID_ARGUMENT, "options->language \"" + std::string(options->language) +
                                           "\" is not a language the notes reader knows (en, fr, de).");
      o.import.note.language = lang;
    }
    const auto order = options->month_first ? mfr::legacy::DateOrder::MonthFirst : mfr::legacy::DateOrder::DayFirst;
    o.import.note.date_order = order;
    o.text.date_order = order;
    o.import.id_namespace = text_or_empty(options->id_namespace);
    o.import.note.patient_system = text_or_empty(options->patient_system);
    o.default_patient = text_or_empty(options->default_patient);
    if (options->csv_columns) map_csv_columns(options->csv_columns, o.csv);
    if (options->csv_delimiter) o.csv.delimiter = options->csv_delimiter;
    o.restart = options->restart != 0;
    o.identifier_system = c.identifier_system;
    b->progress = options->progress;
    b->user_data = options->user_data;
    register_handle(b.get(), HandleKind::Batch);
    *out = b.release();
  });
}

MFR_API void mfr_batch_free(mfr_batch* b) {
  if (b && unregister_handle(b, HandleKind::Batch)) delete b;
}

MFR_API mfr_status mfr_batch_add_file(mfr_batch* b, const char* path) {
  return guard([&] {
    mfr_batch& h = batch(b);
    require(path, "path");
    if (!std::filesystem::is_regular_file(path)) fail(MFR_ERR_NOT_FOUND, std::string("No such input file: \"") + path + "\".");
    h.files.emplace_back(path);
  });
}

MFR_API mfr_status mfr_batch_add_note(mfr_batch* b, const char* text, size_t len, const char* origin,
                                      const char* patient, const char* date, const char* id) {
  return guard([&] {
    mfr_batch& h = batch(b);
    require(text, "text");
    mfr::legacy::HostNote note;
    note.text.assign(view_of(text, len));
    note.origin = origin ? origin : "host-note";
    note.patient = text_or_empty(patient);
    note.date = text_or_empty(date);
    note.id = text_or_empty(id);
    h.notes.push_back(std::move(note));
  });
}

MFR_API mfr_status mfr_batch_execute(mfr_batch_progress* counts, mfr_batch* b) {
  mfr_status outcome = MFR_OK;
  const mfr_status status = guard([&] {
    mfr_batch& h = batch(b);
    if (counts) require_struct(counts, counts->struct_size, first_release::batch_progress, "counts");
    if (h.files.empty() && h.notes.empty()) fail(MFR_ERR_INVALID_ARGUMENT, "The batch has no input: add files or notes first.");
    mfr::legacy::BatchOptions options = h.options;
    if (h.progress) {
      options.progress = [&h](const mfr::legacy::BatchProgress& p) {
        const mfr_batch_progress host = to_host(p);
        return h.progress(h.user_data, &host) == 0;
      };
    }
    mfr::legacy::BatchImporter importer(std::move(options));
    for (const std::string& f : h.files) importer.add_file(f);
    for (const mfr::legacy::HostNote& n : h.notes) importer.add_note(n);
    try {
      h.result = importer.run();
    } catch (const std::invalid_argument& e) {
      fail(MFR_ERR_INVALID_ARGUMENT, e.what());
    } catch (const std::runtime_error& e) {
      fail(MFR_ERR_IO, e.what());
    }
    if (counts) {
      const mfr_batch_progress host = to_host(h.result->counts);
      std::memcpy(counts, &host, std::min<std::size_t>(counts->struct_size, sizeof host));
    }
    if (h.result->cancelled) {
      outcome = MFR_ERR_CANCELLED;
      set_last_error("The batch was stopped by the host after " + std::to_string(h.result->counts.notes) +
                     " notes; run it again to resume from the checkpoint.");
    }
  });
  return status != MFR_OK ? status : outcome;
}

// The first release's out-last form (a deprecated alias).
MFR_API mfr_status mfr_batch_run(mfr_batch* b, mfr_batch_progress* counts) { return mfr_batch_execute(counts, b); }

MFR_API mfr_status mfr_batch_take_result(mfr_import_result** out, mfr_batch* b) {
  return guard([&] {
    require(out, "out");
    mfr_batch& h = batch(b);
    if (!h.result) fail(MFR_ERR_INVALID_ARGUMENT, "The batch has not run yet.");
    auto result = std::make_unique<mfr_import_result>();
    for (const auto& o : h.result->outcomes) {
      if (o.status == mfr::legacy::NoteOutcome::Status::Imported) continue;
      std::string text = std::string(mfr::legacy::status_name(o.status)) + ": ";
      text += o.status == mfr::legacy::NoteOutcome::Status::Quarantined ? o.reason : "";
      for (std::size_t i = 0; i < o.warnings.size(); ++i) text += (i ? "; " : "") + o.warnings[i];
      const bool quarantined = o.status == mfr::legacy::NoteOutcome::Status::Quarantined;
      mfr::codec::Issue issue(quarantined ? mfr::codec::Severity::Error : mfr::codec::Severity::Warning,
                              quarantined ? mfr::codec::IssueType::Processing : mfr::codec::IssueType::Informational,
                              "", text);
      issue.source = o.origin;
      result->result.issues.push_back(std::move(issue));
    }
    result->result.resources = h.result->counts.notes;
    result->result.rejected = h.result->counts.quarantined;
    for (mfr::Session& s : h.result->sessions) {
      auto sh = std::make_unique<mfr_session>();
      sh->session = std::move(s);
      sh->identifier_system = h.options.identifier_system;
      sh->borrowed = true;
      register_handle(sh.get(), HandleKind::Session);
      result->sessions.push_back(std::move(sh));
    }
    h.result.reset();
    result->status = MFR_OK;
    register_handle(result.get(), HandleKind::ImportResult);
    *out = result.release();
  });
}

}  // extern "C"
