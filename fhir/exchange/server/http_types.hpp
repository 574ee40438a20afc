#pragma once
// One HTTP request and its reply as the FHIR service sees them: plain strings, free of Beast, so
// the FHIR logic compiles fast and can be driven directly by tests and the fuzzer.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mfr::server {

struct Request {
  std::string method;  // "GET"
  std::string target;  // "/fhir/Observation?patient=Patient/1", as received
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::string body;
  std::string peer;  // the client's IP address, for the audit trail

  // The first header of that (lower-case) name, or "" when absent.
  std::string_view header(std::string_view name) const noexcept {
    for (const auto& [key, value] : headers)
      if (key == name) return value;
    return {};
  }
};

struct Reply {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string body_file;  // non-empty: the body is this file, streamed from disk (`body` stays empty)
  bool close = false;  // the connection must close after this reply (request body left unread)
};

// Who is calling, from its bearer token.
struct Caller {
  std::string client_id;  // the token's name: the agent in AuditEvents and logs
  bool can_read = false;
  bool can_write = false;
};

}  // namespace mfr::server
