#pragma once
// Where the checks put their issues; knows how severe a profile departure is.
#include <string>
#include <string_view>
#include <vector>

#include "validate/validate.hpp"

namespace mfr::validate::detail {

class Sink {
 public:
  Sink(std::vector<Issue>& out, Strictness strictness) : out_(out), strictness_(strictness) {}

  void add(Severity severity, IssueType code, std::string expression, std::string diagnostics,
           json::Position where, std::string_view rule = {}) {
    out_.push_back(Issue{severity, code, std::move(expression), std::move(diagnostics), where, rule});
  }
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
  std::vector<Issue>& out_;
  Strictness strictness_;
};

}  // namespace mfr::validate::detail
