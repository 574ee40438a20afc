// Codec throughput per Observation: sessions -> NDJSON (export) and NDJSON -> sessions
// (import), both validating every resource, plus the JSON parser alone. The bar (issue
// "Foundation"): 100,000 Observations/s per core for import and for export, Release build.
// Run: cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release &&
//      cmake --build build/bench --target codec_bench && build/bench/tests/bench/codec_bench
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <vector>

#include "codec/export.hpp"
#include "codec/import.hpp"
#include "codec/session_json.hpp"
#include "json/json.hpp"
#include "validate/validate.hpp"

namespace {

constexpr int kSessions = 200;
constexpr int kFindingsPerSession = 10;
constexpr const char* kSystem = "https://clinic.example/fhir/sessions";

// A course of sessions shaped like packaging/examples/sessions/*.json: a patient, practitioner
// and encounter, three regions, a note, and ten graded findings on distinct level/side pairs
// (tender, pain and release varying), one of them a region with its own note.
std::string sessions_json() {
  static constexpr const char* kLevels[] = {"T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "L4"};
  static constexpr const char* kSides[] = {"left", "right", "midline"};
  static constexpr const char* kReleased[] = {"released", "partial", "not-released"};
  std::string out = "[";
  char buf[512];
  for (int s = 0; s < kSessions; ++s) {
    const int patient = s / 4;
    std::snprintf(buf, sizeof buf,
                  "%s{\"id\":\"S-2019-%04d\",\"patient\":\"Patient/p-%d\",\"practitioner\":\"Practitioner/pr-9\","
                  "\"encounter\":\"Encounter/e-%d\",\"start\":\"2019-03-%02dT10:30:00+01:00\","
                  "\"end\":\"2019-03-%02dT11:00:00+01:00\",\"status\":\"completed\","
                  "\"regions\":[\"thoracic-spine\",\"lumbar-spine\",\"upper-trapezius\"],"
                  "\"note\":\"Dense restriction mid-thoracic, worse on the left; upper traps tight on the right.\","
                  "\"sessionNumber\":%d,\"plannedSessions\":4,\"findings\":[",
                  s ? "," : "", s, patient, 5000 + s, 1 + s % 28, 1 + s % 28, 1 + s % 4);
    out += buf;
    for (int f = 0; f < kFindingsPerSession - 1; ++f) {
      std::snprintf(buf, sizeof buf,
                    "{\"site\":\"%s\",\"side\":\"%s\",\"restriction\":%d,\"pain\":%d,%s\"released\":\"%s\"},",
                    kLevels[f], kSides[(f + s) % 3], (f + s) % 4, (f * 3 + s) % 11,
                    (f + s) % 2 ? "\"tender\":true," : "", kReleased[(f + s) % 3]);
      out += buf;
    }
    out += "{\"region\":\"upper-trapezius\",\"side\":\"right\",\"restriction\":3,\"pain\":6,\"tender\":true,"
           "\"released\":\"not-released\",\"note\":\"Shoulder shawl very thick; patient asked to stop\"}]}";
  }
  out += "]";
  return out;
}

const std::vector<mfr::Session>& sessions() {
  static const std::vector<mfr::Session> all = [] {
    std::vector<mfr::codec::Issue> issues;
    auto parsed = mfr::codec::sessions_from_json_text(sessions_json(), issues);
    if (!parsed) throw std::runtime_error("the benchmark's sessions do not read");
    return std::move(*parsed);
  }();
  return all;
}

std::size_t finding_count() {
  std::size_t n = 0;
  for (const mfr::Session& s : sessions()) n += s.findings.size();
  return n;
}

const mfr::codec::NdjsonOutput& exported() {
  static const mfr::codec::NdjsonOutput out = [] {
    mfr::codec::NdjsonOutput o;
    const mfr::codec::ExportOptions options{kSystem};
    for (const mfr::Session& s : sessions()) mfr::codec::append_ndjson(s, options, o);
    return o;
  }();
  return out;
}

// Export: 200 sessions -> one Procedure and ten Observations each, every one validated
// (Strict) and dumped to NDJSON. Items are Observations; the Procedures ride along.
void export_ndjson(benchmark::State& state) {
  const mfr::codec::ExportOptions options{kSystem};
  mfr::codec::NdjsonOutput out;
  for (auto _ : state) {
    out.procedures.clear();
    out.observations.clear();
    out.documents.clear();
    for (const mfr::Session& s : sessions()) mfr::codec::append_ndjson(s, options, out);
    benchmark::DoNotOptimize(out.observations.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(finding_count()));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(out.observations.size() + out.procedures.size()));
}
BENCHMARK(export_ndjson)->Unit(benchmark::kMillisecond);

// Import: the NDJSON above (Procedures then Observations, as one Bulk Data export) ->
// sessions: parse, validate (Lenient), map and join each line. Items are Observations.
void import_ndjson(benchmark::State& state) {
  const std::string text = exported().procedures + exported().observations;
  for (auto _ : state) {
    auto result = mfr::codec::import_ndjson(text);
    if (result.sessions.size() != sessions().size() || result.rejected != 0) state.SkipWithError("the import lost sessions");
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(finding_count()));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(import_ndjson)->Unit(benchmark::kMillisecond);

// One of our exported Observations, a line of the NDJSON above.
std::string observation_line() {
  const std::string& all = exported().observations;
  return all.substr(0, all.find('\n'));
}

// The JSON parser alone on one Observation.
void parse_observation(benchmark::State& state) {
  const std::string text = observation_line();
  for (auto _ : state) benchmark::DoNotOptimize(mfr::json::Value::parse(text));
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(parse_observation);

// Parse + validate (Lenient) of one Observation: what import does before mapping.
void parse_and_validate_observation(benchmark::State& state) {
  const std::string text = observation_line();
  for (auto _ : state) {
    auto issues = mfr::validate::validate_text(text, mfr::validate::Strictness::Lenient);
    if (!issues.empty()) state.SkipWithError("the Observation should be valid");
    benchmark::DoNotOptimize(issues);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(parse_and_validate_observation);

// The writer alone: one Observation DOM dumped to compact JSON.
void dump_observation(benchmark::State& state) {
  const auto value = mfr::json::Value::parse(observation_line());
  std::string out;
  for (auto _ : state) {
    out.clear();
    value.dump_to(out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(dump_observation);

}  // namespace

BENCHMARK_MAIN();
