#pragma once
// "Is this valid, and what exactly is wrong?" for a whole input: one resource, a Bundle, or
// NDJSON, each issue naming the resource it is about and where it is in the text.
#include <string_view>
#include <vector>

#include "codec/issue.hpp"
#include "validate/validate.hpp"

namespace mfr::codec {

struct CheckResult {
  std::vector<Issue> issues;
  std::size_t resources = 0;  // resources checked (a Bundle's entries count one each)
  bool malformed = false;     // the (single) JSON text is not well formed
};

// Validates `text`. NDJSON is read line by line (LF or CRLF, blank lines skipped): issues carry
// the file line, and a malformed line is one fatal issue while the other lines are still checked.
CheckResult check_document(std::string_view text, bool ndjson, validate::Strictness strictness);

}  // namespace mfr::codec
