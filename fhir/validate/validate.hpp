#pragma once
// Validation of FHIR R4 JSON resources -> issues -> OperationOutcome.
//
// What is checked (base R4, from the generated StructureDefinition tables):
//   element names, JSON types, cardinality (min/max, array vs single value), choice types,
//   primitive formats, empty values (ele-1), required bindings (MIME types by their BCP 13 syntax),
//   reference shapes, urn:uuid references inside a Bundle naming one of its entries' fullUrl
//   (rule "mfr-bundle-reference", a warning in both modes: export validates each entry alone), and the
//   invariants ele-1, ext-1, dom-2..dom-5, ref-1, obs-3, obs-6, obs-7, bdl-1..bdl-5, bdl-7..bdl-12,
//   per-1, qty-3, att-1, pat-1, txt-2; nested resources (Bundle.entry.resource, contained) recursively.
//   Resources validated in depth: Procedure, Observation, Bundle, DocumentReference, OperationOutcome,
//   Patient; any other R4 resource type gets one `information`/`not-supported` issue.
// Our profiles (mfr-skin-rolling-procedure, mfr-skin-rolling-finding) apply to a resource that names
// the profile in meta.profile OR carries our code (CodeSystem/mfr#skin-rolling, #restriction): our
// codes mean nothing outside the profile, so a sender using them means the profile.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "json/json.hpp"

namespace mfr::validate {

enum class Severity : std::uint8_t { Fatal, Error, Warning, Information };

// The R4 issue-type codes we use.
enum class IssueType : std::uint8_t {
  Invalid,        // "invalid": content invalid against the specification
  Structure,      // "structure": unknown element, wrong JSON type, array/single mismatch
  Required,       // "required": a required element is missing
  Value,          // "value": a primitive is not in its format
  Invariant,      // "invariant": a constraint (ele-1, obs-6, bdl-3, ...) is violated
  CodeInvalid,    // "code-invalid": a code is not in a required value set / the profile's codes
  NotSupported,   // "not-supported": content this validator does not check
  Informational,  // "informational"
};

// What the profile departures are: errors for what we emit, warnings for what we receive.
// Base R4 errors are errors in both.
enum class Strictness : std::uint8_t { Strict, Lenient };

struct Issue {
  Severity severity;
  IssueType code;
  std::string expression;   // FHIRPath of the element: "Observation.component[0].valueInteger"
  std::string diagnostics;  // a sentence saying what is wrong
  json::Position where;     // line/column of the offending value (or of the enclosing object)
  std::string_view rule;    // the rule's key: "obs-6", "ele-1", "mfr-finding-pain"; empty for plain structure
};

std::string_view to_code(Severity severity) noexcept;    // "fatal", "error", "warning", "information"
std::string_view to_code(IssueType type) noexcept;       // "invalid", "structure", ...

// Validates one resource (a Bundle's entries included). Never throws on bad content.
std::vector<Issue> validate(const json::Value& resource, Strictness strictness);

// Whether a resource claims one of our profiles by the rule above: a Procedure naming
// mfr-skin-rolling-procedure or carrying CodeSystem/mfr#skin-rolling, an Observation naming
// mfr-skin-rolling-finding or carrying CodeSystem/mfr#restriction. Import reads only these as
// sessions and findings; a partner's other resources (CPT 97140 alone, a BMI) are foreign.
bool claims_our_profile(const json::Value& resource) noexcept;

// True when an issue is an error or fatal.
bool has_errors(const std::vector<Issue>& issues) noexcept;

// A valid R4 OperationOutcome: one issue per Issue (severity, code, diagnostics, expression) with
// the source line/column in `location` ("Line[12] Col[5]", the form the HL7 Java validator writes)
// and in the extensions operationoutcome-issue-line / -col (valueInteger). With no issue it holds
// one `information`/`informational` issue "No issues found" (R4 requires at least one issue).
json::Value to_operation_outcome(const std::vector<Issue>& issues);

// A JSON syntax error as an OperationOutcome: one `fatal`/`structure` issue with the parser's
// sentence and its line/column (no expression: there is no element yet).
json::Value to_operation_outcome(const json::ParseError& error);

// Parses and validates a JSON text; a syntax error becomes one fatal issue.
std::vector<Issue> validate_text(std::string_view json_text, Strictness strictness);

}  // namespace mfr::validate
