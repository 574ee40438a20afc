#pragma once
// Typed reads of FHIR JSON elements that report a wrong JSON type as an Issue with the
// element's FHIRPath instead of throwing, so one bad element never aborts a batch.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/issue.hpp"
#include "json/json.hpp"

namespace mfr::codec {

// The one IssueSink, with shorthands that take the element the issue is about.
class Reader : public IssueSink {
 public:
  explicit Reader(std::vector<Issue>& issues) : IssueSink(issues) {}

  void error(std::string expression, std::string diagnostics, const json::Value* at = nullptr,
             IssueType code = IssueType::Structure) {
    add(Severity::Error, code, std::move(expression), std::move(diagnostics), at ? at->position() : json::Position{});
  }
  void warning(std::string expression, std::string diagnostics, const json::Value* at = nullptr,
               IssueType code = IssueType::NotSupported) {
    add(Severity::Warning, code, std::move(expression), std::move(diagnostics), at ? at->position() : json::Position{});
  }

  // Member `key` of `object` if it has JSON type `type`; a type mismatch is an error at `path.key`.
  const json::Value* member(const json::Value& object, std::string_view key, json::Type type, std::string_view path);
  std::optional<std::string> string(const json::Value& object, std::string_view key, std::string_view path);
  // An array member; a single value where an array belongs is an error.
  const json::Array* array(const json::Value& object, std::string_view key, std::string_view path);

};

std::string join_path(std::string_view path, std::string_view key);

}  // namespace mfr::codec
