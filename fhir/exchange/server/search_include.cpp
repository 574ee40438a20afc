#include "exchange/server/search_include.hpp"

#include <set>
#include <string>

#include "json/json.hpp"

namespace mfr::server {
namespace {

// The Procedures `matches` (Observations) are partOf, each once, absent ones skipped.
void add_part_of(const store::Store& store, const std::vector<store::StoredResource>& matches,
                 std::vector<store::StoredResource>& out) {
  std::set<std::string, std::less<>> wanted;
  for (const auto& row : matches) {
    const json::Value resource = json::Value::parse(row.json);
    const json::Value* parts = resource.find("partOf");
    if (!parts || !parts->is_array()) continue;
    for (const json::Value& part : parts->as_array()) {
      const auto ref = part.string_at("reference");
      if (!ref || !ref->starts_with("Procedure/") || !wanted.insert(std::string(*ref)).second) continue;
      if (auto stored = store.read("Procedure", ref->substr(10))) out.push_back(std::move(*stored));
    }
  }
}

// The Observations partOf the `matches` (Procedures), each once though partOf two of them, in
// one store query (by date, then id).
void add_parts(const store::Store& store, const std::vector<store::StoredResource>& matches,
               std::vector<store::StoredResource>& out) {
  std::vector<std::string> references;
  references.reserve(matches.size());
  for (const auto& row : matches) references.push_back("Procedure/" + row.id);
  for (auto& found : store.part_of_any("Observation", references)) out.push_back(std::move(found));
}

}  // namespace

std::vector<store::StoredResource> included_resources(const store::Store& store, const SearchRequest& search,
                                                      const std::vector<store::StoredResource>& matches) {
  std::vector<store::StoredResource> out;
  if (search.include_part_of) add_part_of(store, matches, out);
  if (search.revinclude_part_of) add_parts(store, matches, out);
  return out;
}

}  // namespace mfr::server
