#pragma once
// The resources a search page brings along (entry.search.mode "include"):
// _include=Observation:part-of, the Procedures the page's Observations are partOf, and
// _revinclude=Observation:part-of, the Observations that are partOf the page's Procedures.
// Each is taken for the page of the match that needs it, once per page, in the matches' order.
#include <vector>

#include "exchange/server/query.hpp"
#include "store/store.hpp"

namespace mfr::server {

std::vector<store::StoredResource> included_resources(const store::Store& store, const SearchRequest& search,
                                                      const std::vector<store::StoredResource>& matches);

}  // namespace mfr::server
