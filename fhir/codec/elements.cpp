#include "codec/elements.hpp"

namespace mfr::codec {

// The builders append members with add() (no look-up: each key is new) into objects reserved
// at their final size, since export builds every resource from them.
namespace {
json::Value object_of(std::size_t members) {
  json::Value v = json::Value::object();
  v.as_object().reserve(members);
  return v;
}
}  // namespace

json::Value coding(const terminology::Coding& c) {
  json::Value v = object_of(c.display.empty() ? 2 : 3);
  v.add("system", c.system);
  v.add("code", c.code);
  if (!c.display.empty()) v.add("display", c.display);
  return v;
}

json::Value concept_of(std::initializer_list<terminology::Coding> codings, std::string_view text) {
  json::Value v = object_of(text.empty() ? 1 : 2);
  json::Value& list = v.add("coding", json::Value::array());
  list.as_array().reserve(codings.size());
  for (const auto& c : codings) list.push_back(coding(c));
  if (!text.empty()) v.add("text", text);
  return v;
}

json::Value reference(std::string_view ref, std::string_view display) {
  json::Value v = object_of(display.empty() ? 1 : 2);
  v.add("reference", ref);
  if (!display.empty()) v.add("display", display);
  return v;
}

json::Value unknown_value() {
  json::Value v = json::Value::object();
  v["extension"].push_back(extension(terminology::kDataAbsentReasonExtension, "valueCode", json::Value("unknown")));
  return v;
}

json::Value identifier(std::string_view system, std::string_view value) {
  json::Value v = object_of(2);
  v.add("system", system);
  v.add("value", value);
  return v;
}

json::Value extension(std::string_view url, std::string_view value_key, json::Value value) {
  json::Value v = object_of(2);
  v.add("url", url);
  v.add(value_key, std::move(value));
  return v;
}

const json::Value* find_coding(const json::Value* cc, std::string_view system, std::string_view code) {
  if (!cc) return nullptr;
  const json::Value* list = cc->find("coding");
  if (!list || !list->is_array()) return nullptr;
  for (const json::Value& c : list->as_array()) {
    if (c.string_at("system") != system) continue;
    if (code.empty() || c.string_at("code") == code) return &c;
  }
  return nullptr;
}

const json::Value* find_extension(const json::Value* element, std::string_view url) {
  if (!element) return nullptr;
  const json::Value* list = element->find("extension");
  if (!list || !list->is_array()) return nullptr;
  for (const json::Value& e : list->as_array())
    if (e.string_at("url") == url) return &e;
  return nullptr;
}

std::string reference_text(const json::Value* ref) {
  if (!ref) return {};
  if (auto r = ref->string_at("reference")) return std::string(*r);
  const json::Value* id = ref->find("identifier");
  const auto type = ref->string_at("type");
  if (id && type) {
    const auto system = id->string_at("system");
    const auto value = id->string_at("value");
    if (value) return std::string(*type) + "?identifier=" + std::string(system.value_or("")) + "|" + std::string(*value);
  }
  return {};
}

namespace {
// Where "Type?identifier=system|value" splits: the position of "?identifier=", or npos when `ref`
// is no conditional reference by identifier.
std::size_t conditional_split(std::string_view ref) {
  const auto q = ref.find("?identifier=");
  return q != std::string_view::npos && ref.find('/') > q ? q : std::string_view::npos;
}

// {"type": Type, "identifier": {"system", "value"}} for the conditional reference split at `q`.
json::Value logical_of(std::string_view ref, std::size_t q, std::size_t extra_members) {
  const std::string_view token = ref.substr(q + 12);
  const auto bar = token.find('|');
  json::Value identifier = object_of(2);
  if (bar != std::string_view::npos) {
    identifier.add("system", token.substr(0, bar));
    identifier.add("value", token.substr(bar + 1));
  } else {
    identifier.add("value", token);
  }
  json::Value logical = object_of(2 + extra_members);
  logical.add("type", ref.substr(0, q));
  logical.add("identifier", std::move(identifier));
  return logical;
}
}  // namespace

json::Value reference_for(std::string_view ref, bool conditional_allowed, std::string_view display) {
  const std::size_t q = conditional_allowed ? std::string_view::npos : conditional_split(ref);
  if (q == std::string_view::npos) return reference(ref, display);
  json::Value logical = logical_of(ref, q, display.empty() ? 0 : 1);
  if (!display.empty()) logical.add("display", display);
  return logical;
}

void to_logical_references(json::Value& v) {
  if (v.is_array()) {
    for (json::Value& item : v.as_array())
      if (item.is_object() || item.is_array()) to_logical_references(item);
    return;
  }
  if (!v.is_object()) return;
  if (auto ref = v.string_at("reference")) {
    const std::string_view r = *ref;
    if (const std::size_t q = conditional_split(r); q != std::string_view::npos) {
      json::Value logical = logical_of(r, q, v.size() - 1);
      for (json::Member& m : v.as_object()) {
        if (m.key == "reference") continue;
        if (m.key == "type" || m.key == "identifier") {
          logical[m.key] = std::move(m.value);  // the element's own wins, as it always did
        } else {
          logical.add(m.key, std::move(m.value));
        }
      }
      v = std::move(logical);
    }
    return;
  }
  for (json::Member& m : v.as_object())
    if (m.value.is_object() || m.value.is_array()) to_logical_references(m.value);
}

void replace_element(json::Value& out, std::string_view key, const json::Value* value) {
  out.erase("_" + std::string(key));
  if (value) {
    out[key] = *value;
  } else {
    out.erase(key);
  }
}

std::string reference_key(std::string_view ref, std::string_view type) {
  if (ref.rfind("urn:", 0) == 0) return std::string(ref);
  const std::string marker = std::string(type) + "/";
  const auto at = ref.rfind(marker);
  if (at == std::string_view::npos || (at > 0 && ref[at - 1] != '/')) return std::string(ref);
  std::string_view rest = ref.substr(at);
  if (auto h = rest.find("/_history"); h != std::string_view::npos) rest = rest.substr(0, h);
  return std::string(rest);
}

}  // namespace mfr::codec
