#include "codec/issue.hpp"

#include <algorithm>

#include "validate/validate.hpp"

namespace mfr::codec {

std::string_view severity_code(Severity s) noexcept {
  switch (s) {
    case Severity::Fatal: return "fatal";
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Information: break;
  }
  return "information";
}

namespace {
Severity severity_of(validate::Severity s) {
  switch (s) {
    case validate::Severity::Fatal: return Severity::Fatal;
    case validate::Severity::Error: return Severity::Error;
    case validate::Severity::Warning: return Severity::Warning;
    case validate::Severity::Information: break;
  }
  return Severity::Information;
}

json::Value extension_int(std::string_view url, std::uint32_t value) {
  json::Value e = json::Value::object();
  e["url"] = url;
  e["valueInteger"] = json::Value(static_cast<long long>(value));
  return e;
}
}  // namespace

Issue from_validation(const validate::Issue& v) {
  return Issue(severity_of(v.severity), std::string(validate::to_code(v.code)), v.expression, v.diagnostics, v.where);
}

std::size_t entry_index(std::string_view expression) noexcept {
  constexpr std::string_view kPrefix = "Bundle.entry[";
  if (expression.rfind(kPrefix, 0) != 0) return std::string_view::npos;
  std::size_t n = 0;
  std::size_t i = kPrefix.size();
  if (i >= expression.size() || expression[i] < '0' || expression[i] > '9') return std::string_view::npos;
  for (; i < expression.size() && expression[i] >= '0' && expression[i] <= '9'; ++i) n = n * 10 + static_cast<std::size_t>(expression[i] - '0');
  return n;
}

bool has_errors(const std::vector<Issue>& issues) noexcept {
  return std::any_of(issues.begin(), issues.end(), [](const Issue& i) {
    return i.severity == Severity::Error || i.severity == Severity::Fatal;
  });
}

json::Value to_operation_outcome(const std::vector<Issue>& issues) {
  // The same shape as validate::to_operation_outcome: the HL7 line/column extensions and
  // "Line[n] Col[m]" (as the HL7 Java validator writes it), prefixed by the input's name.
  static constexpr std::string_view kIssueLine = "http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-line";
  static constexpr std::string_view kIssueCol = "http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-col";
  json::Value oo = json::Value::object();
  oo["resourceType"] = "OperationOutcome";
  json::Value& list = oo["issue"] = json::Value::array();
  for (const Issue& i : issues) {
    json::Value issue = json::Value::object();
    if (i.where.line) {
      issue["extension"].push_back(extension_int(kIssueLine, i.where.line));
      issue["extension"].push_back(extension_int(kIssueCol, i.where.column));
    }
    if (!i.resource.empty()) {
      json::Value e = json::Value::object();
      e["url"] = kIssueResourceExtension;
      e["valueString"] = i.resource;
      issue["extension"].push_back(std::move(e));
    }
    issue["severity"] = severity_code(i.severity);
    issue["code"] = i.code.empty() ? std::string("processing") : i.code;
    issue["diagnostics"] = i.diagnostics;
    if (i.where.line || !i.source.empty()) {
      std::string loc = i.source;
      if (i.where.line) {
        if (!loc.empty()) loc += ": ";
        loc += "Line[" + std::to_string(i.where.line) + "] Col[" + std::to_string(i.where.column) + "]";
      }
      issue["location"].push_back(std::move(loc));
    }
    if (!i.expression.empty()) issue["expression"].push_back(i.expression);
    list.push_back(std::move(issue));
  }
  if (issues.empty()) {
    json::Value issue = json::Value::object();
    issue["severity"] = "information";
    issue["code"] = "informational";
    issue["diagnostics"] = "No issues found.";
    list.push_back(std::move(issue));
  }
  return oo;
}

}  // namespace mfr::codec
