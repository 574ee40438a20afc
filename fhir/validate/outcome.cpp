// Issues -> OperationOutcome, and the text entry point.
#include <string>

#include "validate/validate.hpp"

namespace mfr::validate {
namespace {

constexpr std::string_view kIssueLine = "http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-line";
constexpr std::string_view kIssueCol = "http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-col";

json::Value issue_json(Severity severity, IssueType code, std::string_view expression, std::string_view diagnostics,
                       json::Position where) {
  json::Value issue = json::Value::object();
  if (where.line != 0) {
    json::Value line = json::Value::object();
    line["url"] = json::Value(kIssueLine);
    line["valueInteger"] = json::Value(static_cast<long long>(where.line));
    json::Value col = json::Value::object();
    col["url"] = json::Value(kIssueCol);
    col["valueInteger"] = json::Value(static_cast<long long>(where.column));
    issue["extension"].push_back(std::move(line));
    issue["extension"].push_back(std::move(col));
  }
  issue["severity"] = json::Value(to_code(severity));
  issue["code"] = json::Value(to_code(code));
  if (!diagnostics.empty()) issue["diagnostics"] = json::Value(diagnostics);
  if (where.line != 0)
    issue["location"].push_back(json::Value("Line[" + std::to_string(where.line) + "] Col[" + std::to_string(where.column) + "]"));
  if (!expression.empty()) issue["expression"].push_back(json::Value(expression));
  return issue;
}

json::Value outcome() {
  json::Value oo = json::Value::object();
  oo["resourceType"] = json::Value("OperationOutcome");
  return oo;
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
    case IssueType::Informational: break;
  }
  return "informational";
}

json::Value to_operation_outcome(const std::vector<Issue>& issues) {
  json::Value oo = outcome();
  json::Value& list = oo["issue"];
  for (const Issue& i : issues) list.push_back(issue_json(i.severity, i.code, i.expression, i.diagnostics, i.where));
  if (issues.empty())
    list.push_back(issue_json(Severity::Information, IssueType::Informational, {}, "No issues found.", {}));
  return oo;
}

json::Value to_operation_outcome(const json::ParseError& error) {
  json::Value oo = outcome();
  oo["issue"].push_back(issue_json(Severity::Fatal, IssueType::Structure, {},
                                   "The JSON is not well formed at line " + std::to_string(error.where().line) + ", column " +
                                       std::to_string(error.where().column) + ": " + error.reason(),
                                   error.where()));
  return oo;
}

std::vector<Issue> validate_text(std::string_view json_text, Strictness strictness) {
  json::Value resource;
  try {
    resource = json::Value::parse(json_text);
  } catch (const json::ParseError& e) {
    return {Issue{Severity::Fatal, IssueType::Structure, {},
                  "The JSON is not well formed at line " + std::to_string(e.where().line) + ", column " +
                      std::to_string(e.where().column) + ": " + e.reason(),
                  e.where(), {}}};
  }
  return validate(resource, strictness);
}

}  // namespace mfr::validate
