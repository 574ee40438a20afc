#include "test_server.hpp"

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "exchange/client_assertion.hpp"

namespace mfr::test {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using asio::use_awaitable;
using Steady = std::chrono::steady_clock;

namespace {

struct Reply {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers{{"Content-Type", "application/fhir+json"}};
  std::string body;
  bool drop = false;
  std::chrono::milliseconds delay{0};
};

Reply outcome(int status, const std::string& code, const std::string& diagnostics, const std::string& expression = {}) {
  json::Value issue = json::Value::object();
  issue["severity"] = "error";
  issue["code"] = code;
  issue["diagnostics"] = diagnostics;
  if (!expression.empty()) issue["expression"].push_back(expression);
  json::Value oo = json::Value::object();
  oo["resourceType"] = "OperationOutcome";
  oo["issue"].push_back(std::move(issue));
  Reply r;
  r.status = status;
  r.body = oo.dump();
  return r;
}

Reply oauth_error(int status, const std::string& error) {
  Reply r;
  r.status = status;
  r.headers = {{"Content-Type", "application/json"}};
  r.body = R"({"error":")" + error + R"("})";
  return r;
}

std::string random_token() {
  unsigned char raw[24];
  RAND_bytes(raw, sizeof raw);
  return exchange::base64url_encode(std::string_view(reinterpret_cast<char*>(raw), sizeof raw));
}

std::string form_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::map<std::string, std::string> parse_form(std::string_view body) {
  std::map<std::string, std::string> fields;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos) fields[form_decode(pair.substr(0, eq))] = form_decode(pair.substr(eq + 1));
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
  }
  return fields;
}

// The signature check a SMART server makes, written against OpenSSL directly.
bool signature_valid(const std::string& public_pem, const std::string& alg, std::string_view signing_input,
                     std::string signature) {
  BIO* bio = BIO_new_mem_buf(public_pem.data(), static_cast<int>(public_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (!key) return false;
  bool ok = false;
  const bool es384 = alg == "ES384";
  if ((es384 && EVP_PKEY_base_id(key) == EVP_PKEY_EC && signature.size() == 96) ||
      (alg == "RS384" && EVP_PKEY_base_id(key) == EVP_PKEY_RSA)) {
    if (es384) {  // JWS r||s back to DER
      ECDSA_SIG* sig = ECDSA_SIG_new();
      const auto* raw = reinterpret_cast<const unsigned char*>(signature.data());
      ECDSA_SIG_set0(sig, BN_bin2bn(raw, 48, nullptr), BN_bin2bn(raw + 48, 48, nullptr));
      unsigned char* der = nullptr;
      const int length = i2d_ECDSA_SIG(sig, &der);
      signature.assign(reinterpret_cast<char*>(der), static_cast<std::size_t>(length));
      OPENSSL_free(der);
      ECDSA_SIG_free(sig);
    }
    EVP_MD_CTX* md = EVP_MD_CTX_new();
    ok = EVP_DigestVerifyInit(md, nullptr, EVP_sha384(), nullptr, key) == 1 &&
         EVP_DigestVerify(md, reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                          reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()) == 1;
    EVP_MD_CTX_free(md);
  }
  EVP_PKEY_free(key);
  return ok;
}

// A token search on code: "system|code", "|code" (no system) or "code" (any system).
bool has_code(const json::Value& resource, std::string_view token) {
  const json::Value* code = resource.find("code");
  const json::Value* codings = code ? code->find("coding") : nullptr;
  if (!codings || !codings->is_array()) return false;
  const auto bar = token.find('|');
  for (const json::Value& c : codings->as_array()) {
    const std::string_view value = c.string_at("code").value_or("");
    if (bar == std::string_view::npos) {
      if (value == token) return true;
    } else if (value == token.substr(bar + 1) && c.string_at("system").value_or("") == token.substr(0, bar)) {
      return true;
    }
  }
  return false;
}

bool has_identifier(const json::Value& resource, std::string_view system_value) {
  const json::Value* ids = resource.find("identifier");
  if (!ids || !ids->is_array()) return false;
  for (const json::Value& id : ids->as_array())
    if (std::string(id.string_at("system").value_or("")) + "|" + std::string(id.string_at("value").value_or("")) ==
        system_value)
      return true;
  return false;
}

}  // namespace

struct TestFhirServer::Impl {
  TestServerOptions options;
  ssl::context ctx{ssl::context::tls_server};
  std::unique_ptr<asio::io_context> ioc;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::thread thread;
  std::uint16_t port = 0;

  mutable std::mutex mutex;
  std::map<std::string, std::vector<json::Value>, std::less<>> records;
  std::map<std::string, std::string> conditional;  // "Procedure?identifier=s|v" -> "Procedure/7"
  int next_id = 1;
  int fail_count = 0;
  int fail_status = 503;
  std::string fail_retry_after;
  std::vector<std::string> refused_parameters;
  std::size_t max_entries = 0;  // 0: any size; else larger transactions are answered 413
  std::size_t max_bytes = 0;    // likewise for the body's bytes
  int drop_count = 0;
  double drop_share = 0;  // of answered transactions, after storing: cut off (seeded, so repeatable)
  std::mt19937 drop_rng{1};
  int rate_limit_every = 0;  // every Nth FHIR request is answered 429 with rate_limit_retry_after
  std::string rate_limit_retry_after;
  int rate_limit_seen = 0;
  int rate_limited = 0;
  std::chrono::milliseconds delay{0};
  int transactions = 0, requests = 0, issued = 0, rejected = 0, refused = 0;
  std::map<std::string, Steady::time_point> tokens;

  std::string origin() const { return std::string(options.tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port); }
  std::string token_url() const { return origin() + "/auth/token"; }

  asio::awaitable<void> accept_loop(tcp::acceptor& listener) {
    for (;;) {
      auto [ec, socket] = co_await listener.async_accept(asio::as_tuple(use_awaitable));
      if (ec) co_return;
      asio::co_spawn(listener.get_executor(), session(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> session(tcp::socket socket) {
    try {
      if (options.tls) {
        beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), ctx);
        beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(5));
        co_await stream.async_handshake(ssl::stream_base::server, use_awaitable);
        co_await serve(stream);
      } else {
        beast::tcp_stream stream(std::move(socket));
        co_await serve(stream);
      }
    } catch (const std::exception&) {
      // The peer went away, refused our certificate, or we cut it off on purpose.
    }
  }

  template <class Stream>
  asio::awaitable<void> serve(Stream& stream) {
    beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> req;
      beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
      co_await http::async_read(stream, buffer, req, use_awaitable);
      Reply reply = handle(req);
      if (reply.delay.count() > 0) {
        asio::steady_timer timer(co_await asio::this_coro::executor, reply.delay);
        co_await timer.async_wait(use_awaitable);
      }
      if (reply.drop) {
        const std::string partial =
            "HTTP/1.1 200 OK\r\nContent-Type: application/fhir+json\r\nContent-Length: 4000\r\n\r\n"
            "{\"resourceType\":\"Bundle\",\"type\":\"transac";
        co_await asio::async_write(stream, asio::buffer(partial), use_awaitable);
        beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both);
        beast::get_lowest_layer(stream).socket().close();
        co_return;
      }
      http::response<http::string_body> res{static_cast<http::status>(reply.status), req.version()};
      res.set(http::field::server, "mfr-fhir test server");
      for (const auto& [name, value] : reply.headers) res.set(name, value);
      res.body() = std::move(reply.body);
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      co_await http::async_write(stream, res, use_awaitable);
      if (!res.keep_alive()) co_return;
    }
  }

  Reply handle(const http::request<http::string_body>& req) {
    std::lock_guard lock(mutex);
    ++requests;
    const std::string target(req.target());
    const std::string path = target.substr(0, target.find('?'));
    if (path == "/auth/token") return token(req);
    if (!options.smart_public_key_pem.empty()) {
      const std::string auth(req[http::field::authorization]);
      const auto found = auth.rfind("Bearer ", 0) == 0 ? tokens.find(auth.substr(7)) : tokens.end();
      if (found == tokens.end() || found->second <= Steady::now()) {
        ++rejected;
        Reply r = outcome(401, "login", "the access token is missing, unknown or expired");
        r.headers.emplace_back("WWW-Authenticate", R"(Bearer error="invalid_token", error_description="expired")");
        return r;
      }
    }
    const bool is_transaction = req.method() == http::verb::post && path == options.base_path;
    if (is_transaction) ++transactions;
    if (fail_count > 0) {
      --fail_count;
      Reply r = outcome(fail_status, "transient", "the server is busy, try again later");
      if (!fail_retry_after.empty()) r.headers.emplace_back("Retry-After", fail_retry_after);
      return r;
    }
    if (rate_limit_every > 0 && ++rate_limit_seen % rate_limit_every == 0) {
      ++rate_limited;
      Reply r = outcome(429, "throttled", "too many requests, slow down");
      if (!rate_limit_retry_after.empty()) r.headers.emplace_back("Retry-After", rate_limit_retry_after);
      return r;
    }
    if (is_transaction) {
      Reply r = transaction(req.body());
      if (r.status == 200 && drop_count > 0) {
        --drop_count;
        r.drop = true;
      } else if (r.status == 200 && drop_share > 0 && std::bernoulli_distribution(drop_share)(drop_rng)) {
        r.drop = true;
      }
      r.delay = delay;
      return r;
    }
    if (req.method() == http::verb::get && path.rfind(options.base_path + "/", 0) == 0)
      return search(path.substr(options.base_path.size() + 1), target);
    return outcome(404, "not-found", "no such endpoint");
  }

  Reply transaction(const std::string& body) {
    if (max_bytes && body.size() > max_bytes)
      return outcome(413, "too-costly", "this server takes at most " + std::to_string(max_bytes) + " bytes a transaction");
    json::Value bundle;
    try {
      bundle = json::Value::parse(body);
    } catch (const json::ParseError& e) {
      return outcome(400, "structure", "the body is not JSON: " + e.reason());
    }
    if (bundle.string_at("resourceType") != "Bundle" || bundle.string_at("type") != "transaction")
      return outcome(400, "invalid", "only transaction Bundles are accepted here", "Bundle.type");
    const json::Value* entries = bundle.find("entry");
    if (!entries || !entries->is_array()) return outcome(400, "required", "the transaction has no entries", "Bundle.entry");
    if (max_entries && entries->size() > max_entries)
      return outcome(413, "too-costly", "this server takes at most " + std::to_string(max_entries) + " entries a transaction",
                     "Bundle.entry");
    // Atomic, as FHIR wants: check every entry before storing any.
    for (std::size_t i = 0; i < entries->size(); ++i) {
      const json::Value& entry = entries->as_array()[i];
      const json::Value* resource = entry.find("resource");
      const json::Value* request = entry.find("request");
      if (!resource || !resource->string_at("resourceType") || !request || request->string_at("method") != "POST")
        return outcome(400, "invalid", "each entry needs a resource and a POST request",
                       "Bundle.entry[" + std::to_string(i) + "]");
    }
    // Where each entry lands, so that references to its fullUrl (urn:uuid) can be rewritten to
    // "Type/id" before storing, as FHIR's transaction rules require.
    std::map<std::string, std::string> targets;
    int planned_id = next_id;
    for (const json::Value& entry : entries->as_array()) {
      const std::string type(*entry.find("resource")->string_at("resourceType"));
      const auto condition = entry.find("request")->string_at("ifNoneExist");
      const std::string key = condition ? type + "?" + std::string(*condition) : std::string();
      const std::string target = condition && conditional.count(key) ? conditional[key] : type + "/" + std::to_string(planned_id++);
      if (const auto full_url = entry.string_at("fullUrl")) targets[std::string(*full_url)] = target;
    }
    json::Value answer = json::Value::object();
    answer["resourceType"] = "Bundle";
    answer["type"] = "transaction-response";
    json::Value& out = answer["entry"];
    out = json::Value::array();
    for (const json::Value& entry : entries->as_array()) {
      json::Value resource = *entry.find("resource");
      rewrite_references(resource, targets);
      const std::string type(*resource.string_at("resourceType"));
      const auto condition = entry.find("request")->string_at("ifNoneExist");
      const std::string key = condition ? type + "?" + std::string(*condition) : std::string();
      json::Value response = json::Value::object();
      if (condition && conditional.count(key)) {
        response["status"] = "200 OK";
        response["location"] = conditional[key] + "/_history/1";
      } else {
        const std::string id = std::to_string(next_id++);
        resource["id"] = id;
        resource["meta"]["versionId"] = "1";
        records[type].push_back(std::move(resource));
        if (condition) conditional[key] = type + "/" + id;
        response["status"] = "201 Created";
        response["location"] = type + "/" + id + "/_history/1";
      }
      json::Value item = json::Value::object();
      item["response"] = std::move(response);
      out.push_back(std::move(item));
    }
    Reply r;
    r.body = answer.dump();
    return r;
  }

  static void rewrite_references(json::Value& value, const std::map<std::string, std::string>& targets) {
    if (value.is_array()) {
      for (json::Value& item : value.as_array()) rewrite_references(item, targets);
    } else if (value.is_object()) {
      for (json::Member& member : value.as_object()) {
        if (member.key == "reference" && member.value.is_string()) {
          if (const auto found = targets.find(std::string(member.value.as_string())); found != targets.end()) member.value = found->second;
        } else {
          rewrite_references(member.value, targets);
        }
      }
    }
  }

  static std::string escape_bar(const std::string& token) {
    std::string out;
    for (char c : token) out += c == '|' ? std::string("%7C") : std::string(1, c);
    return out;
  }

  Reply search(const std::string& type, const std::string& target) {
    if (type != "Observation" && type != "Procedure")
      return outcome(404, "not-supported", "this server holds no " + type + " resources");
    const auto parsed = boost::urls::parse_origin_form(target);
    if (!parsed) return outcome(400, "invalid", "unreadable search URL");
    std::string patient, code;
    std::size_t count = 50, offset = 0;
    for (const auto& param : parsed->params()) {
      for (const std::string& name : refused_parameters)
        if (param.key == name)
          return outcome(400, "not-supported", "the search parameter " + name + " is not supported", name);
      if (param.key == "patient") patient = param.value;
      else if (param.key == "code") code = param.value;
      else if (param.key == "_count") count = std::min<std::size_t>(std::stoul(param.value), 1000);
      else if (param.key == "_offset") offset = std::stoul(param.value);
    }
    std::vector<const json::Value*> matches;
    if (auto found = records.find(type); found != records.end())
      for (const json::Value& r : found->second) {
        const json::Value* subject = r.find("subject");
        const auto ref = subject ? subject->string_at("reference") : std::nullopt;
        if (!patient.empty() && !(ref && (*ref == patient || *ref == "Patient/" + patient))) continue;
        if (!code.empty() && !has_code(r, code)) continue;
        matches.push_back(&r);
      }
    json::Value page = json::Value::object();
    page["resourceType"] = "Bundle";
    page["type"] = "searchset";
    page["total"] = static_cast<long long>(matches.size());
    auto link = [&](const char* relation, std::size_t at) {
      json::Value l = json::Value::object();
      l["relation"] = relation;
      l["url"] = origin() + options.base_path + "/" + type + "?patient=" + patient +
                 (code.empty() ? "" : "&code=" + escape_bar(code)) + "&_count=" + std::to_string(count) +
                 "&_offset=" + std::to_string(at);
      page["link"].push_back(std::move(l));
    };
    link("self", offset);
    if (offset + count < matches.size()) link("next", offset + count);
    json::Value& entries = page["entry"];
    entries = json::Value::array();
    for (std::size_t i = offset; i < std::min(matches.size(), offset + count); ++i) {
      json::Value e = json::Value::object();
      e["fullUrl"] = origin() + options.base_path + "/" + type + "/" + std::string(*matches[i]->string_at("id"));
      e["resource"] = *matches[i];
      e["search"]["mode"] = "match";
      entries.push_back(std::move(e));
    }
    Reply r;
    r.body = page.dump();
    return r;
  }

  Reply token(const http::request<http::string_body>& req) {
    if (req.method() != http::verb::post) return oauth_error(405, "invalid_request");
    auto form = parse_form(req.body());
    if (form["grant_type"] != "client_credentials") return oauth_error(400, "unsupported_grant_type");
    if (form["client_assertion_type"] != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
      return oauth_error(400, "invalid_client");
    if (!assertion_valid(form["client_assertion"])) {
      ++refused;
      return oauth_error(401, "invalid_client");
    }
    const std::string token = random_token();
    tokens[token] = Steady::now() + options.token_lifetime;
    ++issued;
    json::Value body = json::Value::object();
    body["access_token"] = token;
    body["token_type"] = "bearer";
    body["expires_in"] = options.advertised_expires_in;
    body["scope"] = form["scope"];
    Reply r;
    r.headers = {{"Content-Type", "application/json"}, {"Cache-Control", "no-store"}};
    r.body = body.dump();
    return r;
  }

  bool assertion_valid(const std::string& jwt) {
    const auto first = jwt.find('.');
    const auto second = jwt.find('.', first == std::string::npos ? 0 : first + 1);
    if (first == std::string::npos || second == std::string::npos) return false;
    try {
      const json::Value header = json::Value::parse(exchange::base64url_decode(jwt.substr(0, first)));
      const json::Value claims = json::Value::parse(exchange::base64url_decode(jwt.substr(first + 1, second - first - 1)));
      const std::string signature = exchange::base64url_decode(jwt.substr(second + 1));
      const std::string alg(header.string_at("alg").value_or(""));
      if (!signature_valid(options.smart_public_key_pem, alg, std::string_view(jwt).substr(0, second), signature))
        return false;
      const long long now = std::chrono::duration_cast<std::chrono::seconds>(
                                std::chrono::system_clock::now().time_since_epoch()).count();
      const json::Value* exp = claims.find("exp");
      return claims.string_at("iss") == options.smart_client_id && claims.string_at("sub") == options.smart_client_id &&
             claims.string_at("aud") == token_url() && exp && exp->as_integer().value_or(0) > now &&
             exp->as_integer().value_or(0) <= now + 310 && claims.string_at("jti");
    } catch (const std::exception&) {
      return false;
    }
  }
};

TestFhirServer::TestFhirServer(TestServerOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->port = impl_->options.port;
  if (impl_->options.tls) {
    auto& ctx = impl_->ctx;
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3);
    ctx.use_certificate_chain(asio::buffer(impl_->options.identity.certificate_pem));
    ctx.use_private_key(asio::buffer(impl_->options.identity.key_pem), ssl::context::pem);
    if (!impl_->options.client_ca_pem.empty()) {
      ctx.add_certificate_authority(asio::buffer(impl_->options.client_ca_pem));
      ctx.set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
    }
  }
  start();
}

TestFhirServer::~TestFhirServer() { stop(); }

void TestFhirServer::start() {
  if (impl_->ioc) return;
  impl_->ioc = std::make_unique<asio::io_context>();
  impl_->acceptor = std::make_unique<tcp::acceptor>(*impl_->ioc);
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), impl_->port);
  impl_->acceptor->open(endpoint.protocol());
  impl_->acceptor->set_option(asio::socket_base::reuse_address(true));
  impl_->acceptor->bind(endpoint);
  impl_->acceptor->listen();
  impl_->port = impl_->acceptor->local_endpoint().port();
  asio::co_spawn(*impl_->ioc, impl_->accept_loop(*impl_->acceptor), asio::detached);
  impl_->thread = std::thread([io = impl_->ioc.get()] { io->run(); });
}

void TestFhirServer::stop() {
  if (!impl_->ioc) return;
  impl_->ioc->stop();
  impl_->thread.join();
  impl_->acceptor.reset();
  impl_->ioc.reset();  // destroys every open session with it
}

std::uint16_t TestFhirServer::port() const { return impl_->port; }
std::string TestFhirServer::base_url() const { return impl_->origin() + impl_->options.base_path; }
std::string TestFhirServer::token_url() const { return impl_->token_url(); }

void TestFhirServer::fail_next(int count, int status, std::string retry_after) {
  std::lock_guard lock(impl_->mutex);
  impl_->fail_count = count;
  impl_->fail_status = status;
  impl_->fail_retry_after = std::move(retry_after);
}

void TestFhirServer::drop_next(int count) {
  std::lock_guard lock(impl_->mutex);
  impl_->drop_count = count;
}

void TestFhirServer::drop_share(double share, unsigned seed) {
  std::lock_guard lock(impl_->mutex);
  impl_->drop_share = share;
  impl_->drop_rng.seed(seed);
}

void TestFhirServer::rate_limit_every(int n, std::string retry_after) {
  std::lock_guard lock(impl_->mutex);
  impl_->rate_limit_every = n;
  impl_->rate_limit_retry_after = std::move(retry_after);
  impl_->rate_limit_seen = 0;
}

int TestFhirServer::rate_limited() const { std::lock_guard lock(impl_->mutex); return impl_->rate_limited; }

std::map<std::string, int> TestFhirServer::identifier_counts(std::string_view type) const {
  std::lock_guard lock(impl_->mutex);
  std::map<std::string, int> counts;
  const auto found = impl_->records.find(type);
  if (found == impl_->records.end()) return counts;
  for (const json::Value& r : found->second) {
    const json::Value* ids = r.find("identifier");
    if (!ids || !ids->is_array()) {
      ++counts[""];
      continue;
    }
    for (const json::Value& id : ids->as_array())
      ++counts[std::string(id.string_at("system").value_or("")) + "|" + std::string(id.string_at("value").value_or(""))];
  }
  return counts;
}

void TestFhirServer::delay_transactions(std::chrono::milliseconds delay) {
  std::lock_guard lock(impl_->mutex);
  impl_->delay = delay;
}

void TestFhirServer::seed_observations(const std::string& patient_id, int count) {
  std::lock_guard lock(impl_->mutex);
  static const char* kLevels[][2] = {{"T4", "73071006"}, {"T5", "56401006"}, {"L4", "11994002"}, {"C7", "87391001"}};
  for (int i = 0; i < count; ++i) {
    const auto& level = kLevels[i % 4];
    const std::string id = std::to_string(impl_->next_id++);
    const std::string text =
        R"({"resourceType":"Observation","id":")" + id + R"(","status":"final",)"
        R"("identifier":[{"system":"https://clinic-bordeaux.example.org/fhir/findings","value":"S-)" +
        std::to_string(i / 8) + "/" + level[1] + (i % 2 ? "/left" : "/right") + R"("}],)"
        R"("category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"exam"}]}],)"
        R"("code":{"coding":[{"system":"https://mfr-fhir.org/fhir/CodeSystem/mfr","code":"restriction"},)"
        R"({"system":"http://snomed.info/sct","code":"118242002","display":"Finding by palpation"}]},)"
        R"("subject":{"reference":"Patient/)" + patient_id + R"("},"effectiveDateTime":"2024-03-04T09:30:00+01:00",)"
        R"("bodySite":{"coding":[{"system":"http://snomed.info/sct","code":")" + level[1] + R"("}],"text":")" + level[0] +
        (i % 2 ? ", left" : ", right") + R"("},)"
        R"("valueCodeableConcept":{"coding":[{"system":"https://mfr-fhir.org/fhir/CodeSystem/restriction-grade","code":")" +
        std::to_string(i % 4) + R"("}]}})";
    impl_->records["Observation"].push_back(json::Value::parse(text));
  }
}

void TestFhirServer::seed(const json::Value& resource) {
  std::lock_guard lock(impl_->mutex);
  json::Value copy = resource;
  if (!copy.find("id")) copy["id"] = std::to_string(impl_->next_id++);
  impl_->records[std::string(copy.string_at("resourceType").value_or(""))].push_back(std::move(copy));
}

void TestFhirServer::refuse_bundles_over(std::size_t entries) {
  std::lock_guard lock(impl_->mutex);
  impl_->max_entries = entries;
}

void TestFhirServer::refuse_bundles_larger_than(std::size_t bytes) {
  std::lock_guard lock(impl_->mutex);
  impl_->max_bytes = bytes;
}

void TestFhirServer::refuse_search_parameter(std::string name) {
  std::lock_guard lock(impl_->mutex);
  impl_->refused_parameters.push_back(std::move(name));
}

std::size_t TestFhirServer::stored(std::string_view type) const {
  std::lock_guard lock(impl_->mutex);
  const auto found = impl_->records.find(type);
  return found == impl_->records.end() ? 0 : found->second.size();
}

std::optional<json::Value> TestFhirServer::find(std::string_view type, std::string_view identifier) const {
  std::lock_guard lock(impl_->mutex);
  const auto found = impl_->records.find(type);
  if (found != impl_->records.end())
    for (const json::Value& r : found->second)
      if (has_identifier(r, identifier)) return r;
  return std::nullopt;
}

int TestFhirServer::transactions_received() const { std::lock_guard lock(impl_->mutex); return impl_->transactions; }
int TestFhirServer::requests_received() const { std::lock_guard lock(impl_->mutex); return impl_->requests; }
int TestFhirServer::tokens_issued() const { std::lock_guard lock(impl_->mutex); return impl_->issued; }
int TestFhirServer::rejected_tokens() const { std::lock_guard lock(impl_->mutex); return impl_->rejected; }
int TestFhirServer::assertions_refused() const { std::lock_guard lock(impl_->mutex); return impl_->refused; }

}  // namespace mfr::test
