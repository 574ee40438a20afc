#pragma once
// Validation of FHIR R4 JSON resources -> issues -> OperationOutcome.
//
// What is checked (base R4, from the generated StructureDefinition tables):
//   element names, JSON types, cardinality (min/max, array vs single value), choice types,
//   primitive formats, empty values (ele-1), required bindings (MIME types by their BCP 13 syntax),
//   reference shapes, urn:uuid references inside a Bundle naming one of its entries' fullUrl
//   (rule "mfr-bundle-reference", a warning in both modes: export validates each entry alone), and the
//   invariants ele-1, ext-1, dom-2..dom-5, ref-1, obs-3, obs-6, obs-7, bdl-1..bdl-5, bdl-7..bdl-12,
//   per-1, qty-3, att-1, pat-1, txt-1 (validate/xhtml.hpp: well-formed XHTML in the narrative subset,
//   no script, event attribute or outside image), txt-2; nested resources (Bundle.entry.resource, contained) recursively.
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
#include "validate/issue.hpp"  // Issue, Severity, IssueType, to_operation_outcome

namespace mfr::validate {

// What the profile departures are: errors for what we emit, warnings for what we receive.
// Base R4 errors are errors in both.
enum class Strictness : std::uint8_t { Strict, Lenient };

// What a validation may leave out. Only export uses it, and only on a resource it generated whole:
// the narrative codec builds is constant tags around escaped text, checked against txt-1 by tests
// on every shape and on arbitrary text (tests/codec/narrative_test.cpp), so export does not parse it
// again for each resource. A narrative received from anyone is always checked.
struct Checks {
  bool narrative_xhtml = true;  // txt-1 on Narrative.div
};

// Validates one resource (a Bundle's entries included). Never throws on bad content.
std::vector<Issue> validate(const json::Value& resource, Strictness strictness, Checks checks = {});

// Validates `resource` as the resource of a transaction or batch entry: as validate(), except
// that conditional references ("Patient?identifier=system|value") are allowed, since the server
// resolves them. What export checks a transaction's resources with.
std::vector<Issue> validate_transaction_entry(const json::Value& resource, Strictness strictness, Checks checks = {});

// Whether a resource claims one of our profiles by the rule above: a Procedure naming
// mfr-skin-rolling-procedure or carrying CodeSystem/mfr#skin-rolling, an Observation naming
// mfr-skin-rolling-finding or carrying CodeSystem/mfr#restriction. Import reads only these as
// sessions and findings; a partner's other resources (CPT 97140 alone, a BMI) are foreign.
bool claims_our_profile(const json::Value& resource) noexcept;

// Parses and validates a JSON text; a syntax error becomes one fatal issue (parse_error_issue).
std::vector<Issue> validate_text(std::string_view json_text, Strictness strictness);

}  // namespace mfr::validate
