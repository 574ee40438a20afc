#pragma once
// The shapes of the generated R4 tables (r4_tables.hpp/.cpp, written by generate_tables.py):
// the validator is driven by these rows, not by hand-written per-element code.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace mfr::validate::r4 {

// How a value of an element is checked: a primitive kind (one hand-written checker each),
// a complex type or backbone element (a Structure), or a nested resource.
enum class Kind : std::uint8_t {
  Boolean, Integer, PositiveInt, UnsignedInt, Decimal, String, Markdown, Code, Id, Uri, Url, Canonical,
  Oid, Uuid, Base64Binary, Instant, Date, DateTime, Time, Xhtml,
  Complex, Resource,
};

inline constexpr std::uint16_t kNone = 0xFFFF;  // no structure / value set / slot; also max = "*"

constexpr bool is_primitive(Kind k) noexcept { return k < Kind::Complex; }

// One JSON member name of a structure; a choice element has one row per type (valueQuantity, ...).
struct Element {
  std::string_view name;         // JSON member name
  std::string_view type;         // FHIR type code, for messages ("Quantity", "dateTime", "Resource")
  Kind kind;
  std::uint16_t structure;       // Complex: index in kStructures
  std::uint16_t value_set;       // required binding: index in kValueSets
  std::uint16_t min;
  std::uint16_t max;             // kNone for "*"
  std::uint8_t choice;           // 0, or the 1-based choice group of a value[x] element
  std::uint16_t required_slot;   // index among the structure's required elements (choice: per group)
  std::string_view choice_name;  // "value[x]" for a choice row
  std::string_view targets;      // Reference: "|Patient|Group|" allowed targets; empty: any
  bool many() const noexcept { return max > 1; }
};

// The members of an object of one type or backbone element; its rows are sorted by name.
struct Structure {
  std::string_view name;  // "Observation", "Observation.component", "Quantity"
  std::uint16_t first;
  std::uint16_t count;
  std::uint16_t required_count;
};

struct ValueSet {
  std::string_view url;
  bool enumerable;  // false: codes come from a system the tables cannot list (mime types, ...)
  std::uint16_t first;
  std::uint16_t count;
};

struct Code {
  std::string_view system;
  std::string_view code;
};

struct ResourceStructure {
  std::string_view name;
  std::uint16_t structure;
};

}  // namespace mfr::validate::r4
