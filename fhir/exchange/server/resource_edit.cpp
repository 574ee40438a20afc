#include "exchange/server/resource_edit.hpp"

namespace mfr::server {

std::string stamp(json::Value& resource, const std::string& id, std::int64_t version, const std::string& instant) {
  json::Value meta = json::Value::object();
  if (const json::Value* given = resource.find("meta"); given && given->is_object()) meta = *given;
  meta.erase("versionId");
  meta.erase("lastUpdated");
  json::Value stamped_meta = json::Value::object();
  stamped_meta["versionId"] = std::to_string(version);
  stamped_meta["lastUpdated"] = instant;
  for (json::Member& member : meta.as_object()) stamped_meta[member.key] = std::move(member.value);

  json::Object ordered;
  ordered.push_back({"resourceType", resource.find("resourceType") ? *resource.find("resourceType") : json::Value()});
  ordered.push_back({"id", json::Value(id)});
  ordered.push_back({"meta", std::move(stamped_meta)});
  for (json::Member& member : resource.as_object())
    if (member.key != "resourceType" && member.key != "id" && member.key != "meta")
      ordered.push_back(std::move(member));
  resource = json::Value(std::move(ordered));
  return resource.dump();
}

void rewrite_references(json::Value& value, const std::map<std::string, std::string, std::less<>>& targets) {
  if (value.is_array()) {
    for (json::Value& item : value.as_array()) rewrite_references(item, targets);
  } else if (value.is_object()) {
    for (json::Member& member : value.as_object()) {
      if (member.key == "reference" && member.value.is_string()) {
        if (auto it = targets.find(member.value.as_string()); it != targets.end()) member.value = json::Value(it->second);
      } else {
        rewrite_references(member.value, targets);
      }
    }
  }
}

bool is_fhir_id(std::string_view text) noexcept {
  if (text.empty() || text.size() > 64) return false;
  for (char c : text)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') return false;
  return true;
}

}  // namespace mfr::server
