#pragma once
// The FHIR REST client for one partner: transaction Bundles out, searches in, over HTTPS with
// the partner's credentials, time limits and retries. JSON text in, mfr::json::Value out; the
// client never rewrites what it sends (conditional references such as
// "Patient?identifier=system|value" reach the partner untouched) and never logs.
//
// Retries: 429/502/503/504 and lost or refused connections are tried again with exponential
// backoff and jitter, waiting at least what Retry-After asks, within Timeouts::operation.
// Re-sending a transaction is safe because its entries are conditional creates (ifNoneExist).
// When the partner is still busy at the end (or asks for longer than the operation has left),
// its last answer comes back with Response::retry_after, for the outbox to wait that out.
// Any other 4xx comes back to the caller as it is, OperationOutcome and all, after one attempt.
//
// Not thread-safe: one call at a time per Client (it owns one keep-alive connection).
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exchange/config.hpp"
#include "exchange/errors.hpp"
#include "exchange/url.hpp"
#include "json/json.hpp"

namespace boost::asio::ssl {
class context;
}

namespace mfr::exchange {

class Connection;
class TokenSource;
struct HttpRequest;
struct HttpResponse;

struct Response {
  int status = 0;
  json::Value body;       // the parsed body (a transaction-response Bundle, an OperationOutcome); null if none
  std::string body_text;  // the body as received
  std::string location;   // Location (or Content-Location) header, when given
  int attempts = 0;       // requests this call made, retries included
  // The wait a 429/503 answer asked for (Retry-After, delta-seconds or an HTTP-date), if any.
  std::optional<std::chrono::milliseconds> retry_after;
};

using SearchParams = std::vector<std::pair<std::string, std::string>>;

struct SearchSummary {
  int pages = 0;
  std::size_t entries = 0;            // entries across the delivered pages
  std::optional<long long> total;     // Bundle.total of the first page, when the partner gave it
  bool stopped_by_caller = false;
};

// Gets each searchset page as it arrives; return false to stop paging.
using PageCallback = std::function<bool(const json::Value& page)>;

class Client {
 public:
  // Checks the configuration (URL scheme, TLS material, SMART key) before any traffic; throws
  // ExchangeError(configuration).
  explicit Client(ClientOptions options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // POSTs a transaction (or batch) Bundle to the base URL. Returns the partner's answer, 2xx or
  // 4xx/5xx alike; throws ExchangeError when no answer could be had (network, TLS, time, auth).
  Response post_transaction(std::string_view bundle_json);

  // GET [base]/[type]?params&_count=page_size, then each link[relation=next] in turn (same origin
  // only), handing every searchset page to `on_page`. A non-200 page throws
  // ExchangeError(http_status) carrying the partner's OperationOutcome.
  SearchSummary search(std::string_view resource_type, const SearchParams& params, const PageCallback& on_page);

  const Endpoint& endpoint() const noexcept { return endpoint_; }
  const ClientOptions& options() const noexcept { return options_; }
  int connections_opened() const noexcept;  // TCP connections to the FHIR base so far
  int tokens_fetched() const noexcept;      // SMART tokens fetched so far

 private:
  Response execute(const HttpRequest& request);
  std::optional<std::string> authorization();

  ClientOptions options_;
  Endpoint endpoint_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  std::unique_ptr<Connection> connection_;
  std::unique_ptr<Connection> token_connection_;
  std::unique_ptr<TokenSource> tokens_;
  std::chrono::steady_clock::time_point deadline_{};
};

}  // namespace mfr::exchange
