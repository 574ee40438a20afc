#pragma once
// The clinic's FHIR R4 endpoint: HTTPS (TLS 1.2+, optional client certificates) on Beast with a
// small thread pool and HTTP/1.1 keep-alive, bearer-token authorisation, and limits that keep a
// hostile or broken client from hurting the others: header size (431), body size (413), requests
// per second per address (429), and a deadline for each request's headers (slow clients are
// closed). Plain HTTP only when asked for, and only on a loopback address.
// Headers free of Beast, so callers compile fast.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "exchange/server/auth.hpp"
#include "exchange/server/service.hpp"
#include "store/store.hpp"

namespace mfr::server {

struct ServerOptions {
  std::string bind_address = "127.0.0.1";
  std::uint16_t port = 0;  // 0: any free port, see HttpServer::port()
  // The server's certificate chain and key (PEM), from files or text. Required unless plain HTTP.
  std::string certificate_file, private_key_file;
  std::string certificate_pem, private_key_pem;
  // Non-empty: clients must present a certificate issued by this CA (mTLS).
  std::string client_ca_file, client_ca_pem;
  bool allow_plain_http = false;  // serve http:// instead of https:// (loopback addresses only)
  std::vector<TokenGrant> tokens;
  std::string base_path = "/fhir";
  std::string public_base_url;  // see ServiceConfig
  int threads = 2;
  std::size_t header_limit = 16 * 1024;
  std::size_t body_limit = 16 * 1024 * 1024;
  std::chrono::milliseconds header_timeout{10'000};  // TLS handshake, and each request's headers
  std::chrono::milliseconds body_timeout{60'000};    // each request's body
  double requests_per_second = 50;                   // per client address; <= 0: no limit
  int max_connections = 256;                         // open at once; more are closed on accept
  double burst = 100;
  // Bulk $export: the folder for job files (empty: a fresh folder in the temp directory), jobs
  // running at once, how long finished jobs' files are kept. See ServiceConfig.
  std::string export_directory;
  int export_max_running = 2;
  std::chrono::seconds export_keep{3600};
  // Subscriptions (experimental): the CA file endpoints' certificates are verified against
  // (empty: the system trust store), and whether http:// endpoints on loopback are taken.
  std::string subscriber_ca_file;
  bool allow_http_subscribers = false;
  // Called for each resource stored from a partner (see ServiceConfig::on_received).
  std::function<void(const store::StoredResource&)> on_received;
  // One line per request: method, path without query, status, milliseconds, client. No patient data.
  std::function<void(std::string_view line)> on_log;
};

// The certificate, key or client CA cannot be loaded (unreadable, not PEM, key not matching).
struct TlsSetupError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// The address and port cannot be bound (in use, not an address of this machine, no permission).
struct BindError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class HttpServer {
 public:
  // Checks the options and loads the TLS material; throws std::invalid_argument (bad options) or
  // TlsSetupError. Does not listen yet.
  HttpServer(ServerOptions options, std::shared_ptr<store::Store> store);
  ~HttpServer();  // stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts the threads; throws BindError when the address cannot be bound.
  void start();
  // Stops accepting, lets requests being answered finish (up to `grace`), closes every connection
  // and joins the threads; cancels $export jobs and removes their files. Safe to call twice.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(2000));
  std::uint16_t port() const noexcept;
  std::string base_url() const;  // "https://127.0.0.1:<port>/fhir" (or the public base URL)

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mfr::server
