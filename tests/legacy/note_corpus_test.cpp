// The note corpus: tests/data/notes/note-NNN.txt, each with note-NNN.expected.json written by
// reading the note as a clinician would. Precision and recall of the reader over all notes must
// reach 0.95; every miss is printed with its note so a regression is easy to find.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "json/json.hpp"
#include "legacy/note_reader.hpp"

namespace fs = std::filesystem;
using namespace mfr;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string site_key(const Site& s) {
  return s.is_vertebra() ? std::string(level_name(s.level)) : std::string(region_key(s.region));
}

struct Key {
  std::string text;  // site|side|grade|pain|released
  std::string vas, tender;
};

Key key_of(const Finding& f) {
  Key k;
  k.text = site_key(f.site) + "|" + std::string(side_name(f.site.side)) + "|" +
           (f.restriction ? std::to_string(static_cast<int>(*f.restriction)) : "-") + "|" +
           (f.pain_nrs ? std::to_string(*f.pain_nrs) : "-") + "|" + std::string(release_key(f.released));
  k.vas = f.pain_vas_mm ? f.pain_vas_mm->text : "-";
  k.tender = f.tender ? (*f.tender ? "yes" : "no") : "-";
  return k;
}

Key key_of(const json::Value& f) {
  Key k;
  auto num = [&](const char* name) {
    const json::Value* v = f.find(name);
    return v && v->is_number() ? std::string(v->number_text()) : std::string("-");
  };
  k.text = std::string(*f.string_at("site")) + "|" + std::string(*f.string_at("side")) + "|" + num("grade") + "|" +
           num("pain") + "|" + std::string(f.string_at("released").value_or("unknown"));
  k.vas = std::string(f.string_at("vas").value_or("-"));
  const json::Value* t = f.find("tender");
  k.tender = t && t->is_bool() ? (t->as_bool() ? "yes" : "no") : "-";
  return k;
}

struct CorpusNote {
  std::string name;
  std::string text;
  json::Value expected;
};

std::vector<CorpusNote> load_corpus() {
  std::vector<CorpusNote> notes;
  for (const auto& entry : fs::directory_iterator(fs::path(MFR_TEST_DATA) / "notes")) {
    const auto p = entry.path();
    if (p.extension() != ".txt") continue;
    auto exp = p;
    exp.replace_extension(".expected.json");
    notes.push_back({p.stem().string(), slurp(p), json::Value::parse(slurp(exp))});
  }
  std::sort(notes.begin(), notes.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return notes;
}

legacy::NoteOptions options_for(const json::Value& expected) {
  legacy::NoteOptions o;
  if (expected.string_at("date_order").value_or("day-first") == "month-first")
    o.date_order = legacy::DateOrder::MonthFirst;
  return o;
}

}  // namespace

TEST_CASE("the reader finds the corpus findings with precision and recall of at least 0.95", "[legacy][corpus]") {
  const auto notes = load_corpus();
  REQUIRE(notes.size() >= 60);
  std::size_t expected_total = 0, found_total = 0, matched = 0, extra_agree = 0;
  std::string misses;
  for (const auto& n : notes) {
    const auto result = legacy::read_note(n.text, options_for(n.expected));
    std::multimap<std::string, Key> want;
    for (const auto& f : n.expected.find("findings")->as_array()) {
      const Key k = key_of(f);
      want.emplace(k.text, k);
    }
    expected_total += want.size();
    found_total += result.session.findings.size();
    for (const auto& f : result.session.findings) {
      const Key k = key_of(f);
      auto it = want.find(k.text);
      if (it == want.end()) {
        misses += n.name + ": unexpected " + k.text + "\n";
        continue;
      }
      ++matched;
      if (it->second.vas == k.vas && it->second.tender == k.tender) ++extra_agree;
      else misses += n.name + ": " + k.text + " vas/tender " + k.vas + "/" + k.tender + ", expected " +
                     it->second.vas + "/" + it->second.tender + "\n";
      want.erase(it);
    }
    for (const auto& [text, k] : want) misses += n.name + ": missed " + text + "\n";
  }
  const double precision = found_total ? static_cast<double>(matched) / found_total : 0;
  const double recall = expected_total ? static_cast<double>(matched) / expected_total : 0;
  const double extras = matched ? static_cast<double>(extra_agree) / matched : 0;
  INFO("notes " << notes.size() << ", expected " << expected_total << ", found " << found_total << ", matched "
                << matched << "\nprecision " << precision << ", recall " << recall
                << ", vas+tender agreement " << extras << "\n" << misses);
  CHECK(expected_total >= 150);
  CHECK(precision >= 0.95);
  CHECK(recall >= 0.95);
  CHECK(extras >= 0.95);
  if (!misses.empty()) WARN("corpus misses:\n" << misses);
}

TEST_CASE("the corpus notes give their session date, planned sessions and date warnings", "[legacy][corpus]") {
  for (const auto& n : load_corpus()) {
    INFO(n.name);
    const auto result = legacy::read_note(n.text, options_for(n.expected));
    CHECK(result.session.start.text() == std::string(n.expected.string_at("date").value_or("")));
    const json::Value* planned = n.expected.find("planned_sessions");
    if (planned) {
      REQUIRE(result.session.planned_sessions);
      CHECK(*result.session.planned_sessions == *planned->as_integer());
    } else {
      CHECK_FALSE(result.session.planned_sessions);
    }
    const bool date_warned = std::any_of(result.warnings.begin(), result.warnings.end(),
                                         [](const auto& w) { return w.message.find("the date") == 0; });
    CHECK(date_warned == (n.expected.find("date_warning") != nullptr));
    // Nothing is lost: the verbatim text always travels with the session.
    REQUIRE(result.session.source);
    CHECK(result.session.source->text == n.text);
    CHECK(result.findings_recognised == !n.expected.find("findings")->as_array().empty());
    for (const auto& f : result.session.findings) {
      REQUIRE(f.source_span);
      CHECK(f.source_span->offset + f.source_span->length <= n.text.size());
    }
  }
}
