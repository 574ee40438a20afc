#pragma once
// FHIR search parameters: the query string decoded, and Procedure/Observation searches turned
// into store queries. Anything this server does not support is refused (400) rather than ignored,
// so a partner never takes a broader result for the one it asked for.
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/store.hpp"

namespace mfr::server {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// A search the server cannot run, with the parameter at fault.
class QueryError : public std::invalid_argument {
 public:
  QueryError(std::string parameter, const std::string& sentence)
      : std::invalid_argument(sentence), parameter_(std::move(parameter)) {}
  const std::string& parameter() const noexcept { return parameter_; }

 private:
  std::string parameter_;
};

// "a=1&b=x%7Cy" -> {{"a","1"},{"b","x|y"}}; throws QueryError on a broken %-escape.
QueryParams parse_query(std::string_view query);
// Percent-encodes everything but unreserved characters.
std::string url_encode(std::string_view text);

struct SearchRequest {
  store::SearchQuery query;
  int count = 50;
  std::size_t offset = 0;
  bool include_part_of = false;  // _include=Observation:part-of
  bool total = false;            // _total=accurate: count every match for Bundle.total
  QueryParams criteria;          // the parameters to repeat in self/next links (not _count/_offset)
};

SearchRequest parse_search(std::string_view type, const QueryParams& params, int default_count, int max_count);

}  // namespace mfr::server
