#include "exchange/server/query.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <iterator>

#include "exchange/server/search_subset.hpp"

namespace mfr::server {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%') {
      const int hi = i + 2 < text.size() ? hex_digit(text[i + 1]) : -1;
      const int lo = i + 2 < text.size() ? hex_digit(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) throw QueryError("", "the query has a broken %-escape at character " + std::to_string(i + 1));
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// A FHIR date search value, "[prefix]date", as the store's filter. The value's range comes from
// its precision (date_range.hpp); ap widens it on both sides by a tenth of the time between the
// value and now, the approximation FHIR recommends.
store::DateFilter date_filter(const std::string& text) {
  static constexpr std::pair<std::string_view, store::DatePrefix> kPrefixes[] = {
      {"eq", store::DatePrefix::eq}, {"ne", store::DatePrefix::ne}, {"gt", store::DatePrefix::gt},
      {"lt", store::DatePrefix::lt}, {"ge", store::DatePrefix::ge}, {"le", store::DatePrefix::le},
      {"sa", store::DatePrefix::sa}, {"eb", store::DatePrefix::eb}, {"ap", store::DatePrefix::ap}};
  store::DateFilter filter;
  std::string_view value = text;
  if (!value.empty() && std::isalpha(static_cast<unsigned char>(value[0]))) {
    const std::string_view prefix = value.substr(0, 2);
    const auto* known = std::find_if(std::begin(kPrefixes), std::end(kPrefixes),
                                     [&](const auto& p) { return p.first == prefix; });
    if (known == std::end(kPrefixes))
      throw QueryError("date", "date prefix '" + std::string(prefix) +
                                   "' is not a FHIR prefix (eq, ne, gt, lt, ge, le, sa, eb or ap)");
    filter.prefix = known->second;
    value.remove_prefix(2);
  }
  const char* why = nullptr;
  const auto range = store::date_range(value, &why);
  if (!range) throw QueryError("date", "date '" + text + "' is not a FHIR date: " + why);
  filter.range = *range;
  if (filter.prefix == store::DatePrefix::ap) {
    const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch()).count();
    const std::int64_t slack = (now > range->low ? now - range->low : range->high - now) / 10;
    filter.range.low -= slack;
    filter.range.high += slack;
  }
  return filter;
}

std::string reference_to(std::string_view type, const std::string& value) {
  if (value.find('/') != std::string::npos) return value;
  return std::string(type) + "/" + value;
}

int to_int(const std::string& name, const std::string& value) {
  int n = -1;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc() || end != value.data() + value.size() || n < 0)
    throw QueryError(name, name + " '" + value + "' is not a non-negative whole number");
  return n;
}

}  // namespace

QueryParams parse_query(std::string_view query) {
  QueryParams params;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    if (!pair.empty()) {
      const auto eq = pair.find('=');
      if (eq == std::string_view::npos) params.emplace_back(decode(pair), "");
      else params.emplace_back(decode(pair.substr(0, eq)), decode(pair.substr(eq + 1)));
    }
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
  }
  return params;
}

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

namespace {

// "Observation:part-of" or "Observation:part-of:Procedure": the shape of an _include value.
bool include_shaped(std::string_view value) {
  const auto colon = value.find(':');
  if (colon == std::string_view::npos || colon == 0 || !std::isupper(static_cast<unsigned char>(value[0]))) return false;
  std::string_view rest = value.substr(colon + 1);
  rest = rest.substr(0, rest.find(':'));
  return !rest.empty() && std::all_of(rest.begin(), rest.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '*';
  });
}

Summary summary_of(const std::string& value) {
  if (value == "count") return Summary::Count;
  if (value == "true") return Summary::True;
  if (value == "text") return Summary::Text;
  if (value == "data") return Summary::Data;
  if (value == "false") return Summary::Full;
  throw QueryError("_summary", "_summary '" + value + "' is not true, false, text, data or count");
}

// _include and _revinclude: the one each search type serves, a well-formed other one refused as
// not supported, anything else as invalid.
void include_of(std::string_view type, const std::string& name, const std::string& value, SearchRequest& search) {
  const bool reverse = name == "_revinclude";
  const std::string_view served_on = reverse ? "Procedure" : "Observation";
  if (value == "Observation:part-of" && type == served_on) {
    (reverse ? search.revinclude_part_of : search.include_part_of) = true;
    return;
  }
  if (!include_shaped(value))
    throw QueryError(name, name + " '" + value + "' is not of the form Type:search-parameter[:Type]");
  throw QueryError(name,
                   name + " '" + value + "' is not supported on " + std::string(type) + " (only " +
                       "Observation:part-of is, on " + std::string(served_on) + " searches)",
                   "not-supported");
}

}  // namespace

SearchRequest parse_search(std::string_view type, const QueryParams& params, int default_count, int max_count) {
  SearchRequest search;
  search.query.type = std::string(type);
  search.count = default_count;
  auto set_once = [](std::optional<std::string>& slot, const std::string& name, std::string value) {
    if (slot && *slot != value) throw QueryError(name, "parameter " + name + " is given twice with different values");
    slot = std::move(value);
  };
  std::optional<std::string> summary, elements, total;
  for (const auto& [name, value] : params) {
    if (name == "_format" || name == "_pretty") continue;  // content negotiation, handled by the service
    if (name == "_count") {
      search.count = std::min(to_int(name, value), max_count);
      continue;
    }
    if (name == "_offset") {
      search.offset = static_cast<std::size_t>(to_int(name, value));
      continue;
    }
    search.criteria.emplace_back(name, value);
    if (value.empty()) throw QueryError(name, "parameter " + name + " has no value");
    if (name == "patient" || name == "subject") {
      set_once(search.query.patient, name, reference_to("Patient", value));
    } else if (name == "patient:identifier" || name == "subject:identifier") {
      // The patient as a logical reference by identifier "system|value": how a transaction's
      // conditional "Patient?identifier=system|value" is stored, and indexed (store/resource_index).
      set_once(search.query.patient, name, "Patient?identifier=" + value);
    } else if (name == "date") {
      search.query.dates.push_back(date_filter(value));
    } else if (name == "code") {
      set_once(search.query.code, name, value);
    } else if (name == "identifier") {
      set_once(search.query.identifier, name, value);
    } else if (name == "part-of") {
      set_once(search.query.part_of, name, reference_to("Procedure", value));
    } else if (name == "_total") {
      set_once(total, name, value);
      if (value == "none") search.total = Total::None;
      else if (value == "estimate") search.total = Total::Estimate;
      else if (value == "accurate") search.total = Total::Accurate;
      else throw QueryError(name, "_total '" + value + "' is not none, estimate or accurate");
    } else if (name == "_summary") {
      set_once(summary, name, value);
      search.summary = summary_of(value);
    } else if (name == "_elements") {
      set_once(elements, name, value);
      search.elements = parse_elements(type, value);
    } else if (name == "_sort") {
      if (value != "date")
        throw QueryError(name, "_sort '" + value + "' is not supported (only date is)", "not-supported");
    } else if (name == "_include" || name == "_revinclude") {
      include_of(type, name, value, search);
    } else {
      throw QueryError(name, "search parameter '" + name + "' is not supported on " + std::string(type),
                       "not-supported");
    }
  }
  if (elements && search.summary != Summary::Full && search.summary != Summary::Count)
    throw QueryError("_elements", "_elements and _summary=" + *summary + " ask for two different subsets: give one");
  if (search.count == 0) search.count = 1;  // _count=0 would page for ever
  return search;
}

SearchRequest parse_read(std::string_view type, const QueryParams& params) {
  QueryParams subset;
  for (const auto& [name, value] : params) {
    if (name == "_summary" && value == "count")
      throw QueryError(name, "_summary=count is for searches; a read returns the resource");
    if (name == "_summary" || name == "_elements") subset.emplace_back(name, value);
  }
  return parse_search(type, subset, 1, 1);
}

}  // namespace mfr::server
