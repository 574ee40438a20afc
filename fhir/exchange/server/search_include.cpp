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

// The Observations partOf the `matches` (Procedures), each once though partOf two of them.
void add_parts(const store::Store& store, const std::vector<store::StoredResource>& matches,
               std::vector<store::StoredResource>& out) {
  std::set<std::string, std::less<>> seen;
  for (const auto& row : matches) {
    store::SearchQuery query;
    query.type = "Observation";
    query.part_of = "Procedure/" + row.id;
    query.limit = static_cast<std::size_t>(-1) / 2;  // every one: a session's findings come whole
    for (auto& found : store.search(query))
      if (seen.insert(found.id).second) out.push_back(std::move(found));
  }
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
