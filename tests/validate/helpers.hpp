#pragma once
// Shared by the validate tests: load test resources, run the validator, assert one exact issue.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "json/json.hpp"
#include "validate/validate.hpp"

namespace mfr::validate::test {

inline json::Value load(const std::string& name) {
  std::ifstream in(std::string(MFR_TEST_DATA) + "/validate/" + name, std::ios::binary);
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  return json::Value::parse(ss.str());
}

inline json::Value parse(std::string_view text) { return json::Value::parse(text); }

inline std::string describe(const std::vector<Issue>& issues) {
  std::string out;
  for (const Issue& i : issues)
    out += std::string(to_code(i.severity)) + " " + std::string(to_code(i.code)) + " " + i.expression + " | " + i.diagnostics + "\n";
  return out.empty() ? "(no issues)" : out;
}

// The issue at `expression`; fails the test when there is none.
inline Issue issue_at(const std::vector<Issue>& issues, std::string_view expression) {
  INFO(describe(issues));
  for (const Issue& i : issues)
    if (i.expression == expression) return i;
  FAIL("no issue at " << expression);
  return {};
}

inline void require_issue(const std::vector<Issue>& issues, Severity severity, IssueType code, std::string_view expression,
                          std::string_view rule = {}) {
  INFO(describe(issues));
  bool found = false;
  for (const Issue& i : issues)
    if (i.expression == expression && i.code == code && i.severity == severity && (rule.empty() || i.rule == rule)) found = true;
  CHECK(found);
  if (!found) {
    INFO("expected " << to_code(severity) << " " << to_code(code) << " at " << expression << " rule " << rule);
    FAIL_CHECK("missing issue");
  }
}

inline void require_no_issue_at(const std::vector<Issue>& issues, std::string_view expression) {
  INFO(describe(issues));
  for (const Issue& i : issues) CHECK(i.expression != expression);
}

inline void require_no_errors(const std::vector<Issue>& issues) {
  INFO(describe(issues));
  CHECK_FALSE(has_errors(issues));
}

// Neither errors nor warnings (what we emit must be spotless).
inline void require_clean(const std::vector<Issue>& issues) {
  INFO(describe(issues));
  for (const Issue& i : issues) CHECK((i.severity == Severity::Information));
}

inline std::vector<Issue> lenient(const json::Value& v) { return validate(v, Strictness::Lenient); }
inline std::vector<Issue> strict(const json::Value& v) { return validate(v, Strictness::Strict); }

}  // namespace mfr::validate::test
