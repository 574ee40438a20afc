#include "hook_receiver.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace mfr::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using asio::use_awaitable;
using tcp = asio::ip::tcp;

struct HookReceiver::Impl {
  ssl::context ctx{ssl::context::tls_server};
  std::unique_ptr<asio::io_context> ioc;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::thread thread;
  std::uint16_t port = 0;
  mutable std::mutex mutex;
  mutable std::condition_variable arrived;
  std::vector<ReceivedPost> posts;
  int status = 200;

  asio::awaitable<void> accept_loop(tcp::acceptor& listener) {
    for (;;) {
      auto [ec, socket] = co_await listener.async_accept(asio::as_tuple(use_awaitable));
      if (ec) co_return;
      asio::co_spawn(listener.get_executor(), session(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> session(tcp::socket socket) {
    try {
      beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), ctx);
      beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(5));
      co_await stream.async_handshake(ssl::stream_base::server, use_awaitable);
      beast::flat_buffer buffer;
      for (;;) {
        http::request<http::string_body> req;
        beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
        co_await http::async_read(stream, buffer, req, use_awaitable);
        ReceivedPost post;
        post.target = std::string(req.target());
        for (const auto& field : req) {
          std::string name(field.name_string());
          std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
          post.headers.emplace_back(std::move(name), std::string(field.value()));
        }
        post.body = req.body();
        int answer;
        {
          std::lock_guard lock(mutex);
          answer = status;
          if (answer < 300) posts.push_back(std::move(post));
        }
        arrived.notify_all();
        http::response<http::string_body> res{static_cast<http::status>(answer), req.version()};
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        co_await http::async_write(stream, res, use_awaitable);
        if (!req.keep_alive()) break;
      }
    } catch (const std::exception&) {
      // The sender went away or refused our certificate.
    }
  }
};

HookReceiver::HookReceiver(CertifiedKey identity) : impl_(std::make_unique<Impl>()) {
  impl_->ctx.use_certificate_chain(asio::buffer(identity.certificate_pem));
  impl_->ctx.use_private_key(asio::buffer(identity.key_pem), ssl::context::pem);
  start();
}

HookReceiver::~HookReceiver() { stop(); }

void HookReceiver::start() {
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

void HookReceiver::stop() {
  if (!impl_->ioc) return;
  impl_->ioc->stop();
  impl_->thread.join();
  impl_->acceptor.reset();
  impl_->ioc.reset();
}

std::string HookReceiver::url() const { return "https://127.0.0.1:" + std::to_string(impl_->port) + "/hook"; }

void HookReceiver::answer_with(int status) {
  std::lock_guard lock(impl_->mutex);
  impl_->status = status;
}

std::vector<ReceivedPost> HookReceiver::received() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->posts;
}

std::vector<ReceivedPost> HookReceiver::wait_for(std::size_t count, std::chrono::milliseconds limit) const {
  std::unique_lock lock(impl_->mutex);
  impl_->arrived.wait_for(lock, limit, [&] { return impl_->posts.size() >= count; });
  return impl_->posts;
}

}  // namespace mfr::test
