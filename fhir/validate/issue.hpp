#pragma once
// The one issue type of the core, its sink and its one writer of OperationOutcome.
//
// Everything that judges an input says so with an Issue: the validator (R4 rules, our profiles),
// codec (import, session JSON, the document check), the legacy batch's report and the server.
// It is data, not an exception, so a batch goes on. It lives here, in validate (which depends
// only on json and terminology), so that codec and everything above it use this same type.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "json/json.hpp"

namespace mfr::validate {

enum class Severity : std::uint8_t { Fatal, Error, Warning, Information };

// The R4 issue-type codes we use (OperationOutcome.issue.code).
enum class IssueType : std::uint8_t {
  Invalid,        // "invalid": content invalid against the specification
  Structure,      // "structure": unknown element, wrong JSON type, array/single mismatch, malformed JSON
  Required,       // "required": a required element is missing
  Value,          // "value": a primitive is not in its format
  Invariant,      // "invariant": a constraint (ele-1, obs-6, bdl-3, ...) is violated
  CodeInvalid,    // "code-invalid": a code is not in a required value set / the profile's codes
  NotSupported,   // "not-supported": content this validator or reader does not handle
  Informational,  // "informational"
  NotFound,       // "not-found": a reference names a resource that is not there
  Processing,     // "processing": a processing rule (a quarantined legacy note)
};

struct Issue {
  Issue() = default;
  Issue(Severity s, IssueType c, std::string expr, std::string diag, json::Position at = {}, std::string_view r = {})
      : severity(s), code(c), expression(std::move(expr)), diagnostics(std::move(diag)), where(at), rule(r) {}

  Severity severity = Severity::Error;
  IssueType code = IssueType::Processing;
  std::string expression;   // FHIRPath of the element: "Observation.component[0].valueInteger"
  std::string diagnostics;  // a sentence for a person saying what is wrong
  json::Position where;     // line/column in the JSON text when known (for NDJSON: the file line)
  std::string_view rule;    // the rule's key: "obs-6", "ele-1", "mfr-finding-pain"; empty for plain structure
  std::size_t record = 0;   // 1-based NDJSON line or Bundle entry number; 0 when not from a stream
  std::string source;       // the input's name (a file name) when several were read together
  std::string resource;     // "Observation/o1": the resource the issue is about, when known
};

std::string_view to_code(Severity severity) noexcept;  // "fatal", "error", "warning", "information"
std::string_view to_code(IssueType type) noexcept;     // "invalid", "structure", ...

// True when an issue is an error or fatal.
bool has_errors(const std::vector<Issue>& issues) noexcept;

struct IssueCounts {
  std::size_t errors = 0;       // error or fatal
  std::size_t warnings = 0;
  std::size_t information = 0;
};
IssueCounts count(const std::vector<Issue>& issues) noexcept;

// Where checks and readers put their issues. Subclasses add their own shorthands (the
// validator's profile departures, codec's typed reads); the issues always land in one vector.
class IssueSink {
 public:
  explicit IssueSink(std::vector<Issue>& out) : out_(out) {}

  Issue& add(Issue issue) {
    out_.push_back(std::move(issue));
    return out_.back();
  }
  Issue& add(Severity severity, IssueType code, std::string expression, std::string diagnostics,
             json::Position where = {}, std::string_view rule = {}) {
    return add(Issue(severity, code, std::move(expression), std::move(diagnostics), where, rule));
  }
  std::size_t error_count() const noexcept;
  std::vector<Issue>& issues() noexcept { return out_; }
  const std::vector<Issue>& issues() const noexcept { return out_; }

 protected:
  std::vector<Issue>& out_;
};

// The one wording of a JSON syntax error, with its line and column:
// "The JSON is not well formed at line 3, column 7: expected ':' after an object key."
// Every entry point (import, validate, session JSON, the server, the ABI's last error) says it so.
std::string parse_error_sentence(json::Position where, std::string_view reason);
// A JSON syntax error as an issue: fatal, "structure", no expression (there is no element yet).
// `record` is the NDJSON line of a line that did not parse: it becomes the issue's line, so the
// sentence and the location name the file line (the column stays the one within the line).
Issue parse_error_issue(const json::ParseError& error, std::size_t record = 0);

// Extension on OperationOutcome.issue naming the resource an issue is about ("Observation/o1"),
// for inputs that hold many resources (Bundles, NDJSON).
inline constexpr std::string_view kIssueResourceExtension = "https://mfr-fhir.org/fhir/StructureDefinition/issue-resource";

// The one writer of OperationOutcome: a valid R4 OperationOutcome, one issue per Issue
// (severity, code, diagnostics, expression), the line/column in the HL7 extensions
// operationoutcome-issue-line / -col (valueInteger) and in `location` as "{source}: Line[n] Col[m]"
// (the form the HL7 Java validator writes, prefixed by the input's name when there is one), the
// resource in kIssueResourceExtension. With no issue it holds one `information`/`informational`
// issue "No issues found." (R4 requires at least one issue).
json::Value to_operation_outcome(const std::vector<Issue>& issues);

// A JSON syntax error as an OperationOutcome: to_operation_outcome({parse_error_issue(error)}).
json::Value to_operation_outcome(const json::ParseError& error);

}  // namespace mfr::validate
