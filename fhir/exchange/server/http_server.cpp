// The only file of the server that includes Beast (it compiles slowly): connections, TLS, limits.
#include "exchange/server/http_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "exchange/server/rate_limiter.hpp"
#include "exchange/server/reply.hpp"

namespace mfr::server {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Steady = std::chrono::steady_clock;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

ServiceConfig service_config(const ServerOptions& options) {
  ServiceConfig config;
  config.base_path = options.base_path;
  config.public_base_url = options.public_base_url;
  config.tls = !options.allow_plain_http;
  config.on_received = options.on_received;
  config.export_directory = options.export_directory;
  config.export_max_running = options.export_max_running;
  config.export_keep = options.export_keep;
  config.allow_http_subscribers = options.allow_http_subscribers;
  config.subscription_delivery.subscriber_ca_file = options.subscriber_ca_file;
  return config;
}

void check_options(const ServerOptions& options) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(options.bind_address, ec);
  if (ec) throw std::invalid_argument("bind address '" + options.bind_address + "' is not an IP address");
  if (options.allow_plain_http && !address.is_loopback())
    throw std::invalid_argument("plain HTTP is only served on a loopback address, not on " + options.bind_address);
  const bool has_certificate = !options.certificate_file.empty() || !options.certificate_pem.empty();
  const bool has_key = !options.private_key_file.empty() || !options.private_key_pem.empty();
  if (!options.allow_plain_http && (!has_certificate || !has_key))
    throw std::invalid_argument("the server needs a TLS certificate and its private key (or plain HTTP on loopback)");
  if (options.threads < 1 || options.threads > 64) throw std::invalid_argument("the server needs 1 to 64 threads");
  if (options.tokens.empty()) throw std::invalid_argument("the server needs at least one bearer token for its partners");
}

}  // namespace

struct HttpServer::Impl {
  ServerOptions options;
  std::shared_ptr<store::Store> store;
  FhirService service;
  Authorizer authorizer;
  RateLimiter limiter;
  ssl::context tls{ssl::context::tls_server};
  bool use_tls = true;

  std::mutex lifecycle;
  std::unique_ptr<asio::io_context> ioc;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::vector<std::thread> threads;
  std::atomic<int> in_flight{0};
  std::atomic<int> connections{0};
  std::atomic<std::uint16_t> bound_port{0};

  Impl(ServerOptions o, std::shared_ptr<store::Store> s)
      : options(std::move(o)),
        store(std::move(s)),
        service(service_config(options), store),
        authorizer(options.tokens),
        limiter(options.requests_per_second, options.burst) {
    use_tls = !options.allow_plain_http;
    if (use_tls) load_tls();
  }

  // Each piece loaded on its own, so the error names the one at fault.
  void load_tls() {
    const auto where = [](const std::string& file) { return file.empty() ? std::string("(given as text)") : file; };
    auto step = [](const std::string& what, auto&& load) {
      try {
        load();
      } catch (const boost::system::system_error& e) {
        throw TlsSetupError(what + ": " + e.code().message());
      }
    };
    step("the TLS options could not be set", [&] {
      tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                      ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    });
    step("the server certificate " + where(options.certificate_file) + " could not be loaded", [&] {
      if (!options.certificate_pem.empty()) tls.use_certificate_chain(asio::buffer(options.certificate_pem));
      else tls.use_certificate_chain_file(options.certificate_file);
    });
    step("the private key " + where(options.private_key_file) + " could not be loaded or does not match the certificate " +
             where(options.certificate_file),
         [&] {
           if (!options.private_key_pem.empty())
             tls.use_private_key(asio::buffer(options.private_key_pem), ssl::context::pem);
           else tls.use_private_key_file(options.private_key_file, ssl::context::pem);
         });
    if (!options.client_ca_pem.empty() || !options.client_ca_file.empty()) {
      step("the client CA " + where(options.client_ca_file) + " could not be loaded", [&] {
        if (!options.client_ca_pem.empty()) tls.add_certificate_authority(asio::buffer(options.client_ca_pem));
        else tls.load_verify_file(options.client_ca_file);
        tls.set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
      });
    }
  }

  void log(const Request& request, int status, Steady::time_point started, const std::optional<Caller>& caller) {
    if (!options.on_log) return;
    // The path without its query: queries carry identifiers and patient references.
    const std::string path = request.target.substr(0, request.target.find('?'));
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - started).count();
    try {
      options.on_log(request.method + " " + path + " " + std::to_string(status) + " " + std::to_string(ms) + "ms " +
                     (caller ? caller->client_id : std::string("-")));
    } catch (...) {
    }
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor->async_accept(asio::make_strand(*ioc), kTuple);
      if (ec) {
        if (!acceptor->is_open() || ec == asio::error::operation_aborted) co_return;
        continue;  // a connection reset before we took it, or out of descriptors for a moment
      }
      if (connections >= options.max_connections) {  // descriptors are finite: refuse rather than fall over
        boost::system::error_code ignored;
        socket.close(ignored);
        continue;
      }
      ++connections;
      // A reply goes out as several TLS records; with Nagle's algorithm on, the last small segment
      // waits for the ACK of the one before, which the client delays (up to 40 ms on Linux).
      boost::system::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      auto executor = socket.get_executor();
      asio::co_spawn(executor, connection(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> connection(tcp::socket socket) {
    struct Count {
      std::atomic<int>& open;
      ~Count() { --open; }
    } count{connections};
    try {
      boost::system::error_code ec;
      const auto remote = socket.remote_endpoint(ec);
      const std::string peer = ec ? std::string() : remote.address().to_string();
      if (use_tls) {
        beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), tls);
        beast::get_lowest_layer(stream).expires_after(options.header_timeout);
        auto [handshake_ec] = co_await stream.async_handshake(ssl::stream_base::server, kTuple);
        if (handshake_ec) co_return;
        if (co_await serve(stream, peer)) {
          beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(1));
          co_await stream.async_shutdown(kTuple);
        }
      } else {
        beast::tcp_stream stream(std::move(socket));
        if (co_await serve(stream, peer)) {
          stream.socket().shutdown(tcp::socket::shutdown_send, ec);
          // Lingering close: swallow what the client still sends (a body we refused unread) for a
          // moment, so closing does not reset the connection before it has read our answer.
          stream.expires_after(std::chrono::seconds(1));
          char sink[4096];
          for (std::size_t drained = 0; drained < (1u << 20);) {
            auto [read_ec, n] = co_await stream.async_read_some(asio::buffer(sink), kTuple);
            if (read_ec) break;
            drained += n;
          }
        }
      }
    } catch (const std::exception&) {
      // Out of memory or a broken stream: this connection ends, the server goes on.
    }
  }

  static constexpr std::size_t kOneRecord = 16 * 1024;  // a TLS record's most plaintext

  // Every reply goes out through here: the head (head_of) and the body in one buffer, or for an
  // $export file the head, then the file piece by piece. Beast only reads requests.
  template <class Stream>
  asio::awaitable<bool> write(Stream& stream, Reply reply, bool keep_alive) {
    if (!one_line_headers(reply)) {  // the head would carry the line break as it is
      reply = error_reply(500, "exception", "the reply was not sent: one of its headers held a line break");
    }
    if (!reply.body_file.empty()) co_return co_await write_file(stream, std::move(reply), keep_alive);
    beast::get_lowest_layer(stream).expires_after(options.body_timeout);
    if (reply.body.size() > kOneRecord) {
      // A large body (a searchset of 100) goes out from where it is: appending it to the head cost
      // a second buffer of its size (fresh pages from mmap) and a copy, to save one small TLS
      // record. Two writes: one write of both buffers ends after the head on Beast's ssl_stream
      // (its flat_stream, Boost 1.81), reporting success.
      const std::string head = head_of(reply, keep_alive, reply.body.size(), 0);
      auto [head_ec, head_written] = co_await asio::async_write(stream, asio::buffer(head), kTuple);
      if (head_ec) co_return false;
      auto [ec, written] = co_await asio::async_write(stream, asio::buffer(reply.body), kTuple);
      co_return !ec && written == reply.body.size();
    }
    std::string message = head_of(reply, keep_alive, reply.body.size(), reply.body.size());
    message += reply.body;
    auto [ec, written] = co_await asio::async_write(stream, asio::buffer(message), kTuple);
    co_return !ec;
  }

  // A header holding CR, LF or NUL would end the head early and let what follows it in (response
  // splitting). Our headers come from validated ids and configuration; a reply with such a header
  // is not sent at all.
  static bool one_line_headers(const Reply& reply) {
    auto one_line = [](std::string_view text) {
      return text.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
    };
    for (const auto& [name, value] : reply.headers) {
      if (!one_line(name) || !one_line(value)) return false;
    }
    return true;
  }

  // The status line and headers, serialised by hand into a buffer with room for `reserve` bytes of
  // body after them: Beast's serializer walks a chain of buffers and copies them into one for TLS,
  // ~14,000 instructions of the ~55,000 a read costs its thread. A status without a body (1xx,
  // 204, 304) gets no Content-Length.
  static std::string head_of(const Reply& reply, bool keep_alive, std::uint64_t content_length, std::size_t reserve) {
    const int status = reply.status;
    std::size_t size = 160 + reserve;
    for (const auto& [name, value] : reply.headers) size += name.size() + value.size() + 4;
    std::string out;
    out.reserve(size);
    out += "HTTP/1.1 ";
    out += std::to_string(status);
    out += ' ';
    out += http::obsolete_reason(static_cast<http::status>(status));
    out += "\r\nServer: mfr-fhir\r\nDate: ";
    out += http_date_now();
    out += "\r\n";
    for (const auto& [name, value] : reply.headers) {
      out += name;
      out += ": ";
      out += value;
      out += "\r\n";
    }
    if (!keep_alive) out += "Connection: close\r\n";
    if (!(status < 200 || status == 204 || status == 304)) {
      out += "Content-Length: ";
      out += std::to_string(content_length);
      out += "\r\n";
    }
    out += "\r\n";
    return out;
  }

  // A reply whose body is a file (an $export NDJSON file): read from disk piece by piece as it is
  // sent, never whole into memory.
  template <class Stream>
  asio::awaitable<bool> write_file(Stream& stream, Reply reply, bool keep_alive) {
    beast::file file;
    beast::error_code ec;
    file.open(reply.body_file.c_str(), beast::file_mode::scan, ec);
    const std::uint64_t size = ec ? 0 : file.size(ec);
    if (ec) {  // removed in between (cancelled, expired)
      co_return co_await write(stream, error_reply(404, "not-found", "the export file is gone"), keep_alive);
    }
    std::string piece = head_of(reply, keep_alive, size, 0);
    std::vector<char> buffer(64 * 1024);
    for (std::uint64_t left = size;;) {
      beast::get_lowest_layer(stream).expires_after(options.body_timeout);
      auto [write_ec, written] = co_await asio::async_write(stream, asio::buffer(piece), kTuple);
      if (write_ec) co_return false;
      if (left == 0) co_return true;
      const std::size_t n = file.read(buffer.data(), static_cast<std::size_t>(std::min<std::uint64_t>(left, buffer.size())), ec);
      if (ec || n == 0) co_return false;  // shorter than it said: the client sees the connection end
      piece.assign(buffer.data(), n);
      left -= n;
    }
  }

  // Answers requests on one connection until it closes; true when it ended cleanly (our reply said
  // close, or the client closed between requests), false on a timeout or broken stream.
  template <class Stream>
  asio::awaitable<bool> serve(Stream& stream, const std::string& peer) {
    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
      parser.body_limit(options.body_limit);
      // One deadline for the whole header: a client trickling bytes (slow-loris) does not reset it.
      beast::get_lowest_layer(stream).expires_after(options.header_timeout);
      auto [ec, read] = co_await http::async_read_header(stream, buffer, parser, kTuple);
      if (ec == http::error::end_of_stream) co_return true;
      if (ec) co_return co_await refuse(stream, ec);

      const auto started = Steady::now();
      Request request;
      const auto& header = parser.get();
      request.method = std::string(header.method_string());
      request.target = std::string(header.target());
      for (const auto& field : header) request.headers.emplace_back(lower(field.name_string()), std::string(field.value()));
      request.peer = peer;
      const std::optional<Caller> caller = authorizer.check(request.header("authorization"));

      Reply reply;
      bool answered = false;
      if (!limiter.allow(peer)) {
        reply = error_reply(429, "throttled", "too many requests from this address; try again in a second");
        reply.headers.emplace_back("Retry-After", "1");
        answered = true;
      } else if (!caller && !service.is_public(request)) {
        reply = service.handle(request, caller);  // 401, audited; the body is never read
        answered = true;
      }
      if (answered) {
        reply.close = !parser.is_done();
      } else {
        if (!parser.is_done()) {
          if (beast::iequals(header[http::field::expect], "100-continue")) {
            static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
            beast::get_lowest_layer(stream).expires_after(options.body_timeout);
            auto [cec, cn] = co_await asio::async_write(stream, asio::buffer(kContinue), kTuple);
            if (cec) co_return false;
          }
          beast::get_lowest_layer(stream).expires_after(options.body_timeout);
          auto [body_ec, body_read] = co_await http::async_read(stream, buffer, parser, kTuple);
          if (body_ec) co_return co_await refuse(stream, body_ec);
        }
        request.body = std::move(parser.get().body());
        ++in_flight;
        reply = service.handle(request, caller);
        --in_flight;
      }
      const int status = reply.status;
      const bool keep_alive = parser.get().keep_alive() && !reply.close;
      log(request, status, started, caller);
      if (!co_await write(stream, std::move(reply), keep_alive)) co_return false;
      if (!keep_alive) co_return true;
    }
  }

  // A request that could not be read: an HTTP-level fault gets its status, then the connection closes.
  template <class Stream>
  asio::awaitable<bool> refuse(Stream& stream, const boost::system::error_code& ec) {
    if (ec.category() != http::make_error_code(http::error::bad_target).category() ||
        ec == http::error::partial_message)
      co_return false;  // timeout, reset, TLS failure: nobody to answer
    Reply reply = ec == http::error::body_limit
                      ? error_reply(413, "too-costly", "the request body is larger than this server accepts (" +
                                                           std::to_string(options.body_limit) + " bytes)")
                  : ec == http::error::header_limit
                      ? error_reply(431, "too-costly", "the request headers are larger than this server accepts")
                      : error_reply(400, "structure", "the request is not well-formed HTTP/1.1: " + ec.message());
    if (options.on_log) options.on_log("- - " + std::to_string(reply.status) + " (" + ec.message() + ")");
    co_await write(stream, std::move(reply), false);
    co_return true;
  }
};

HttpServer::HttpServer(ServerOptions options, std::shared_ptr<store::Store> store) {
  check_options(options);
  if (!store) throw std::invalid_argument("the server needs a store");
  impl_ = std::make_unique<Impl>(std::move(options), std::move(store));
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::start() {
  std::lock_guard lock(impl_->lifecycle);
  Impl& s = *impl_;
  if (s.ioc) return;
  s.ioc = std::make_unique<asio::io_context>(s.options.threads);
  try {
    s.acceptor = std::make_unique<tcp::acceptor>(asio::make_strand(*s.ioc));
    const tcp::endpoint endpoint(asio::ip::make_address(s.options.bind_address), s.options.port);
    s.acceptor->open(endpoint.protocol());
    s.acceptor->set_option(asio::socket_base::reuse_address(true));
    s.acceptor->bind(endpoint);
    s.acceptor->listen();
    s.bound_port = s.acceptor->local_endpoint().port();
  } catch (const boost::system::system_error& e) {
    s.acceptor.reset();
    s.ioc.reset();
    throw BindError("the server cannot listen on " + s.options.bind_address + " port " +
                             std::to_string(s.options.port) + ": " + e.code().message());
  }
  asio::co_spawn(s.acceptor->get_executor(), s.accept_loop(), asio::detached);
  for (int i = 0; i < s.options.threads; ++i) s.threads.emplace_back([&s] { s.ioc->run(); });
}

void HttpServer::stop(std::chrono::milliseconds grace) {
  std::lock_guard lock(impl_->lifecycle);
  Impl& s = *impl_;
  if (!s.ioc) return;
  asio::post(s.acceptor->get_executor(), [&s] {
    boost::system::error_code ignored;
    s.acceptor->close(ignored);
  });
  const auto deadline = Steady::now() + grace;
  while (s.in_flight > 0 && Steady::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  s.ioc->stop();
  for (std::thread& t : s.threads) t.join();
  s.service.stop_exports();
  s.service.flush_audit();
  s.threads.clear();
  s.acceptor.reset();
  s.ioc.reset();  // destroys the suspended connections, which closes their sockets
}

std::uint16_t HttpServer::port() const noexcept { return impl_->bound_port; }

std::string HttpServer::base_url() const {
  if (!impl_->options.public_base_url.empty()) return impl_->options.public_base_url;
  std::string host = impl_->options.bind_address;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return std::string(impl_->use_tls ? "https://" : "http://") + host + ":" + std::to_string(port()) +
         impl_->options.base_path;
}

}  // namespace mfr::server
