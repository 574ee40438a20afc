#pragma once
// Where the checks put their issues: the one IssueSink (validate/issue.hpp), which here also knows
// how severe a profile departure is.
#include <string>
#include <string_view>
#include <vector>

#include "validate/validate.hpp"

namespace mfr::validate::detail {

class Sink : public IssueSink {
 public:
  Sink(std::vector<Issue>& out, Strictness strictness) : IssueSink(out), strictness_(strictness) {}

  using IssueSink::add;
  void error(IssueType code, std::string expression, std::string diagnostics, json::Position where,
             std::string_view rule = {}) {
    add(Severity::Error, code, std::move(expression), std::move(diagnostics), where, rule);
  }
  // A departure from our profiles: an error in what we emit, a warning in what we receive.
  void profile(IssueType code, std::string expression, std::string diagnostics, json::Position where,
               std::string_view rule) {
    add(strictness_ == Strictness::Strict ? Severity::Error : Severity::Warning, code, std::move(expression),
        std::move(diagnostics), where, rule);
  }
  Strictness strictness() const noexcept { return strictness_; }

 private:
  Strictness strictness_;
};

}  // namespace mfr::validate::detail
