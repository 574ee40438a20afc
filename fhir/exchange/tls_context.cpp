#include "exchange/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>

#include "exchange/errors.hpp"

namespace mfr::exchange {
namespace ssl = boost::asio::ssl;

namespace {

template <class F>
void load(const char* what, F&& step) {
  boost::system::error_code ec;
  step(ec);
  if (ec) throw ExchangeError(ErrorKind::configuration, std::string("cannot load the ") + what + ": " + ec.message());
}

}  // namespace

std::shared_ptr<ssl::context> make_tls_context(const TlsOptions& options) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                   ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::no_compression);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  ctx->set_verify_mode(ssl::verify_peer);

  if (!options.ca_file.empty()) load("CA file", [&](auto& ec) { ctx->load_verify_file(options.ca_file, ec); });
  if (!options.ca_pem.empty())
    load("CA certificate", [&](auto& ec) { ctx->add_certificate_authority(boost::asio::buffer(options.ca_pem), ec); });
  if (options.ca_file.empty() && options.ca_pem.empty())
    load("system trust store", [&](auto& ec) { ctx->set_default_verify_paths(ec); });

  if (!options.client_certificate_file.empty())
    load("client certificate file", [&](auto& ec) { ctx->use_certificate_chain_file(options.client_certificate_file, ec); });
  if (!options.client_certificate_pem.empty())
    load("client certificate", [&](auto& ec) {
      ctx->use_certificate_chain(boost::asio::buffer(options.client_certificate_pem), ec);
    });
  if (!options.client_key_file.empty())
    load("client key file", [&](auto& ec) { ctx->use_private_key_file(options.client_key_file, ssl::context::pem, ec); });
  if (!options.client_key_pem.empty())
    load("client key", [&](auto& ec) {
      ctx->use_private_key(boost::asio::buffer(options.client_key_pem), ssl::context::pem, ec);
    });
  const bool has_cert = !options.client_certificate_file.empty() || !options.client_certificate_pem.empty();
  const bool has_key = !options.client_key_file.empty() || !options.client_key_pem.empty();
  if (has_cert != has_key)
    throw ExchangeError(ErrorKind::configuration, "a client certificate needs both the certificate and its key");
  if (has_cert && SSL_CTX_check_private_key(ctx->native_handle()) != 1) {
    ERR_clear_error();
    throw ExchangeError(ErrorKind::configuration, "the client key does not match the client certificate");
  }
  return ctx;
}

}  // namespace mfr::exchange
