#pragma once
// A problem found while reading or writing FHIR: data, not an exception, so a batch goes on.
#include <string>
#include <vector>

#include "json/json.hpp"

namespace mfr::validate {
struct Issue;
}

namespace mfr::codec {

enum class Severity { Fatal, Error, Warning, Information };

struct Issue {
  Issue() = default;
  Issue(Severity s, std::string c, std::string expr, std::string diag, json::Position at = {}, std::size_t rec = 0,
        std::string src = {})
      : severity(s), code(std::move(c)), expression(std::move(expr)), diagnostics(std::move(diag)), where(at),
        record(rec), source(std::move(src)) {}

  Severity severity = Severity::Error;
  std::string code;         // FHIR IssueType: "structure", "required", "value", "invalid", "not-supported", ...
  std::string expression;   // FHIRPath of the element, e.g. "Observation.component[0].valueInteger"
  std::string diagnostics;  // a sentence for a person
  json::Position where;     // line/column in the JSON text when known
  std::size_t record = 0;   // 1-based NDJSON line or Bundle entry number; 0 when not from a stream
  std::string source;       // the input's name (a file name) when several were read together
  std::string resource;     // "Observation/o1": the resource the issue is about, when known
};

std::string_view severity_code(Severity s) noexcept;  // "fatal", "error", "warning", "information"
bool has_errors(const std::vector<Issue>& issues) noexcept;

// The validator's issue in our terms: same severity, code, expression, sentence and position.
Issue from_validation(const validate::Issue& v);
// The Bundle entry an expression names: "Bundle.entry[12].resource.status" -> 12; npos for
// issues about the Bundle itself or about a lone resource.
std::size_t entry_index(std::string_view expression) noexcept;

// Extension on OperationOutcome.issue naming the resource an issue is about ("Observation/o1"),
// for inputs that hold many resources (Bundles, NDJSON).
inline constexpr std::string_view kIssueResourceExtension = "https://mfr-fhir.org/fhir/StructureDefinition/issue-resource";

// An R4 OperationOutcome of the issues (one "information" issue when there are none, as R4
// needs at least one): FHIRPath in `expression`; line and column in the HL7
// operationoutcome-issue-line/-col extensions and in `location` as "{source}: Line[n] Col[m]".
json::Value to_operation_outcome(const std::vector<Issue>& issues);

}  // namespace mfr::codec
