// Mutated and random input: the readers never crash, never read outside the text, and every
// byte is accounted for as a note or an error.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "legacy/csv_reader.hpp"
#include "legacy/hl7_reader.hpp"
#include "legacy/note_reader.hpp"
#include "legacy/text_reader.hpp"

using namespace mfr;
using namespace mfr::legacy;

namespace {

std::vector<std::string> files(const std::string& dir, const std::string& ext) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(std::string(MFR_TEST_DATA) + "/" + dir)) {
    if (e.path().extension() != ext) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    out.push_back(ss.str());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string mutate(std::string s, std::mt19937& rng) {
  static const char kPieces[][4] = {"-", "/", "+", ">", "\xE2\x80", "\xE2", "\r", "\n", ":", "\"", "|", "^", "\\", "~",
                                    "T", "L", "9", "0", "\x00", "\xFF", ".", ","};
  const int edits = 1 + static_cast<int>(rng() % 8);
  for (int k = 0; k < edits && !s.empty(); ++k) {
    const std::size_t at = rng() % s.size();
    switch (rng() % 4) {
      case 0: s[at] = static_cast<char>(rng() % 256); break;
      case 1: s.erase(at, 1 + rng() % 5); break;
      case 2: s.insert(at, kPieces[rng() % (sizeof kPieces / sizeof kPieces[0])]); break;
      default: s.resize(at); break;
    }
  }
  return s;
}

}  // namespace

TEST_CASE("mutated notes never crash the reader and every span stays inside the text", "[legacy][hostile]") {
  const auto notes = files("notes", ".txt");
  REQUIRE_FALSE(notes.empty());
  std::mt19937 rng(20190304);
  NoteReader reader;
  for (int round = 0; round < 3000; ++round) {
    const std::string text = mutate(notes[rng() % notes.size()], rng);
    const auto r = reader.read(text, {});
    REQUIRE(r.session.source->text == text);
    for (const auto& f : r.session.findings) {
      REQUIRE(f.source_span);
      REQUIRE(f.source_span->offset + f.source_span->length <= text.size());
      if (f.pain_nrs) REQUIRE((*f.pain_nrs >= 0 && *f.pain_nrs <= 10));
    }
    for (const auto& w : r.warnings) REQUIRE(w.offset <= text.size());
  }
}

TEST_CASE("mutated CSV and HL7 files give notes or positioned errors, never a crash", "[legacy][hostile]") {
  std::mt19937 rng(42);
  const auto csvs = files("legacy", ".csv");
  const auto hl7s = files("legacy", ".hl7");
  for (int round = 0; round < 400; ++round) {
    std::size_t notes = 0, errors = 0;
    NoteSink sink{[&](RawNote& n) {
                    CHECK_FALSE(n.origin.empty());
                    ++notes;
                    return true;
                  },
                  [&](const ReadError& e) {
                    CHECK_FALSE(e.message.empty());
                    ++errors;
                  }};
    std::istringstream csv(mutate(csvs[rng() % csvs.size()], rng));
    CsvOptions co;
    co.note.name = round % 2 ? "note" : "Notes";
    read_csv_notes(csv, "m.csv", co, sink);
    std::istringstream hl7(mutate(hl7s[rng() % hl7s.size()], rng));
    read_hl7_notes(hl7, "m.hl7", {}, sink);
    std::istringstream txt(mutate(hl7s[rng() % hl7s.size()], rng));
    read_text_notes(txt, "m.txt", {}, sink);
    CHECK(notes + errors > 0);
  }
}
