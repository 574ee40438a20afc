#pragma once
// A partner's rest-hook endpoint for the Subscription tests: HTTPS (Beast) on 127.0.0.1 with a
// certificate made at test time, keeping each POST it receives (target, headers, body) and
// answering 200, or a chosen status. stop() takes it off the network; start() brings it back on
// the same port. Headers free of Beast, so the test files compile fast.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "../exchange/test_pki.hpp"

namespace mfr::test {

struct ReceivedPost {
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::string body;
  std::string header(const std::string& name) const {
    for (const auto& [k, v] : headers)
      if (k == name) return v;
    return {};
  }
};

class HookReceiver {
 public:
  explicit HookReceiver(CertifiedKey identity);
  ~HookReceiver();
  HookReceiver(const HookReceiver&) = delete;
  HookReceiver& operator=(const HookReceiver&) = delete;

  void start();
  void stop();
  std::string url() const;  // "https://127.0.0.1:<port>/hook"
  void answer_with(int status);
  std::vector<ReceivedPost> received() const;
  // Waits (at most `limit`) until `count` POSTs have come; returns what came.
  std::vector<ReceivedPost> wait_for(std::size_t count, std::chrono::milliseconds limit) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mfr::test
