// libFuzzer target: raw bytes -> Beast's HTTP/1.1 request parser (the server's limits) -> the
// FHIR service -> a reply. Checks that nothing crashes or leaks (under ASan) and that every
// error reply is an OperationOutcome. Built only with clang and -DMFR_SERVER_FUZZ=ON; see
// tests/server/CMakeLists.txt for how to run it.
#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>

#include <cstdint>
#include <cstdlib>
#include <memory>

#include "exchange/server/service.hpp"
#include "json/json.hpp"
#include "store/store.hpp"

namespace http = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mfr;
  static int runs = 0;
  static std::shared_ptr<store::Store> store;
  static std::unique_ptr<server::FhirService> service;
  if (!service || ++runs % 5000 == 0) {  // a fresh store now and then: AuditEvents pile up
    service.reset();
    store = std::make_shared<store::Store>(store::Store::open(""));
    server::ServiceConfig config;
    config.deliver_subscriptions = false;  // a fuzzed Subscription must not reach the network
    service = std::make_unique<server::FhirService>(config, store);
  }

  http::request_parser<http::string_body> parser;
  parser.eager(true);
  parser.header_limit(16 * 1024);
  parser.body_limit(1024 * 1024);
  boost::beast::error_code ec;
  std::size_t used = 0;
  while (used < size && !ec && !parser.is_done())
    used += parser.put(boost::asio::buffer(data + used, size - used), ec);
  if (!ec && !parser.is_done() && parser.got_some()) parser.put_eof(ec);  // put_eof asserts some input
  if (ec || !parser.is_done()) return 0;

  server::Request request;
  const auto& message = parser.get();
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  for (const auto& field : message) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    request.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  request.body = message.body();
  request.peer = "127.0.0.1";
  const bool anonymous = request.header("x-anonymous") == "1";
  const auto reply = service->handle(request, anonymous ? std::nullopt
                                                        : std::optional<server::Caller>(server::Caller{"fuzz", true, true}));
  if (reply.status < 200 || reply.status > 599) std::abort();
  if (reply.status >= 400) {
    const json::Value outcome = json::Value::parse(reply.body);  // throws (and the fuzzer reports) if not JSON
    if (outcome.string_at("resourceType") != std::optional<std::string_view>("OperationOutcome")) std::abort();
  }
  return 0;
}
