#include "exchange/token_source.hpp"

#include <algorithm>

#include "exchange/client_assertion.hpp"
#include "exchange/errors.hpp"
#include "exchange/url.hpp"
#include "json/json.hpp"

namespace mfr::exchange {

TokenSource::TokenSource(SmartBackendOptions options, std::string token_target, Transport transport)
    : options_(std::move(options)), token_target_(std::move(token_target)), transport_(std::move(transport)) {}

void TokenSource::invalidate() noexcept {
  token_.clear();
  valid_until_ = {};
}

const std::string& TokenSource::token() {
  const auto now = std::chrono::steady_clock::now();
  if (!token_.empty() && now < valid_until_) return token_;

  HttpRequest request;
  request.method = "POST";
  request.target = token_target_;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}};
  request.body = encode_form({{"grant_type", "client_credentials"},
                              {"scope", options_.scope},
                              {"client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
                              {"client_assertion", make_client_assertion(options_, std::chrono::system_clock::now())}});
  const HttpResponse response = transport_(request);
  if (response.status == 429 || response.status >= 500)
    throw ExchangeError(ErrorKind::unavailable,
                        "the token endpoint is unavailable (" + std::to_string(response.status) + ")", response.status);

  json::Value body;
  try {
    body = json::Value::parse(response.body);
  } catch (const json::ParseError&) {
    throw ExchangeError(ErrorKind::authorization,
                        "the token endpoint answered " + std::to_string(response.status) + " without a JSON body",
                        response.status);
  }
  if (response.status != 200) {
    const std::string code(body.string_at("error").value_or("no error code"));
    throw ExchangeError(ErrorKind::authorization,
                        "the token endpoint refused the client assertion (" + std::to_string(response.status) + ", " +
                            code + ")",
                        response.status);
  }
  const auto access_token = body.string_at("access_token");
  if (!access_token || access_token->empty())
    throw ExchangeError(ErrorKind::authorization, "the token endpoint answered without an access_token");
  long long expires_in = 300;  // RFC 6749 makes expires_in optional; SMART servers send it
  if (const json::Value* e = body.find("expires_in"); e && e->is_number()) expires_in = e->as_integer().value_or(300);
  // Refresh a little early, so a token does not expire between our check and the partner's.
  const long long margin = std::min<long long>(30, expires_in / 10);
  token_ = std::string(*access_token);
  valid_until_ = now + std::chrono::seconds(std::max<long long>(0, expires_in - margin));
  ++fetched_;
  return token_;
}

}  // namespace mfr::exchange
