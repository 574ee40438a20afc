// FHIR in and out: mfr_export, mfr_import and the import result (its sessions, counts, issues).
#include <memory>

#include "codec/export.hpp"
#include "codec/import.hpp"
#include "mfr/mfr.h"
#include "plugin/abi/first_release.hpp"
#include "plugin/abi/guard.hpp"
#include "plugin/abi/handles.hpp"
#include "plugin/abi/input_text.hpp"
#include "plugin/abi/validation.hpp"

using namespace mfr::abi;

extern "C" {

MFR_API mfr_status mfr_export(char** out, size_t* out_len, mfr_context* ctx, const mfr_session* const* sessions,
                              size_t count, mfr_format format) {
  return guard([&] {
    require(out, "out");
    const mfr_context& c = context(ctx);
    if (format < MFR_FORMAT_BUNDLE_COLLECTION || format > MFR_FORMAT_NDJSON_DOCUMENTS)
      fail(MFR_ERR_INVALID_ARGUMENT, "format " + std::to_string(format) + " is not an mfr_format.");
    const auto copies = sessions_for_export(sessions, count);
    const mfr::codec::ExportOptions options{c.identifier_system, c.language};
    std::string text;
    try {
      if (format == MFR_FORMAT_BUNDLE_COLLECTION || format == MFR_FORMAT_BUNDLE_TRANSACTION) {
        const auto type = format == MFR_FORMAT_BUNDLE_TRANSACTION ? mfr::codec::BundleType::Transaction
                                                                  : mfr::codec::BundleType::Collection;
        text = mfr::codec::export_bundle(copies.sessions, type, options, copies.received).dump(true);
        text += '\n';
      } else {
        mfr::codec::NdjsonOutput nd;
        for (std::size_t i = 0; i < copies.sessions.size(); ++i)
          mfr::codec::append_ndjson(copies.sessions[i], copies.received[i], options, nd);
        switch (format) {
          case MFR_FORMAT_NDJSON_PROCEDURES: text = std::move(nd.procedures); break;
          case MFR_FORMAT_NDJSON_OBSERVATIONS: text = std::move(nd.observations); break;
          case MFR_FORMAT_NDJSON_DOCUMENTS: text = std::move(nd.documents); break;
          default: text = nd.documents + nd.procedures + nd.observations;
        }
      }
    } catch (const std::invalid_argument& e) {
      fail(MFR_ERR_INVALID_ARGUMENT, e.what());
    }
    log(c, MFR_LOG_INFO, "Exported " + std::to_string(count) + " sessions.");
    *out = to_host_buffer(text, out_len);
  });
}

}  // extern "C"

namespace {

struct Input {
  std::string name;
  std::string_view text;
  mfr_input kind;
};

mfr_status import_inputs(mfr_import_result** out, mfr_context* ctx, const std::vector<Input>& inputs) {
  mfr_status outcome_status = MFR_OK;
  const mfr_status status = guard([&] {
    const mfr_context& c = context(ctx);
    std::vector<mfr::codec::NamedInput> named;
    for (const Input& in : inputs) {
      named.push_back({in.name, in.text, reads_as_ndjson(in.kind, in.text)});
    }
    auto result = std::make_unique<mfr_import_result>();
    result->result = mfr::codec::import_many(named);
    for (std::size_t i = 0; i < result->result.sessions.size(); ++i) {
      auto h = std::make_unique<mfr_session>();
      h->session = std::move(result->result.sessions[i]);
      h->received = std::move(result->result.received[i]);
      h->identifier_system = c.identifier_system;
      h->borrowed = true;
      result->sessions.push_back(std::move(h));
    }
    result->result.sessions.clear();
    result->result.received.clear();
    // The status says what the typed result says: malformed is its own verdict (its one issue
    // holds the sentence with line and column), rejected resources another.
    if (result->result.malformed) {
      outcome_status = MFR_ERR_PARSE;
      set_last_error(result->result.issues.front().diagnostics);
    } else if (result->result.rejected) {
      outcome_status = MFR_ERR_INVALID_DATA;
      set_last_error(std::to_string(result->result.rejected) + " of " + std::to_string(result->result.resources) +
                     " resources were rejected; the OperationOutcome says which and why.");
    }
    log(c, MFR_LOG_INFO,
        "Imported " + std::to_string(result->result.resources) + " resources into " +
            std::to_string(result->sessions.size()) + " sessions; " + std::to_string(result->result.rejected) +
            " rejected, " + std::to_string(result->result.foreign) + " foreign.");
    for (auto& h : result->sessions) register_handle(h.get(), HandleKind::Session);
    result->status = outcome_status;
    register_handle(result.get(), HandleKind::ImportResult);
    *out = result.release();
  });
  return status != MFR_OK ? status : outcome_status;
}

}  // namespace

extern "C" {

MFR_API mfr_status mfr_import(mfr_import_result** out, mfr_context* ctx, const char* data, size_t len, mfr_input input) {
  if (!out || !data || input < MFR_INPUT_AUTO || input > MFR_INPUT_NDJSON) {
    return guard([&] {
      require(out, "out");
      require(data, "data");
      fail(MFR_ERR_INVALID_ARGUMENT, "input " + std::to_string(input) + " is not an mfr_input.");
    });
  }
  return import_inputs(out, ctx, {Input{{}, view_of(data, len), input}});
}

MFR_API mfr_status mfr_import_many(mfr_import_result** out, mfr_context* ctx, const mfr_input_buffer* inputs, size_t count) {
  std::vector<Input> list;
  const mfr_status checked = guard([&] {
    require(out, "out");
    if (count && !inputs) fail(MFR_ERR_INVALID_ARGUMENT, "inputs is NULL but count is " + std::to_string(count) + ".");
    for (size_t i = 0; i < count; ++i) {
      const std::string which = "inputs[" + std::to_string(i) + "]";
      require_struct(&inputs[i], inputs[i].struct_size, first_release::input_buffer, which.c_str());
      if (!inputs[i].data) fail(MFR_ERR_INVALID_ARGUMENT, which + ".data is NULL.");
      if (inputs[i].input < MFR_INPUT_AUTO || inputs[i].input > MFR_INPUT_NDJSON)
        fail(MFR_ERR_INVALID_ARGUMENT, which + ".input is not an mfr_input.");
      list.push_back(Input{inputs[i].name ? inputs[i].name : "", view_of(inputs[i].data, inputs[i].len), inputs[i].input});
    }
  });
  if (checked != MFR_OK) return checked;
  return import_inputs(out, ctx, list);
}

MFR_API void mfr_import_result_free(mfr_import_result* result) {
  if (!result || !unregister_handle(result, HandleKind::ImportResult)) return;
  for (auto& h : result->sessions) unregister_handle(h.get(), HandleKind::Session);
  delete result;
}

MFR_API mfr_status mfr_import_result_counts_get(mfr_import_counts* out, const mfr_import_result* result) {
  return guard([&] {
    const mfr_import_result& r = import_result(result);
    require_struct(out, out ? out->struct_size : 0, first_release::import_counts, "out");
    out->resources = r.result.resources;
    out->rejected = r.result.rejected;
    if (out->struct_size >= MFR_FIRST_RELEASE_END(mfr_import_counts, foreign)) out->foreign = r.result.foreign;
    out->sessions = r.sessions.size();
    const mfr::validate::IssueCounts n = mfr::validate::count(r.result.issues);
    out->errors = n.errors;
    out->warnings = n.warnings;
  });
}

// The first release's out-last form (a deprecated alias).
MFR_API mfr_status mfr_import_result_counts(const mfr_import_result* result, mfr_import_counts* out) {
  return mfr_import_result_counts_get(out, result);
}

MFR_API mfr_status mfr_import_result_issue_count(size_t* out, const mfr_import_result* result) {
  return guard([&] {
    require(out, "out");
    *out = import_result(result).result.issues.size();
  });
}

MFR_API mfr_status mfr_import_result_issue(mfr_issue* out, const mfr_import_result* result, size_t index) {
  return guard([&] { read_issue(out, import_result(result).result.issues, index, "the import"); });
}

MFR_API mfr_status mfr_import_result_session(const mfr_session** out, const mfr_import_result* result, size_t index) {
  return guard([&] {
    require(out, "out");
    const mfr_import_result& r = import_result(result);
    if (index >= r.sessions.size())
      fail(MFR_ERR_NOT_FOUND, "Session index " + std::to_string(index) + " is past the end; the import has " +
                                  std::to_string(r.sessions.size()) + " sessions.");
    *out = r.sessions[index].get();
  });
}

MFR_API mfr_status mfr_import_result_outcome(char** out, size_t* out_len, const mfr_import_result* result) {
  return guard([&] {
    require(out, "out");
    const mfr_import_result& r = import_result(result);
    *out = to_host_buffer(mfr::validate::to_operation_outcome(r.result.issues).dump(true), out_len);
  });
}

}  // extern "C"
