// The HTTPS FHIR test server of tests/exchange as a process, for the host's end-to-end test.
// Usage: exchange_test_server DIR — writes DIR/ca.pem (the CA to trust), prints "port N", then
// answers one line per command read on stdin:
//   stored TYPE   -> the number of TYPE records held
//   transactions  -> transaction POSTs received
//   stop | start  -> the partner goes down / comes back on the same port
//   fail N STATUS [RETRY_AFTER] -> the next N FHIR requests get STATUS (with that Retry-After)
//   delay MS      -> transactions are stored at once and answered MS milliseconds later
// and exits at end of input.
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
    } else {
      std::cout << "unknown command" << std::endl;
    }
  }
  return 0;
}
