// The legacy-notes reader alone (no FHIR export): MB/s of note text through NoteReader::read.
// Issue 13's bar: 5 kB notes >= 20 MB/s per core, 950-byte notes >= 15 MB/s per core. The notes
// are the make_notes.py kind (a header, S/O/A/P prose, an O: line with about five findings) and
// the clinicians' notes of tests/data/notes and tests/data/notes-corpus.
//   build/release/tests/bench/notes_bench --benchmark_min_time=2
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "legacy/note_reader.hpp"

namespace {

std::string synthetic_note(std::size_t bytes, int n) {
  static const char* kFiller[] = {
      " Discussed workstation set-up and the height of the monitor at length.",
      " Patient tolerated the technique well and asked for firmer pressure on the right.",
      " Skin temperature and colour normal before and after treatment, no bruising seen.",
      " No red flags reported: no weight loss, no night pain, bladder and bowel normal."};
  const int top = 1 + n % 8;
  std::string s = "S: Pt c/o stiffness between shoulder blades, worse with desk work. Pain " + std::to_string(2 + n % 7) +
                  "/10.";
  const std::string o = "O: Skin rolling C7-T12. T" + std::to_string(top) + "-T" + std::to_string(top + 1 + n % 2) +
                        (n % 2 ? " L" : " R") + " moderate restriction, " + (n % 2 ? "R" : "L") + " mild. TTP T" +
                        std::to_string(top + 1) + (n % 2 ? " L." : " R.");
  std::string a = "A: Thoracic restriction improving on last week, tissue warmer after rolling.";
  const std::string p = "P: MFR + kneading, f/u 1/52, 3 more sessions.";
  const std::string header = "=== 2019-03-" + std::to_string(10 + n % 18) +
                             " ===\nPatient: Margaret Hale  MRN: 100234\nTherapist: S. Okafor\n";
  for (int i = 0; header.size() + s.size() + o.size() + a.size() + p.size() + 6 < bytes; ++i)
    (i % 2 ? a : s) += kFiller[i % 4];
  return header + s + "\n" + o + "\n" + a + "\n" + p + "\n\n";
}

void read_notes(benchmark::State& state, const std::vector<std::string>& notes) {
  mfr::legacy::NoteReader reader;
  const mfr::legacy::NoteOptions options;
  std::size_t bytes = 0, findings = 0;
  for (auto _ : state) {
    for (const std::string& n : notes) {
      auto r = reader.read(n, options);
      findings += r.session.findings.size();
      bytes += n.size();
      benchmark::DoNotOptimize(r);
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.counters["findings/note"] =
      benchmark::Counter(static_cast<double>(findings) / static_cast<double>(state.iterations() * notes.size()));
}

void synthetic(benchmark::State& state) {
  std::vector<std::string> notes;
  for (int i = 0; i < 200; ++i) notes.push_back(synthetic_note(static_cast<std::size_t>(state.range(0)), i));
  read_notes(state, notes);
}
BENCHMARK(synthetic)->Arg(950)->Arg(5000)->Unit(benchmark::kMicrosecond);

void clinicians(benchmark::State& state) {
  std::vector<std::string> notes;
  for (const char* dir : {"/notes", "/notes-corpus"}) {
    for (const auto& e : std::filesystem::directory_iterator(std::string(MFR_TEST_DATA) + dir)) {
      if (e.path().extension() != ".txt") continue;
      std::ifstream in(e.path(), std::ios::binary);
      std::ostringstream s;
      s << in.rdbuf();
      notes.push_back(s.str());
    }
  }
  read_notes(state, notes);
}
BENCHMARK(clinicians)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
