#pragma once
// A small but real FHIR server for the exchange tests, on 127.0.0.1 over HTTPS (Beast):
//  - POST [base] takes a transaction Bundle and stores each entry, honouring
//    request.ifNoneExist (identifier=system|value), so tests can count records;
//  - GET [base]/[type]?patient=&code=&_count=&_offset= pages through what it holds, with next
//    links (code: a token, system|code or code, matched against code.coding);
//  - POST /auth/token is a SMART Backend Services token endpoint that checks the client
//    assertion's signature (RS384 or ES384) with the registered public key;
//  - faults on demand: error statuses with Retry-After, a response cut off mid-way, slow answers.
// Headers free of Beast, so each test file compiles fast.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "json/json.hpp"
#include "test_pki.hpp"

namespace mfr::test {

struct TestServerOptions {
  bool tls = true;
  CertifiedKey identity;        // the server's certificate and key
  std::string client_ca_pem;    // non-empty: a client certificate from this CA is required (mTLS)
  std::string base_path = "/fhir";
  // SMART: when a public key is set, FHIR requests need a token from /auth/token.
  std::string smart_public_key_pem;
  std::string smart_client_id = "clinic-lyon";
  std::chrono::milliseconds token_lifetime{60'000};  // how long the server honours a token
  long long advertised_expires_in = 300;            // what it tells the client (may be longer)
  std::uint16_t port = 0;                           // 0: any free port
};

class TestFhirServer {
 public:
  explicit TestFhirServer(TestServerOptions options);
  ~TestFhirServer();
  TestFhirServer(const TestFhirServer&) = delete;
  TestFhirServer& operator=(const TestFhirServer&) = delete;

  void start();  // listens; after stop(), on the same port again
  void stop();   // closes the listener and every connection; what it stored stays
  std::uint16_t port() const;
  std::string base_url() const;   // "https://127.0.0.1:<port>/fhir"
  std::string token_url() const;  // "https://127.0.0.1:<port>/auth/token"

  // Faults, each for the next `count` FHIR requests.
  void fail_next(int count, int status, std::string retry_after = {});
  void drop_next(int count);  // store the transaction, then cut the response off half-way
  // This share (0..1) of the transactions it stores lose their answer (cut off half-way),
  // chosen by a random sequence from `seed`, so a test sees the same ones each run.
  void drop_share(double share, unsigned seed = 1);
  // From now on every `n`th FHIR request (the 5th, 10th...: 20% for 5) is answered 429 with
  // this Retry-After (none when empty); 0 switches it off. rate_limited() counts those answers.
  void rate_limit_every(int n, std::string retry_after = {});
  int rate_limited() const;
  void delay_transactions(std::chrono::milliseconds delay);  // after storing, before answering
  // Adds `count` Observations for `patient_id` (search fixtures).
  void seed_observations(const std::string& patient_id, int count);
  // Stores a resource as it is, given an id if it has none (a partner's other records).
  void seed(const json::Value& resource);
  // Searches naming this parameter are answered 400, as a server that does not support it.
  void refuse_search_parameter(std::string name);
  // Transactions of more than `entries` entries are answered 413 (a cloud FHIR service's cap).
  void refuse_bundles_over(std::size_t entries);
  // Transaction bodies of more than `bytes` bytes are answered 413 too.
  void refuse_bundles_larger_than(std::size_t bytes);

  std::size_t stored(std::string_view type) const;            // records held of that type
  // How many records of that type hold each identifier ("system|value"): all 1 = each once.
  std::map<std::string, int> identifier_counts(std::string_view type) const;
  std::optional<json::Value> find(std::string_view type, std::string_view identifier) const;  // "system|value"
  int transactions_received() const;  // POSTs to the base, answered or not
  int requests_received() const;
  int tokens_issued() const;
  int rejected_tokens() const;        // 401s for a missing, unknown or expired token
  int assertions_refused() const;     // token requests whose JWT failed the check

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mfr::test
