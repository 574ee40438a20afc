#pragma once
// One HTTP request and its response as plain data, so only connection.cpp needs Beast.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mfr::exchange {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;  // "GET", "POST"
  std::string target;  // origin-form: "/fhir/Observation?patient=123&_count=100"
  Headers headers;     // besides Host, User-Agent and Content-Length, which the connection sets
  std::string body;
};

struct HttpResponse {
  int status = 0;
  std::string reason;
  Headers headers;
  std::string body;

  // The first header of that name (case-insensitive), or nullopt.
  std::optional<std::string_view> header(std::string_view name) const noexcept;
};

}  // namespace mfr::exchange
