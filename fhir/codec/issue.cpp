#include "codec/issue.hpp"

#include <algorithm>

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

bool has_errors(const std::vector<Issue>& issues) noexcept {
  return std::any_of(issues.begin(), issues.end(), [](const Issue& i) {
    return i.severity == Severity::Error || i.severity == Severity::Fatal;
  });
}

json::Value to_operation_outcome(const std::vector<Issue>& issues) {
  json::Value oo = json::Value::object();
  oo["resourceType"] = "OperationOutcome";
  json::Value& list = oo["issue"] = json::Value::array();
  for (const Issue& i : issues) {
    json::Value issue = json::Value::object();
    issue["severity"] = severity_code(i.severity);
    issue["code"] = i.code.empty() ? std::string("processing") : i.code;
    std::string text = i.diagnostics;
    issue["diagnostics"] = std::move(text);
    if (i.where.line || !i.source.empty()) {
      std::string loc = i.source;
      if (i.where.line) {
        if (!loc.empty()) loc += ", ";
        loc += "line " + std::to_string(i.where.line) + ", column " + std::to_string(i.where.column);
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
