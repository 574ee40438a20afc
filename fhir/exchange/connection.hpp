#pragma once
// One keep-alive HTTP/1.1 connection to one origin, over TLS (SNI and host-name verification
// always) or, when the clinic asked for it, plain TCP. Each step runs under its own time limit
// and the caller's overall deadline. Synchronous from the caller's side: it owns a private
// io_context and runs it for each request. Not thread-safe: one request at a time.
#include <chrono>
#include <memory>
#include <string>

#include "exchange/config.hpp"
#include "exchange/http_message.hpp"
#include "exchange/url.hpp"

namespace boost::asio::ssl {
class context;
}

namespace mfr::exchange {

using Deadline = std::chrono::steady_clock::time_point;

class Connection {
 public:
  // `tls` is required for an https endpoint and ignored for http.
  Connection(Endpoint endpoint, std::shared_ptr<boost::asio::ssl::context> tls, Timeouts timeouts,
             std::string user_agent);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Sends the request and reads the whole response, connecting first when needed. A kept-alive
  // connection the partner closed meanwhile is replaced once, silently. Throws ExchangeError.
  HttpResponse send(const HttpRequest& request, Deadline deadline);
  void close() noexcept;
  bool is_open() const noexcept;
  const Endpoint& endpoint() const noexcept;
  // How many TCP connections this object has opened (keep-alive shows as 1 for many requests).
  int connections_opened() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mfr::exchange
