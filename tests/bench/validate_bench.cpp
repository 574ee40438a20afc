// Parse + validate throughput of the Observations we exchange (the import bar: 100,000/s per core).
// Run: cmake --preset release && cmake --build build/release --target validate_bench && build/release/tests/bench/validate_bench
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>

#include "json/json.hpp"
#include "validate/validate.hpp"

namespace {

std::string read_file(const std::string& name) {
  std::ifstream in(std::string(MFR_TEST_DATA) + "/validate/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The finding as one NDJSON line (compact), the form a bulk import reads.
const std::string& finding_line() {
  static const std::string line = mfr::json::Value::parse(read_file("mfr-finding.json")).dump();
  return line;
}

void parse_only(benchmark::State& state) {
  const std::string& text = finding_line();
  for (auto _ : state) benchmark::DoNotOptimize(mfr::json::Value::parse(text));
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(parse_only);

void validate_only(benchmark::State& state) {
  const auto resource = mfr::json::Value::parse(finding_line());
  const auto strictness = static_cast<mfr::validate::Strictness>(state.range(0));
  for (auto _ : state) {
    auto issues = mfr::validate::validate(resource, strictness);
    if (!issues.empty()) state.SkipWithError("the finding should be valid");
    benchmark::DoNotOptimize(issues);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(validate_only)->Arg(0)->Arg(1)->ArgNames({"lenient"});

void parse_and_validate(benchmark::State& state) {
  const std::string& text = finding_line();
  for (auto _ : state) {
    auto issues = mfr::validate::validate_text(text, mfr::validate::Strictness::Lenient);
    if (!issues.empty()) state.SkipWithError("the finding should be valid");
    benchmark::DoNotOptimize(issues);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(parse_and_validate);

// A transaction Bundle of 50 findings: entries, fullUrls, requests and bdl-7 included.
void parse_and_validate_bundle(benchmark::State& state) {
  const auto finding = mfr::json::Value::parse(finding_line());
  mfr::json::Value bundle = mfr::json::Value::object();
  bundle["resourceType"] = "Bundle";
  bundle["type"] = "transaction";
  for (int i = 0; i < 50; ++i) {
    mfr::json::Value entry = mfr::json::Value::object();
    char uuid[64];
    std::snprintf(uuid, sizeof uuid, "urn:uuid:1b4e28ba-2fa1-11d2-883f-%012d", i);
    entry["fullUrl"] = std::string(uuid);
    entry["resource"] = finding;
    entry["request"]["method"] = "POST";
    entry["request"]["url"] = "Observation";
    bundle["entry"].push_back(std::move(entry));
  }
  const std::string text = bundle.dump();
  for (auto _ : state) {
    auto issues = mfr::validate::validate_text(text, mfr::validate::Strictness::Lenient);
    if (!issues.empty()) state.SkipWithError("the bundle should be valid");
    benchmark::DoNotOptimize(issues);
  }
  state.SetItemsProcessed(state.iterations() * 50);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(parse_and_validate_bundle);

}  // namespace

BENCHMARK_MAIN();
