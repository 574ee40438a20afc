#pragma once
// A patient's skin-rolling record from a partner that holds the patient's whole record: asks
// only for ours (Procedure?patient=..&code=CodeSystem/mfr|skin-rolling, Observation?patient=..
// &code=CodeSystem/mfr|restriction) and follows every next link. A partner that refuses the code
// parameter (400 on the first page) is asked again without it, and the caller's import tells
// ours from foreign (codec/ownership.hpp): the filter is then on this side.
#include <string>
#include <string_view>
#include <vector>

#include "exchange/client.hpp"

namespace mfr::exchange {

struct FetchedPage {
  std::string name;  // "Procedure search, page 2": names the page in import issues
  std::string json;  // the searchset Bundle as received
};

struct FetchResult {
  std::vector<FetchedPage> pages;
  std::vector<std::string> unfiltered;  // resource types the partner would not search by code
};

// Throws ExchangeError as Client::search does.
FetchResult fetch_ours(Client& client, std::string_view patient_reference);

}  // namespace mfr::exchange
