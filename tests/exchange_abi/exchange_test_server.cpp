// The HTTPS FHIR test server of tests/exchange as a process, for the host's end-to-end test.
// Usage: exchange_test_server DIR — writes DIR/ca.pem (the CA to trust), prints "port N", then
// answers one line per command read on stdin:
//   stored TYPE   -> the number of TYPE records held
//   transactions  -> transaction POSTs received
//   stop | start  -> the partner goes down / comes back on the same port
//   fail N STATUS [RETRY_AFTER] -> the next N FHIR requests get STATUS (with that Retry-After)
//   delay MS      -> transactions are stored at once and answered MS milliseconds later
//   max-entries N -> transactions of more than N entries are answered 413
//   max-bytes N   -> transactions of more than N bytes are answered 413
//   every-429 N [RETRY_AFTER] -> from now on every Nth FHIR request is answered 429 (0: off)
//   rate-limited  -> how many requests were answered 429 by every-429 so far
//   drop-share PERCENT SEED -> that share of stored transactions lose their answer (seeded)
//   once TYPE     -> "RECORDS IDENTIFIERS MOST": TYPE records held, distinct identifiers among
//                    them, and the most records holding one identifier (1: each once)
// and exits at end of input.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "test_clients.hpp"
#include "test_pki.hpp"
#include "test_server.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " DIR\n";
    return 2;
  }
  std::ofstream(std::string(argv[1]) + "/ca.pem") << mfr::test::test_pki().ca_pem;
  mfr::test::TestFhirServer server(mfr::test::https_server());
  std::cout << "port " << server.port() << std::endl;
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream words(line);
    std::string command;
    words >> command;
    if (command == "stored") {
      std::string type;
      words >> type;
      std::cout << server.stored(type) << std::endl;
    } else if (command == "transactions") {
      std::cout << server.transactions_received() << std::endl;
    } else if (command == "stop") {
      server.stop();
      std::cout << "stopped" << std::endl;
    } else if (command == "start") {
      server.start();
      std::cout << "started" << std::endl;
    } else if (command == "fail") {
      int count = 0, status = 0;
      std::string retry_after;
      words >> count >> status;
      std::getline(words >> std::ws, retry_after);  // an HTTP-date has spaces
      server.fail_next(count, status, retry_after);
      std::cout << "ok" << std::endl;
    } else if (command == "delay") {
      long long ms = 0;
      words >> ms;
      server.delay_transactions(std::chrono::milliseconds(ms));
      std::cout << "ok" << std::endl;
    } else if (command == "max-entries") {
      std::size_t n = 0;
      words >> n;
      server.refuse_bundles_over(n);
      std::cout << "ok" << std::endl;
    } else if (command == "max-bytes") {
      std::size_t n = 0;
      words >> n;
      server.refuse_bundles_larger_than(n);
      std::cout << "ok" << std::endl;
    } else if (command == "every-429") {
      int n = 0;
      std::string retry_after;
      words >> n;
      std::getline(words >> std::ws, retry_after);
      server.rate_limit_every(n, retry_after);
      std::cout << "ok" << std::endl;
    } else if (command == "rate-limited") {
      std::cout << server.rate_limited() << std::endl;
    } else if (command == "drop-share") {
      double percent = 0;
      unsigned seed = 1;
      words >> percent >> seed;
      server.drop_share(percent / 100.0, seed);
      std::cout << "ok" << std::endl;
    } else if (command == "once") {
      std::string type;
      words >> type;
      const auto counts = server.identifier_counts(type);
      int most = 0;
      for (const auto& entry : counts) most = std::max(most, entry.second);
      std::cout << server.stored(type) << " " << counts.size() << " " << most << std::endl;
    } else {
      std::cout << "unknown command" << std::endl;
    }
  }
  return 0;
}
