#pragma once
// Small builders and readers for the FHIR datatypes the codec writes and reads
// (Coding, CodeableConcept, Reference, Identifier), so resource codecs read like DOMAIN.md.
#include <optional>
#include <string>
#include <string_view>

#include "json/json.hpp"
#include "terminology/codes.hpp"

namespace mfr::codec {

json::Value coding(const terminology::Coding& c);
json::Value concept_of(std::initializer_list<terminology::Coding> codings, std::string_view text = {});
json::Value reference(std::string_view ref, std::string_view display = {});
// A Reference in the form the output allows: a conditional one ("Patient?identifier=system|value")
// as is where `conditional_allowed` (a transaction), else the equivalent logical reference by
// identifier ({"type", "identifier"}), which is valid everywhere.
json::Value reference_for(std::string_view ref, bool conditional_allowed, std::string_view display = {});
json::Value identifier(std::string_view system, std::string_view value);
json::Value extension(std::string_view url, std::string_view value_key, json::Value value);
// The `_x` object of a primitive whose value is not known: {"extension": [data-absent-reason "unknown"]}.
json::Value unknown_value();

// The first coding in a CodeableConcept with `system` (and `code`, when given); nullptr if none.
const json::Value* find_coding(const json::Value* cc, std::string_view system, std::string_view code = {});
// The extension with `url` on an element; nullptr if none.
const json::Value* find_extension(const json::Value* element, std::string_view url);
// The text of a Reference: its `reference`, or for a logical reference by identifier
// ({"type":"Patient","identifier":{...}}) the conditional form "Patient?identifier=system|value";
// empty when neither.
std::string reference_text(const json::Value* ref);

// Conditional references ("Patient?identifier=system|value") are allowed only inside
// transaction and batch Bundles. This rewrites each of them, anywhere in `resource`, as the
// equivalent logical reference by identifier: for a resource received in a transaction and
// written back elsewhere.
void to_logical_references(json::Value& resource);

// The key a reference resolves by, so different spellings of one target compare equal:
// "urn:uuid:…" as is; "https://x/fhir/Procedure/abc/_history/2" and "Procedure/abc" -> "Procedure/abc".
std::string reference_key(std::string_view ref, std::string_view type);

// Replaces `key` (and its primitive shadow `_key`) in `out` with `value`, or removes both when
// `value` is null: how export rewrites one element of a resource received from elsewhere.
void replace_element(json::Value& out, std::string_view key, const json::Value* value);

// Calls `line_fn(line, line_number)` for each non-blank line of NDJSON text (LF or CRLF; the
// CR is not part of the line; numbers are 1-based and count blank lines too).
template <typename LineFn>
void for_each_ndjson_line(std::string_view text, LineFn&& line_fn) {
  std::size_t pos = 0;
  std::size_t line_no = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    line_fn(line, line_no);
  }
}

// Appends "[i]" to a FHIRPath.
inline std::string indexed(std::string_view path, std::size_t i) {
  return std::string(path) + "[" + std::to_string(i) + "]";
}

}  // namespace mfr::codec
