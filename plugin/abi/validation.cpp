#include "plugin/abi/validation.hpp"

#include <memory>
#include <string>

#include "plugin/abi/first_release.hpp"
#include "plugin/abi/guard.hpp"
#include "plugin/abi/handles.hpp"

namespace mfr::abi {
namespace {

// mfr_issue.severity is the one issue type's Severity, same numbering.
using Severity = mfr::validate::Severity;
static_assert(MFR_SEVERITY_FATAL == static_cast<int>(Severity::Fatal) && MFR_SEVERITY_ERROR == static_cast<int>(Severity::Error) &&
              MFR_SEVERITY_WARNING == static_cast<int>(Severity::Warning) &&
              MFR_SEVERITY_INFORMATION == static_cast<int>(Severity::Information));

}  // namespace

mfr_validation* new_validation(std::vector<validate::Issue> issues) {
  auto h = std::make_unique<mfr_validation>();
  h->issues = std::move(issues);
  register_handle(h.get(), HandleKind::Validation);
  return h.release();
}

const mfr_validation& validation(const mfr_validation* p) {
  check_handle(p, HandleKind::Validation);
  return *p;
}

void read_issue(mfr_issue* out, const std::vector<validate::Issue>& issues, size_t index, std::string_view what) {
  require_struct(out, out ? out->struct_size : 0, since_first_release::issue, "out");
  if (index >= issues.size())
    fail(MFR_ERR_NOT_FOUND, "Issue index " + std::to_string(index) + " is past the end; " + std::string(what) + " has " +
                                std::to_string(issues.size()) + " issues.");
  // A translation of the one issue type, field by field; the strings are the owner's own.
  const validate::Issue& i = issues[index];
  mfr_issue v{};
  v.severity = static_cast<mfr_severity>(i.severity);
  v.code = validate::to_code(i.code).data();  // a NUL-terminated literal
  v.diagnostics = i.diagnostics.c_str();
  v.expression = i.expression.c_str();
  v.line = i.where.line;
  v.column = i.where.column;
  v.record = i.record;
  v.source = i.source.c_str();
  v.resource = i.resource.c_str();
  copy_out(out, v);
}

}  // namespace mfr::abi
