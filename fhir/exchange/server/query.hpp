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

// A search the server cannot run, with the parameter at fault and the R4 issue type: "invalid"
// for a value that is malformed or unknown (a date that is no date, _summary=maybe),
// "not-supported" for a parameter, or a well-formed value, this server does not serve.
class QueryError : public std::invalid_argument {
 public:
  QueryError(std::string parameter, const std::string& sentence, std::string code = "invalid")
      : std::invalid_argument(sentence), parameter_(std::move(parameter)), code_(std::move(code)) {}
  const std::string& parameter() const noexcept { return parameter_; }
  const std::string& code() const noexcept { return code_; }

 private:
  std::string parameter_;
  std::string code_;
};

// "a=1&b=x%7Cy" -> {{"a","1"},{"b","x|y"}}; throws QueryError on a broken %-escape.
QueryParams parse_query(std::string_view query);
// Percent-encodes everything but unreserved characters.
std::string url_encode(std::string_view text);

// _summary (R4): count (Bundle.total, no entries), true (the isSummary elements), text (text,
// id, meta and the mandatory elements), data (all but text), false or absent (everything).
enum class Summary { Full, Count, True, Text, Data };
// _total: absent (none here), none, estimate (given when known without counting), accurate.
enum class Total { Unset, None, Estimate, Accurate };

struct SearchRequest {
  store::SearchQuery query;
  int count = 50;
  std::size_t offset = 0;
  bool include_part_of = false;     // _include=Observation:part-of, on Observation searches
  bool revinclude_part_of = false;  // _revinclude=Observation:part-of, on Procedure searches
  Total total = Total::Unset;
  Summary summary = Summary::Full;
  std::vector<std::string> elements;  // _elements: top-level element names of the type, checked
  QueryParams criteria;               // the parameters to repeat in self/next links (not _count/_offset)
};

SearchRequest parse_search(std::string_view type, const QueryParams& params, int default_count, int max_count);
// The subset a read or vread asks for (_summary=true|text|data|false, _elements; count is for
// searches: invalid); other parameters of a read are not looked at.
SearchRequest parse_read(std::string_view type, const QueryParams& params);

}  // namespace mfr::server
