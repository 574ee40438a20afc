// A separate process for the crash test: flushes an outbox file to a partner until it is
// killed. Usage: exchange_flush_helper <store.db> <base-url> <ca.pem>
#include <cstdio>
#include <exception>

#include "exchange/client.hpp"
#include "exchange/sender.hpp"
#include "store/store.hpp"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s <store.db> <base-url> <ca.pem>\n", argv[0]);
    return 2;
  }
  try {
    auto store = mfr::store::Store::open(argv[1]);
    mfr::store::OutboxPolicy policy;
    policy.lease = std::chrono::milliseconds(1000);  // a restart may reclaim after a second
    mfr::exchange::ClientOptions options;
    options.base_url = argv[2];
    options.tls.ca_file = argv[3];
    options.timeouts.operation = std::chrono::milliseconds(900);  // within the lease
    mfr::exchange::Client client(options);
    mfr::exchange::OutboxSender sender(store.outbox(policy), client, "partner-bordeaux");
    const auto report = sender.flush();
    return report.stopped_early ? 1 : 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "flush helper: %s\n", e.what());
    return 1;
  }
}
