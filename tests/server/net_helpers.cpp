#include "net_helpers.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace mfr::test {

int connect_loopback(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

RawResponse read_response(int fd, std::chrono::milliseconds limit) {
  RawResponse response;
  std::string data;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  std::size_t header_end = std::string::npos;
  std::size_t wanted = std::string::npos;
  for (;;) {
    if (header_end == std::string::npos && (header_end = data.find("\r\n\r\n")) != std::string::npos) {
      response.head = data.substr(0, header_end);
      response.status = std::atoi(response.head.c_str() + 9);
      const auto length = response.head.find("Content-Length: ");
      wanted = header_end + 4 + (length == std::string::npos ? 0 : std::strtoul(response.head.c_str() + length + 16, nullptr, 10));
    }
    if (wanted != std::string::npos && data.size() >= wanted) break;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    char buffer[16384];
    const auto n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) {
      response.closed = true;
      break;
    }
    data.append(buffer, static_cast<std::size_t>(n));
  }
  if (wanted != std::string::npos && data.size() >= wanted) response.body = data.substr(header_end + 4, wanted - header_end - 4);
  if (!response.closed && response.status != 0) response.closed = closed_within(fd, std::chrono::milliseconds(300));
  return response;
}

bool closed_within(int fd, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char buffer[4096];
    const auto n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) return true;
  }
}

RawResponse raw_exchange(std::uint16_t port, const std::string& request, std::chrono::milliseconds limit) {
  const int fd = connect_loopback(port);
  if (fd < 0) return {};
  ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  RawResponse response = read_response(fd, limit);
  ::close(fd);
  return response;
}

std::string temp_file(const std::string& name, const std::string& text) {
  char pattern[] = "/tmp/mfr-server-test-XXXXXX";
  const char* dir = ::mkdtemp(pattern);
  const std::string path = std::string(dir ? dir : "/tmp") + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

CurlResult curl(const std::string& arguments) {
  const std::string body_path = temp_file("body", "");
  const std::string head_path = body_path.substr(0, body_path.rfind('/')) + "/head";
  const std::string command = "curl -s --max-time 10 -o '" + body_path + "' -D '" + head_path +
                              "' -w '%{http_code}' " + arguments + " 2>/dev/null";
  CurlResult result;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char code[16] = {};
    if (std::fgets(code, sizeof code, pipe)) result.status = std::atoi(code);
    ::pclose(pipe);
  }
  std::stringstream body, head;
  body << std::ifstream(body_path).rdbuf();
  head << std::ifstream(head_path).rdbuf();
  result.body = body.str();
  result.headers = head.str();
  return result;
}

}  // namespace mfr::test
