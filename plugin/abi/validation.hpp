#pragma once
// The issues the ABI hands out as mfr_issue structs: an mfr_validation (of mfr_validate_issues
// and mfr_session_from_json_issues) and the reading of one issue, shared with mfr_import_result.
#include <cstddef>
#include <string_view>
#include <vector>

#include "mfr/mfr.h"
#include "validate/issue.hpp"

struct mfr_validation {
  std::vector<mfr::validate::Issue> issues;  // never changed once the handle is handed out
};

namespace mfr::abi {

// A registered handle owning `issues`, for the host to free with mfr_validation_free().
mfr_validation* new_validation(std::vector<validate::Issue> issues);
// Fails with MFR_ERR_INVALID_HANDLE unless `p` is a live mfr_validation.
const mfr_validation& validation(const mfr_validation* p);

// Fills the host's `out` (as far as its struct_size reaches) with issues[index], its strings
// borrowed from `issues`. MFR_ERR_NOT_FOUND past the end, naming `what` holds them ("the import").
void read_issue(mfr_issue* out, const std::vector<validate::Issue>& issues, size_t index, std::string_view what);

}  // namespace mfr::abi
