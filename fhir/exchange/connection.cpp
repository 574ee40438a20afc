// The one file of the library that speaks Beast.
#include "exchange/connection.hpp"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/version.hpp>

#include "exchange/errors.hpp"

namespace mfr::exchange {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using asio::use_awaitable;

namespace {

using TlsStream = beast::ssl_stream<beast::tcp_stream>;
constexpr std::uint64_t kBodyLimit = 256ull * 1024 * 1024;  // a page of a big searchset, with room

enum class Stage { resolving, connecting, handshaking, sending, reading };

const char* describe(Stage stage) {
  switch (stage) {
    case Stage::resolving: return "resolving";
    case Stage::connecting: return "connecting to";
    case Stage::handshaking: return "in the TLS handshake with";
    case Stage::sending: return "sending a request to";
    case Stage::reading: return "reading the response from";
  }
  return "talking to";
}

bool is_ip_address(const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

}  // namespace

std::optional<std::string_view> HttpResponse::header(std::string_view name) const noexcept {
  for (const auto& [key, value] : headers)
    if (beast::iequals(key, name)) return std::string_view(value);
  return std::nullopt;
}

struct Connection::Impl {
  Endpoint endpoint;
  std::shared_ptr<ssl::context> tls;
  Timeouts timeouts;
  std::string user_agent;
  asio::io_context ioc;
  std::unique_ptr<TlsStream> tls_stream;
  std::unique_ptr<beast::tcp_stream> plain_stream;
  beast::flat_buffer buffer;
  bool open = false;
  Stage stage = Stage::resolving;
  int opened = 0;

  std::string where() const { return endpoint.host + ":" + endpoint.port; }

  beast::tcp_stream& lowest() { return tls_stream ? beast::get_lowest_layer(*tls_stream) : *plain_stream; }

  // The time this step may take: its own limit, cut short by the caller's deadline.
  std::chrono::steady_clock::duration limit(std::chrono::milliseconds step, Deadline deadline) const {
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero())
      throw ExchangeError(ErrorKind::timeout,
                          std::string("the operation ran out of time before ") + describe(stage) + " " + where());
    return std::min<std::chrono::steady_clock::duration>(step, left);
  }

  asio::awaitable<void> connect(Deadline deadline) {
    stage = Stage::resolving;
    tcp::resolver resolver(ioc);
    // A resolver has no expiry of its own: a timer cancels it (the handler never touches it after).
    asio::steady_timer resolve_limit(ioc, limit(timeouts.connect, deadline));
    bool resolve_timed_out = false;
    resolve_limit.async_wait([&resolver, &resolve_timed_out](const boost::system::error_code& ec) {
      if (ec) return;
      resolve_timed_out = true;
      resolver.cancel();
    });
    auto [resolve_error, results] =
        co_await resolver.async_resolve(endpoint.host, endpoint.port, asio::as_tuple(use_awaitable));
    resolve_limit.cancel();
    if (resolve_timed_out) throw boost::system::system_error(beast::error::timeout);
    if (resolve_error) throw boost::system::system_error(resolve_error);
    stage = Stage::connecting;
    if (endpoint.tls)
      tls_stream = std::make_unique<TlsStream>(ioc, *tls);
    else
      plain_stream = std::make_unique<beast::tcp_stream>(ioc);
    lowest().expires_after(limit(timeouts.connect, deadline));
    co_await lowest().async_connect(results, use_awaitable);
    ++opened;
    // A Bundle goes out as several TLS records: without this, Nagle holds the last one back until
    // the server's delayed ACK (up to 40 ms a request on Linux).
    boost::system::error_code ignored;
    lowest().socket().set_option(asio::ip::tcp::no_delay(true), ignored);
    if (endpoint.tls) {
      SSL* ssl_handle = tls_stream->native_handle();
      X509_VERIFY_PARAM* param = SSL_get0_param(ssl_handle);
      if (is_ip_address(endpoint.host)) {
        X509_VERIFY_PARAM_set1_ip_asc(param, endpoint.host.c_str());  // SNI never carries an address
      } else {
        SSL_set_tlsext_host_name(ssl_handle, endpoint.host.c_str());
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        X509_VERIFY_PARAM_set1_host(param, endpoint.host.c_str(), 0);
      }
      stage = Stage::handshaking;
      lowest().expires_after(limit(timeouts.tls_handshake, deadline));
      co_await tls_stream->async_handshake(ssl::stream_base::client, use_awaitable);
    }
    buffer.clear();
    open = true;
  }

  asio::awaitable<HttpResponse> exchange(const HttpRequest& request, Deadline deadline) {
    if (!open) co_await connect(deadline);
    http::request<http::string_body> req;
    req.method_string(request.method);
    req.target(request.target);
    req.version(11);
    const bool default_port = endpoint.port == (endpoint.tls ? "443" : "80");
    const std::string host = endpoint.host.find(':') != std::string::npos ? "[" + endpoint.host + "]" : endpoint.host;
    req.set(http::field::host, default_port ? host : host + ":" + endpoint.port);
    req.set(http::field::user_agent, user_agent);
    for (const auto& [name, value] : request.headers) req.set(name, value);
    req.body() = request.body;
    req.keep_alive(true);
    req.prepare_payload();

    stage = Stage::sending;
    lowest().expires_after(limit(timeouts.request, deadline));
    if (tls_stream)
      co_await http::async_write(*tls_stream, req, use_awaitable);
    else
      co_await http::async_write(*plain_stream, req, use_awaitable);

    stage = Stage::reading;
    http::response_parser<http::string_body> parser;
    parser.body_limit(kBodyLimit);
    if (tls_stream)
      co_await http::async_read(*tls_stream, buffer, parser, use_awaitable);
    else
      co_await http::async_read(*plain_stream, buffer, parser, use_awaitable);
    lowest().expires_never();

    auto& res = parser.get();
    HttpResponse out;
    out.status = static_cast<int>(res.result_int());
    out.reason = std::string(res.reason());
    for (const auto& field : res) out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    out.body = std::move(res.body());
    if (!res.keep_alive()) drop();
    co_return out;
  }

  HttpResponse run(const HttpRequest& request, Deadline deadline) {
    std::exception_ptr failure;
    HttpResponse response;
    asio::co_spawn(ioc, exchange(request, deadline), [&](std::exception_ptr e, HttpResponse r) {
      failure = e;
      if (!e) response = std::move(r);
    });
    ioc.restart();
    ioc.run();
    if (failure) std::rethrow_exception(failure);
    return response;
  }

  // Turns Asio/Beast/OpenSSL codes into a kind the caller acts on and a sentence saying where.
  ExchangeError classify(const boost::system::error_code& ec) {
    const std::string at = std::string(describe(stage)) + " " + where();
    if (ec == beast::error::timeout || ec == asio::error::timed_out) return {ErrorKind::timeout, "timed out " + at};
    if (stage == Stage::resolving) return {ErrorKind::connect, "cannot resolve " + endpoint.host + ": " + ec.message()};
    if (stage == Stage::connecting) return {ErrorKind::connect, "cannot connect to " + where() + ": " + ec.message()};
    if (stage == Stage::handshaking && tls_stream) {
      const long verify = SSL_get_verify_result(tls_stream->native_handle());
      if (verify != X509_V_OK)
        return {ErrorKind::tls_verification, "the TLS certificate of " + where() +
                                                 " was refused: " + X509_verify_cert_error_string(verify)};
    }
    if (ec == ssl::error::stream_truncated || ec == http::error::end_of_stream || ec == http::error::partial_message ||
        ec == asio::error::eof || ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
        ec == asio::error::connection_aborted)
      return {ErrorKind::connection_lost, where() + " closed the connection while " + describe(stage) + " it"};
    if (ec.category() == asio::error::get_ssl_category())
      return {ErrorKind::tls, "TLS failure " + at + ": " + ec.message()};
    if (ec.category() == beast::http::make_error_code(http::error::body_limit).category())
      return {ErrorKind::protocol, "the response from " + where() + " is not valid HTTP: " + ec.message()};
    return {ErrorKind::connection_lost, "network failure " + at + ": " + ec.message()};
  }

  void drop() noexcept {
    if (tls_stream || plain_stream) {
      boost::system::error_code ignored;
      lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
      lowest().socket().close(ignored);
    }
    tls_stream.reset();
    plain_stream.reset();
    buffer.clear();
    open = false;
  }
};

Connection::Connection(Endpoint endpoint, std::shared_ptr<ssl::context> tls, Timeouts timeouts, std::string user_agent)
    : impl_(std::make_unique<Impl>()) {
  if (endpoint.tls && !tls) throw ExchangeError(ErrorKind::configuration, "an https connection needs a TLS context");
  impl_->endpoint = std::move(endpoint);
  impl_->tls = std::move(tls);
  impl_->timeouts = timeouts;
  impl_->user_agent = std::move(user_agent);
}

Connection::~Connection() { close(); }

HttpResponse Connection::send(const HttpRequest& request, Deadline deadline) {
  for (int round = 0;; ++round) {
    const bool reused = impl_->open;
    try {
      return impl_->run(request, deadline);
    } catch (const boost::system::system_error& e) {
      ExchangeError error = impl_->classify(e.code());
      impl_->drop();
      // An idle keep-alive connection the partner closed: one fresh connection, not a retry.
      if (reused && round == 0 && error.kind() == ErrorKind::connection_lost) continue;
      throw error;
    } catch (...) {
      impl_->drop();
      throw;
    }
  }
}

void Connection::close() noexcept { impl_->drop(); }
bool Connection::is_open() const noexcept { return impl_->open; }
const Endpoint& Connection::endpoint() const noexcept { return impl_->endpoint; }
int Connection::connections_opened() const noexcept { return impl_->opened; }

}  // namespace mfr::exchange
