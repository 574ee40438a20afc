// Search (GET [base]/[type]?...): the searchset Bundle, paged with next links, with the counts,
// inclusions and subsets the request asks for.
#include <string>
#include <string_view>
#include <vector>

#include "exchange/server/query.hpp"
#include "exchange/server/reply.hpp"
#include "exchange/server/search_include.hpp"
#include "exchange/server/search_subset.hpp"
#include "exchange/server/service.hpp"

namespace mfr::server {
namespace {

// The searchset Bundle's text: `head` (the Bundle without entries) with the matches and the
// included resources spliced in as text, each resource as stored (no parse and re-serialisation
// per row), into one buffer sized once: a page of 100 is ~200 kB.
std::string searchset_body(std::string head, const std::string& base, const std::vector<store::StoredResource>& rows,
                           const std::vector<store::StoredResource>& included) {
  if (rows.empty() && included.empty()) return head;
  constexpr std::string_view kResource = ",\"resource\":", kMatch = ",\"search\":{\"mode\":\"match\"}}",
                             kInclude = ",\"search\":{\"mode\":\"include\"}}";
  std::size_t size = head.size() + 16;
  for (const auto* list : {&rows, &included})
    for (const auto& row : *list)
      size += 16 + base.size() + row.type.size() + row.id.size() + 4 + kResource.size() + row.json.size() +
              kInclude.size();
  std::string body = std::move(head);
  body.reserve(size);
  body.pop_back();  // the closing brace of the Bundle
  body += ",\"entry\":[";
  bool first = true;
  auto add_entry = [&](const store::StoredResource& row, std::string_view mode) {
    body += first ? "{\"fullUrl\":" : ",{\"fullUrl\":";
    first = false;
    json::write_string(body, base + "/" + row.type + "/" + row.id);
    body += kResource;
    body += row.json;
    body += mode;
  };
  for (const auto& row : rows) add_entry(row, kMatch);
  for (const auto& row : included) add_entry(row, kInclude);
  body += "]}";
  return body;
}

}  // namespace

Reply FhirService::search(const Request& request, Route& route) {
  route.interaction = "search-type";
  SearchRequest search = parse_search(route.type, parse_query(route.query), config_.default_page_size,
                                      config_.max_page_size);
  const auto count = static_cast<std::size_t>(search.count);
  const std::string base = base_url(request);
  auto link = [&](const char* relation, std::size_t offset) {
    std::string url = base + "/" + route.type + "?";
    for (const auto& [name, value] : search.criteria) url += url_encode(name) + "=" + url_encode(value) + "&";
    json::Value out = json::Value::object();
    out["relation"] = relation;
    out["url"] = url + "_count=" + std::to_string(search.count) + "&_offset=" + std::to_string(offset);
    return out;
  };
  json::Value bundle = json::Value::object();
  bundle["resourceType"] = "Bundle";
  bundle["id"] = random_uuid();
  bundle["meta"]["lastUpdated"] = fhir_instant_now();
  bundle["type"] = "searchset";
  if (search.summary == Summary::Count) {  // the count alone, whatever _total says: it is what was asked
    bundle["total"] = static_cast<unsigned long>(store_->count_matches(search.query));
    bundle["link"].push_back(link("self", search.offset));
    return fhir_reply(200, bundle.dump());
  }

  search.query.offset = search.offset;
  search.query.limit = count + 1;  // one more than a page tells whether there is a next page
  auto rows = store_->search(search.query);
  const bool more = rows.size() > count;
  if (more) rows.pop_back();
  // Bundle.total: counting walks every match, so only for _total=accurate; an estimate is given
  // when it is exact for free (the last page, reached from a match).
  if (search.total == Total::Accurate)
    bundle["total"] = static_cast<unsigned long>(store_->count_matches(search.query));
  else if (search.total == Total::Estimate && !more && (!rows.empty() || search.offset == 0))
    bundle["total"] = static_cast<unsigned long>(search.offset + rows.size());
  bundle["link"].push_back(link("self", search.offset));
  if (more) bundle["link"].push_back(link("next", search.offset + count));

  auto included = included_resources(*store_, search, rows);
  if (subsets(search))
    for (auto* list : {&rows, &included})
      for (auto& row : *list) row.json = subset_resource(row.type, row.json, search);
  return fhir_reply(200, searchset_body(bundle.dump(), base, rows, included));
}

}  // namespace mfr::server
