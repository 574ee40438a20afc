#include "exchange/fetch.hpp"

#include "terminology/codes.hpp"

namespace mfr::exchange {
namespace {

namespace t = terminology;

std::string token(const t::Coding& c) { return std::string(c.system) + "|" + std::string(c.code); }

void search_all(Client& client, const std::string& type, const SearchParams& params, FetchResult& out) {
  int page_number = 0;
  client.search(type, params, [&](const json::Value& page) {
    out.pages.push_back({type + " search, page " + std::to_string(++page_number), page.dump()});
    return true;
  });
}

}  // namespace

FetchResult fetch_ours(Client& client, std::string_view patient_reference) {
  FetchResult out;
  const std::pair<std::string, const t::Coding*> searches[] = {{"Procedure", &t::kSkinRolling},
                                                               {"Observation", &t::kRestriction}};
  for (const auto& [type, code] : searches) {
    const SearchParams unfiltered{{"patient", std::string(patient_reference)}};
    SearchParams ours = unfiltered;
    ours.emplace_back("code", token(*code));
    const std::size_t before = out.pages.size();
    try {
      search_all(client, type, ours, out);
    } catch (const ExchangeError& e) {
      // A server that does not support the parameter says so with 400 on the first page (FHIR
      // search: an unknown parameter may be refused). Any later failure is a real one.
      if (e.kind() != ErrorKind::http_status || e.http_status() != 400 || out.pages.size() != before) throw;
      out.unfiltered.push_back(type);
      search_all(client, type, unfiltered, out);
    }
  }
  return out;
}

}  // namespace mfr::exchange
