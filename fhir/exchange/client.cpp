#include "exchange/client.hpp"

#include <thread>

#include "exchange/client_assertion.hpp"
#include "exchange/connection.hpp"
#include "exchange/http_message.hpp"
#include "exchange/retry_policy.hpp"
#include "exchange/tls_context.hpp"
#include "exchange/token_source.hpp"

namespace mfr::exchange {
namespace {

using Steady = std::chrono::steady_clock;
constexpr std::string_view kFhirJson = "application/fhir+json";

Response to_response(HttpResponse&& http, int attempts) {
  Response out;
  out.status = http.status;
  out.attempts = attempts;
  if (auto location = http.header("Location")) out.location = std::string(*location);
  else if (auto content_location = http.header("Content-Location")) out.location = std::string(*content_location);
  if (http.status == 429 || http.status == 503)
    if (auto header = http.header("Retry-After")) out.retry_after = parse_retry_after(*header);
  out.body_text = std::move(http.body);
  if (!out.body_text.empty()) {
    try {
      out.body = json::Value::parse(out.body_text);
    } catch (const json::ParseError&) {
      // Not JSON (an HTML error page from a proxy, say): the text is still there for the caller.
    }
  }
  return out;
}

std::string with_attempts(const std::string& what, int attempts) {
  return attempts > 1 ? what + " (after " + std::to_string(attempts) + " attempts)" : what;
}

}  // namespace

Client::Client(ClientOptions options) : options_(std::move(options)) {
  endpoint_ = parse_endpoint(options_.base_url, options_.allow_insecure_http);
  if (options_.retry.max_attempts < 1) throw ExchangeError(ErrorKind::configuration, "retry.max_attempts must be at least 1");
  if (options_.page_size < 1) throw ExchangeError(ErrorKind::configuration, "page_size must be at least 1");
  tls_ = make_tls_context(options_.tls);
  connection_ = std::make_unique<Connection>(endpoint_, tls_, options_.timeouts, options_.user_agent);
  if (options_.smart) {
    const SmartBackendOptions& smart = *options_.smart;
    const Endpoint token_endpoint = parse_endpoint(smart.token_url, options_.allow_insecure_http);
    // Fails now, not at the first send, when the key is unusable.
    make_client_assertion(smart, std::chrono::system_clock::now());
    token_connection_ = std::make_unique<Connection>(token_endpoint, tls_, options_.timeouts, options_.user_agent);
    std::string target = same_origin_target(token_endpoint, smart.token_url);
    tokens_ = std::make_unique<TokenSource>(smart, std::move(target), [this](const HttpRequest& request) {
      return token_connection_->send(request, deadline_);
    });
  }
}

Client::~Client() = default;

int Client::connections_opened() const noexcept { return connection_->connections_opened(); }
int Client::tokens_fetched() const noexcept { return tokens_ ? tokens_->tokens_fetched() : 0; }

std::optional<std::string> Client::authorization() {
  if (tokens_) return "Bearer " + tokens_->token();
  if (!options_.bearer_token.empty()) return "Bearer " + options_.bearer_token;
  return std::nullopt;
}

Response Client::execute(const HttpRequest& request) {
  deadline_ = Steady::now() + options_.timeouts.operation;
  const RetryPolicy& policy = options_.retry;
  bool token_refreshed = false;
  int requests = 0;
  for (int attempt = 1;; ++attempt) {
    std::chrono::milliseconds delay{0};
    try {
      HttpRequest sent = request;
      if (auto auth = authorization()) sent.headers.emplace_back("Authorization", std::move(*auth));
      sent.headers.insert(sent.headers.end(), options_.headers.begin(), options_.headers.end());
      ++requests;
      HttpResponse http = connection_->send(sent, deadline_);
      // An expired (or revoked) SMART token: fetch a new one and try again once, not counted.
      if (http.status == 401 && tokens_ && !token_refreshed) {
        tokens_->invalidate();
        token_refreshed = true;
        --attempt;
        continue;
      }
      if (!is_retryable_status(http.status) || attempt >= policy.max_attempts) return to_response(std::move(http), requests);
      std::optional<std::chrono::milliseconds> retry_after;
      if (auto header = http.header("Retry-After")) retry_after = parse_retry_after(*header);
      if (retry_after && *retry_after > policy.max_retry_after) return to_response(std::move(http), requests);
      delay = retry_delay(policy, attempt + 1, retry_after);
      if (Steady::now() + delay >= deadline_) return to_response(std::move(http), requests);
    } catch (const ExchangeError& e) {
      if (!e.transient() || attempt >= policy.max_attempts)
        throw ExchangeError(e.kind(), with_attempts(e.what(), attempt), e.http_status(), e.outcome());
      delay = retry_delay(policy, attempt + 1, std::nullopt);
      if (Steady::now() + delay >= deadline_)
        throw ExchangeError(e.kind(), with_attempts(e.what(), attempt) + "; no time was left to try again");
    }
    std::this_thread::sleep_for(delay);
  }
}

Response Client::post_transaction(std::string_view bundle_json) {
  HttpRequest request;
  request.method = "POST";
  request.target = endpoint_.base_path.empty() ? "/" : endpoint_.base_path;
  request.headers = {{"Content-Type", std::string(kFhirJson) + "; charset=utf-8"}, {"Accept", std::string(kFhirJson)}};
  request.body = std::string(bundle_json);
  return execute(request);
}

SearchSummary Client::search(std::string_view resource_type, const SearchParams& params, const PageCallback& on_page) {
  if (resource_type.empty()) throw ExchangeError(ErrorKind::configuration, "a search needs a resource type");
  SearchParams query = params;
  bool has_count = false;
  for (const auto& [name, value] : query) has_count = has_count || name == "_count";
  if (!has_count) query.emplace_back("_count", std::to_string(options_.page_size));

  HttpRequest request;
  request.method = "GET";
  request.target = endpoint_.base_path + "/" + std::string(resource_type) + "?" + encode_query(query);
  request.headers = {{"Accept", std::string(kFhirJson)}};

  SearchSummary summary;
  for (;;) {
    if (summary.pages >= options_.max_pages)
      throw ExchangeError(ErrorKind::protocol, "the search of " + std::string(resource_type) + " went past " +
                                                   std::to_string(options_.max_pages) + " pages");
    Response page = execute(request);
    if (page.status != 200)
      throw ExchangeError(ErrorKind::http_status,
                          "the search of " + std::string(resource_type) + " on " + endpoint_.origin() + " answered " +
                              std::to_string(page.status) + " on page " + std::to_string(summary.pages + 1),
                          page.status, std::move(page.body));
    if (page.body.string_at("resourceType") != "Bundle")
      throw ExchangeError(ErrorKind::protocol, "page " + std::to_string(summary.pages + 1) + " of the search of " +
                                                   std::string(resource_type) + " is not a Bundle");
    ++summary.pages;
    if (const json::Value* entries = page.body.find("entry"); entries && entries->is_array())
      summary.entries += entries->size();
    if (summary.pages == 1)
      if (const json::Value* total = page.body.find("total"); total && total->is_number())
        summary.total = total->as_integer();
    if (!on_page(page.body)) {
      summary.stopped_by_caller = true;
      return summary;
    }
    std::optional<std::string> next;
    if (const json::Value* links = page.body.find("link"); links && links->is_array())
      for (const json::Value& link : links->as_array())
        if (link.string_at("relation") == "next")
          if (auto url = link.string_at("url")) next = std::string(*url);
    if (!next) return summary;
    request.target = same_origin_target(endpoint_, *next);
  }
}

}  // namespace mfr::exchange
