#include "exchange/server/search_subset.hpp"

#include <algorithm>
#include <cctype>

#include "json/json.hpp"

namespace mfr::server {
namespace {

enum Flag : unsigned { kSummary = 1, kKeep = 2 };  // kKeep: mandatory, a modifier, or id/meta

struct Element {
  std::string_view name;  // a choice without its "[x]": "value"
  bool choice;
  unsigned flags;
};

// The top-level elements of R4 Procedure and Observation (StructureDefinition snapshots, 4.0.1):
// isSummary, and whether a subset keeps them regardless.
constexpr Element kCommon[] = {
    {"id", false, kSummary | kKeep},       {"meta", false, kSummary | kKeep},
    {"implicitRules", false, kSummary | kKeep}, {"language", false, 0},
    {"text", false, 0},                    {"contained", false, 0},
    {"extension", false, 0},               {"modifierExtension", false, kKeep},
};
constexpr Element kProcedure[] = {
    {"identifier", false, kSummary},        {"instantiatesCanonical", false, kSummary},
    {"instantiatesUri", false, kSummary},   {"basedOn", false, kSummary},
    {"partOf", false, kSummary},            {"status", false, kSummary | kKeep},
    {"statusReason", false, kSummary},      {"category", false, kSummary},
    {"code", false, kSummary},              {"subject", false, kSummary | kKeep},
    {"encounter", false, kSummary},         {"performed", true, kSummary},
    {"recorder", false, kSummary},          {"asserter", false, kSummary},
    {"performer", false, kSummary},         {"location", false, kSummary},
    {"reasonCode", false, kSummary},        {"reasonReference", false, kSummary},
    {"bodySite", false, kSummary},          {"outcome", false, kSummary},
    {"report", false, 0},                   {"complication", false, 0},
    {"complicationDetail", false, 0},       {"followUp", false, 0},
    {"note", false, 0},                     {"focalDevice", false, 0},
    {"usedReference", false, 0},            {"usedCode", false, 0},
};
constexpr Element kObservation[] = {
    {"identifier", false, kSummary},      {"basedOn", false, kSummary},
    {"partOf", false, kSummary},          {"status", false, kSummary | kKeep},
    {"category", false, 0},               {"code", false, kSummary | kKeep},
    {"subject", false, kSummary},         {"focus", false, kSummary},
    {"encounter", false, kSummary},       {"effective", true, kSummary},
    {"issued", false, kSummary},          {"performer", false, kSummary},
    {"value", true, kSummary},            {"dataAbsentReason", false, 0},
    {"interpretation", false, 0},         {"note", false, 0},
    {"bodySite", false, 0},               {"method", false, 0},
    {"specimen", false, 0},               {"device", false, 0},
    {"referenceRange", false, 0},         {"hasMember", false, kSummary},
    {"derivedFrom", false, kSummary},     {"component", false, kSummary},
};

bool names(const Element& element, std::string_view key) {
  if (key == element.name) return true;
  return element.choice && key.size() > element.name.size() && key.starts_with(element.name) &&
         std::isupper(static_cast<unsigned char>(key[element.name.size()]));
}

// The element a JSON member is (its "_status" twin is status's); nullptr for none we know.
const Element* element_of(std::string_view type, std::string_view key) {
  if (key.starts_with('_')) key.remove_prefix(1);
  for (const Element& e : kCommon)
    if (names(e, key)) return &e;
  auto look = [&](const auto& table) -> const Element* {
    for (const Element& e : table)
      if (names(e, key)) return &e;
    return nullptr;
  };
  if (type == "Procedure") return look(kProcedure);
  if (type == "Observation") return look(kObservation);
  return nullptr;
}

void tag_subsetted(json::Value& resource) {
  json::Value tag = json::Value::object();
  tag["system"] = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";
  tag["code"] = "SUBSETTED";
  tag["display"] = "Resource encoded in summary mode";
  json::Value& meta = resource["meta"];
  if (json::Value* tags = meta.find("tag"); tags && tags->is_array())
    for (const json::Value& t : tags->as_array())
      if (t.string_at("code") == std::optional<std::string_view>("SUBSETTED")) return;
  meta["tag"].push_back(std::move(tag));
}

}  // namespace

std::vector<std::string> parse_elements(std::string_view type, std::string_view list) {
  std::vector<std::string> out;
  while (true) {
    const auto comma = list.find(',');
    std::string_view name = list.substr(0, comma);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name.empty() || name.starts_with('_') || !element_of(type, name))
      throw QueryError("_elements", "_elements '" + std::string(name) + "' is not a top-level element of " +
                                        std::string(type) + " (give names such as status,code,subject)");
    out.emplace_back(name);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

bool subsets(const SearchRequest& search) noexcept {
  return search.summary == Summary::True || search.summary == Summary::Text || search.summary == Summary::Data ||
         !search.elements.empty();
}

std::string subset_resource(std::string_view type, std::string_view json_text, const SearchRequest& search) {
  const bool by_elements = search.summary == Summary::Full && !search.elements.empty();
  if (by_elements && type != search.query.type) return std::string(json_text);
  json::Value resource = json::Value::parse(json_text);
  auto keep = [&](std::string_view key) {
    if (key == "resourceType") return true;
    const Element* element = element_of(type, key);
    if (!element) return search.summary == Summary::Data;  // an element we do not know: only "data" keeps it
    if (element->flags & kKeep) return true;
    if (by_elements) {
      std::string_view bare = key.starts_with('_') ? key.substr(1) : key;
      return std::any_of(search.elements.begin(), search.elements.end(), [&](const std::string& wanted) {
        return wanted == bare || (element->choice && wanted == element->name);
      });
    }
    switch (search.summary) {
      case Summary::True: return (element->flags & kSummary) != 0;
      case Summary::Text: return element->name == "text";
      case Summary::Data: return element->name != "text";
      default: return true;
    }
  };
  std::erase_if(resource.as_object(), [&](const json::Member& m) { return !keep(std::string_view(m.key)); });
  tag_subsetted(resource);
  return resource.dump();
}

}  // namespace mfr::server
