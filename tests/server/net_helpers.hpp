#pragma once
// Clients for the server tests, as blunt as a hostile or simple partner would be: a raw TCP
// socket (plain HTTP on 127.0.0.1) and the curl command line (HTTPS).
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace mfr::test {

struct RawResponse {
  int status = 0;      // 0 when nothing came back
  std::string head;    // status line and headers
  std::string body;
  bool closed = false; // the server closed the connection after answering
};

// Connects to 127.0.0.1:port; -1 on failure.
int connect_loopback(std::uint16_t port);
// Sends `request` as it is and reads one response (Content-Length bodies), within `limit`.
RawResponse raw_exchange(std::uint16_t port, const std::string& request,
                         std::chrono::milliseconds limit = std::chrono::milliseconds(5000));
// Reads one response from an open socket.
RawResponse read_response(int fd, std::chrono::milliseconds limit);
// True when the server closes `fd` (EOF or reset) within `limit`.
bool closed_within(int fd, std::chrono::milliseconds limit);

struct CurlResult {
  int status = 0;
  std::string body;
  std::string headers;
};
// Runs curl with `arguments` (already shell-quoted) and returns the HTTP status and body.
CurlResult curl(const std::string& arguments);
// Writes text to a fresh temporary file and returns its path.
std::string temp_file(const std::string& name, const std::string& text);

}  // namespace mfr::test
