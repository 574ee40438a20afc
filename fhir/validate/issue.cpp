// The one issue type: its codes, counts, sink, the parse-error sentence and the one writer of
// OperationOutcome; and the text entry point of the validator.
#include "validate/issue.hpp"

#include <algorithm>
#include <string>

#include "validate/validate.hpp"

namespace mfr::validate {
namespace {

constexpr std::string_view kIssueLine = "http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-line";
constexpr std::string_view kIssueCol = "http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-col";

json::Value extension_int(std::string_view url, std::uint32_t value) {
  json::Value e = json::Value::object();
  e["url"] = json::Value(url);
  e["valueInteger"] = json::Value(static_cast<long long>(value));
  return e;
}

json::Value issue_json(const Issue& i) {
  json::Value issue = json::Value::object();
  if (i.where.line != 0) {
    issue["extension"].push_back(extension_int(kIssueLine, i.where.line));
    issue["extension"].push_back(extension_int(kIssueCol, i.where.column));
  }
  if (!i.resource.empty()) {
    json::Value e = json::Value::object();
    e["url"] = json::Value(kIssueResourceExtension);
    e["valueString"] = json::Value(i.resource);
    issue["extension"].push_back(std::move(e));
  }
  issue["severity"] = json::Value(to_code(i.severity));
  issue["code"] = json::Value(to_code(i.code));
  if (!i.diagnostics.empty()) issue["diagnostics"] = json::Value(i.diagnostics);
  if (i.where.line != 0 || !i.source.empty()) {
    std::string loc = i.source;
    if (i.where.line != 0) {
      if (!loc.empty()) loc += ": ";
      loc += "Line[" + std::to_string(i.where.line) + "] Col[" + std::to_string(i.where.column) + "]";
    }
    issue["location"].push_back(json::Value(std::move(loc)));
  }
  if (!i.expression.empty()) issue["expression"].push_back(json::Value(i.expression));
  return issue;
}

}  // namespace

std::string_view to_code(Severity severity) noexcept {
  switch (severity) {
    case Severity::Fatal: return "fatal";
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Information: break;
  }
  return "information";
}

std::string_view to_code(IssueType type) noexcept {
  switch (type) {
    case IssueType::Invalid: return "invalid";
    case IssueType::Structure: return "structure";
    case IssueType::Required: return "required";
    case IssueType::Value: return "value";
    case IssueType::Invariant: return "invariant";
    case IssueType::CodeInvalid: return "code-invalid";
    case IssueType::NotSupported: return "not-supported";
    case IssueType::NotFound: return "not-found";
    case IssueType::Processing: return "processing";
    case IssueType::Informational: break;
  }
  return "informational";
}

bool has_errors(const std::vector<Issue>& issues) noexcept {
  return std::any_of(issues.begin(), issues.end(), [](const Issue& i) {
    return i.severity == Severity::Error || i.severity == Severity::Fatal;
  });
}

IssueCounts count(const std::vector<Issue>& issues) noexcept {
  IssueCounts n;
  for (const Issue& i : issues) {
    if (i.severity == Severity::Warning) ++n.warnings;
    else if (i.severity == Severity::Information) ++n.information;
    else ++n.errors;
  }
  return n;
}

std::size_t IssueSink::error_count() const noexcept { return count(out_).errors; }

std::string parse_error_sentence(json::Position where, std::string_view reason) {
  std::string s = "The JSON is not well formed at line " + std::to_string(where.line) + ", column " +
                  std::to_string(where.column) + ": ";
  s += reason;
  if (s.back() != '.') s += '.';
  return s;
}

Issue parse_error_issue(const json::ParseError& error, std::size_t record) {
  json::Position where = error.where();
  if (record) where.line = static_cast<std::uint32_t>(record);
  Issue issue(Severity::Fatal, IssueType::Structure, {}, parse_error_sentence(where, error.reason()), where);
  issue.record = record;
  return issue;
}

json::Value to_operation_outcome(const std::vector<Issue>& issues) {
  json::Value oo = json::Value::object();
  oo["resourceType"] = json::Value("OperationOutcome");
  json::Value& list = oo["issue"] = json::Value::array();
  for (const Issue& i : issues) list.push_back(issue_json(i));
  if (issues.empty()) list.push_back(issue_json(Issue(Severity::Information, IssueType::Informational, {}, "No issues found.")));
  return oo;
}

json::Value to_operation_outcome(const json::ParseError& error) { return to_operation_outcome({parse_error_issue(error)}); }

std::vector<Issue> validate_text(std::string_view json_text, Strictness strictness) {
  json::Value resource;
  try {
    resource = json::Value::parse(json_text);
  } catch (const json::ParseError& e) {
    return {parse_error_issue(e)};
  }
  return validate(resource, strictness);
}

}  // namespace mfr::validate
