// The sending side is never the bottleneck: transaction Bundles of 100 resources (1 Procedure +
// 99 Observations) pushed over one keep-alive TLS connection to a local HTTPS FHIR server that
// answers at once. Items are Observations; the rate is the client thread's CPU time.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "codec/export.hpp"
#include "exchange/client.hpp"
#include "test_pki.hpp"
#include "test_server.hpp"

using namespace mfr;

namespace {

constexpr int kFindingsPerBundle = 99;

std::vector<std::string> make_bundles(int count) {
  std::vector<std::string> bundles;
  for (int b = 0; b < count; ++b) {
    Session s;
    s.id = "S-bench-" + std::to_string(b);
    s.patient = "Patient/p-" + std::to_string(b % 50);
    s.start = *DateTime::parse("2019-03-04T10:30:00+01:00");
    for (int i = 0; i < kFindingsPerBundle; ++i) {
      Finding f;
      f.site = i % 2 ? Site::vertebra(static_cast<SpinalLevel>(i / 4 % kSpinalLevelCount), i % 4 < 2 ? Side::Left : Side::Right)
                     : Site::at_region(BodyRegion::Other, Side::Midline, "site " + std::to_string(i));
      f.restriction = static_cast<RestrictionGrade>(i % 4);
      f.pain_nrs = i % 11;
      f.released = ReleaseResponse::Partial;
      s.findings.push_back(std::move(f));
    }
    const std::vector<Session> one{s};
    bundles.push_back(codec::export_bundle(one, codec::BundleType::Transaction, {"https://clinic.example/fhir/sessions"}).dump());
  }
  return bundles;
}

void BM_PushTransactionBundles(benchmark::State& state) {
  test::TestServerOptions server_options;
  server_options.identity = test::test_pki().server;
  test::TestFhirServer server(server_options);
  server.start();
  exchange::ClientOptions options;
  options.base_url = server.base_url();
  options.tls.ca_pem = test::test_pki().ca_pem;
  exchange::Client client(options);
  const std::vector<std::string> bundles = make_bundles(64);
  std::size_t i = 0;
  for (auto _ : state) {
    const auto response = client.post_transaction(bundles[i++ % bundles.size()]);
    if (response.status != 200) state.SkipWithError("the server did not accept a transaction");
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * kFindingsPerBundle);
  state.counters["connections"] = static_cast<double>(client.connections_opened());
  server.stop();
}
BENCHMARK(BM_PushTransactionBundles)->Unit(benchmark::kMillisecond)->MinTime(3.0);

}  // namespace

BENCHMARK_MAIN();
