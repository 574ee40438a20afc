#pragma once
// Codec's issues are the one issue type of the core (validate/issue.hpp): the same struct, sink
// and OperationOutcome writer the validator uses, named here for codec's readers.
#include <string_view>
#include <vector>

#include "validate/issue.hpp"

namespace mfr::codec {

using validate::Issue;
using validate::IssueSink;
using validate::IssueType;
using validate::Severity;
using validate::has_errors;

// The Bundle entry an expression names: "Bundle.entry[12].resource.status" -> 12; npos for
// issues about the Bundle itself or about a lone resource.
std::size_t entry_index(std::string_view expression) noexcept;

}  // namespace mfr::codec
