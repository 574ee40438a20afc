#pragma once
// A partner's FHIR base URL (or token endpoint) split into what a connection needs, and the
// checks that keep requests on it: https unless insecure http was asked for, and next-page links
// that stay on the same origin (a token is never sent to another host).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mfr::exchange {

struct Endpoint {
  bool tls = true;
  std::string host;       // "partner.example.org" or "127.0.0.1" (no brackets for IPv6)
  std::string port;       // "443" when the URL gives none
  std::string base_path;  // "/fhir", never with a trailing slash ("" for the root)

  std::string origin() const;  // "https://partner.example.org:443"
};

// Parses an absolute http(s) URL. Throws ExchangeError(configuration) on anything else, and on
// http:// unless `allow_insecure_http`.
Endpoint parse_endpoint(std::string_view url, bool allow_insecure_http);

// The origin-form target ("/fhir/Observation?x=1") of an absolute URL on the same origin as
// `endpoint`; throws ExchangeError(protocol) when the URL points elsewhere.
std::string same_origin_target(const Endpoint& endpoint, std::string_view url);

// "a=1&b=x%7Cy": each name and value percent-encoded as a query component.
std::string encode_query(const std::vector<std::pair<std::string, std::string>>& params);

// application/x-www-form-urlencoded, as token endpoints take it.
std::string encode_form(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace mfr::exchange
