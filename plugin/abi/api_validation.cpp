// Validation: mfr_validate (OperationOutcome text), mfr_validate_issues and the mfr_validation
// result that gives the same issues as mfr_issue structs.
#include <string>

#include "codec/check.hpp"
#include "mfr/mfr.h"
#include "plugin/abi/guard.hpp"
#include "plugin/abi/handles.hpp"
#include "plugin/abi/input_text.hpp"
#include "plugin/abi/validation.hpp"

using namespace mfr::abi;

namespace {

struct Checked {
  std::vector<mfr::validate::Issue> issues;
  mfr_status verdict = MFR_OK;  // MFR_OK, MFR_ERR_INVALID_DATA or MFR_ERR_PARSE
};

// The one validation behind both entry points: arguments checked, the verdict and its sentence
// (mfr_last_error) taken from the typed result, the host's log told the counts.
Checked check(mfr_context* ctx, const char* data, size_t len, mfr_input input, mfr_strictness strictness) {
  const mfr_context& c = context(ctx);
  require(data, "data");
  if (input < MFR_INPUT_AUTO || input > MFR_INPUT_NDJSON) fail(MFR_ERR_INVALID_ARGUMENT, "input is not an mfr_input.");
  if (strictness != MFR_STRICT && strictness != MFR_LENIENT) fail(MFR_ERR_INVALID_ARGUMENT, "strictness is not an mfr_strictness.");
  const std::string_view text = view_of(data, len);
  auto result = mfr::codec::check_document(text, reads_as_ndjson(input, text),
                                           strictness == MFR_STRICT ? mfr::validate::Strictness::Strict
                                                                    : mfr::validate::Strictness::Lenient);
  const std::size_t errors = mfr::validate::count(result.issues).errors;
  Checked out;
  if (result.malformed) {
    out.verdict = MFR_ERR_PARSE;
    set_last_error(result.issues.front().diagnostics);
  } else if (errors) {
    out.verdict = MFR_ERR_INVALID_DATA;
    set_last_error(std::to_string(errors) + " errors in " + std::to_string(result.resources) +
                   " resources; the OperationOutcome says which and where.");
  }
  log(c, MFR_LOG_INFO, "Validated " + std::to_string(result.resources) + " resources: " + std::to_string(errors) + " errors.");
  out.issues = std::move(result.issues);
  return out;
}

std::string outcome_text(const std::vector<mfr::validate::Issue>& issues) {
  if (issues.empty()) {
    // Most documents are clean: their outcome ("All OK") is the same text every time.
    static const std::string all_ok = mfr::validate::to_operation_outcome({}).dump(true);
    return all_ok;
  }
  return mfr::validate::to_operation_outcome(issues).dump(true);
}

}  // namespace

extern "C" {

MFR_API mfr_status mfr_validate(char** outcome, size_t* outcome_len, mfr_context* ctx, const char* data, size_t len,
                                mfr_input input, mfr_strictness strictness) {
  mfr_status verdict = MFR_OK;
  const mfr_status status = guard([&] {
    require(outcome, "outcome");
    const Checked checked = check(ctx, data, len, input, strictness);
    verdict = checked.verdict;
    *outcome = to_host_buffer(outcome_text(checked.issues), outcome_len);
  });
  return status != MFR_OK ? status : verdict;
}

MFR_API mfr_status mfr_validate_issues(mfr_validation** out, mfr_context* ctx, const char* data, size_t len,
                                       mfr_input input, mfr_strictness strictness) {
  mfr_status verdict = MFR_OK;
  const mfr_status status = guard([&] {
    require(out, "out");
    Checked checked = check(ctx, data, len, input, strictness);
    verdict = checked.verdict;
    *out = new_validation(std::move(checked.issues));
  });
  return status != MFR_OK ? status : verdict;
}

MFR_API void mfr_validation_free(mfr_validation* validation) {
  if (!validation || !unregister_handle(validation, HandleKind::Validation)) return;
  delete validation;
}

MFR_API mfr_status mfr_validation_issue_count(size_t* out, const mfr_validation* v) {
  return guard([&] {
    require(out, "out");
    *out = validation(v).issues.size();
  });
}

MFR_API mfr_status mfr_validation_issue(mfr_issue* out, const mfr_validation* v, size_t index) {
  return guard([&] { read_issue(out, validation(v).issues, index, "the validation"); });
}

MFR_API mfr_status mfr_validation_outcome(char** out, size_t* out_len, const mfr_validation* v) {
  return guard([&] {
    require(out, "out");
    *out = to_host_buffer(outcome_text(validation(v).issues), out_len);
  });
}

}  // extern "C"
