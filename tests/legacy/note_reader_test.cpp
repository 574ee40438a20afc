// The note reader's rules one at a time, on realistic lines, plus its use from two threads.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "legacy/note_reader.hpp"

using namespace mfr;
using namespace mfr::legacy;

namespace {

const Finding* find(const NoteResult& r, std::string_view site, Side side) {
  for (const auto& f : r.session.findings)
    if (f.site.name() == site && f.site.side == side) return &f;
  return nullptr;
}

bool warned(const NoteResult& r, std::string_view what) {
  for (const auto& w : r.warnings)
    if (w.message.find(what) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("L>R gives the left the stated grade and the right one less, and says so", "[legacy][reader]") {
  const auto r = read_note("Upper traps L>R marked.", {});
  const Finding* left = find(r, "upper trapezius", Side::Left);
  const Finding* right = find(r, "upper trapezius", Side::Right);
  REQUIRE(left);
  REQUIRE(right);
  CHECK(left->restriction == RestrictionGrade::Marked);
  CHECK(right->restriction == RestrictionGrade::Moderate);
  CHECK(right->note.find("L>R") != std::string::npos);
}

TEST_CASE("each finding quotes the span of note text it was read from", "[legacy][reader]") {
  const std::string text = "S: sore\nO: T4 L mild, T6 R marked, released.\n";
  const auto r = read_note(text, {});
  const Finding* t6 = find(r, "T6", Side::Right);
  REQUIRE(t6);
  REQUIRE(t6->source_span);
  CHECK(text.substr(t6->source_span->offset, t6->source_span->length) == "T6 R marked, released");
  CHECK(t6->released == ReleaseResponse::Released);
  const Finding* t4 = find(r, "T4", Side::Left);
  REQUIRE(t4);
  // T4's release comes from the closing word, so its span reaches it
  CHECK(text.substr(t4->source_span->offset, t4->source_span->length) == "T4 L mild, T6 R marked, released");
}

TEST_CASE("an ambiguous date is read in the configured order and flagged at its offset", "[legacy][reader][date]") {
  const std::string text = "Seen today.\nDate: 04/03/2019\nT4 L mild";
  const auto uk = read_note(text, {});
  CHECK(uk.session.start.text() == "2019-03-04");
  REQUIRE(uk.warnings.size() == 1);
  CHECK(uk.warnings[0].message.find("ambiguous") != std::string::npos);
  CHECK(uk.warnings[0].offset == text.find("04/03"));
  NoteOptions us;
  us.date_order = DateOrder::MonthFirst;
  CHECK(read_note(text, us).session.start.text() == "2019-04-03");
  // 4 Mar 2019 and ISO are never ambiguous
  CHECK(read_note("4 Mar 2019: T4 L mild", us).warnings.empty());
  CHECK(read_note("2019-03-04 T4 L mild", us).session.start.text() == "2019-03-04");
}

TEST_CASE("unknown level tokens and conflicting grades are warnings with offsets", "[legacy][reader]") {
  const std::string text = "T13 marked. C7 L mild. C7 L marked.";
  const auto r = read_note(text, {});
  REQUIRE(r.warnings.size() == 3);
  CHECK(r.warnings[0].message == "unknown spinal level 'T13'");
  CHECK(r.warnings[0].offset == 0);
  // "marked" had no valid site: the reviewer gets its span
  CHECK(r.warnings[1].kind == NoteWarningKind::NotUnderstood);
  CHECK(r.warnings[1].message == "not understood: 'marked' (a finding with no site)");
  CHECK(r.warnings[1].offset == text.find("marked"));
  CHECK(r.warnings[1].length == 6);
  CHECK(r.warnings[2].message.find("conflicting grades for C7 left") != std::string::npos);
  CHECK(r.warnings[2].offset == text.find("C7 L marked"));
  REQUIRE(r.session.findings.size() == 1);
  CHECK(r.session.findings[0].restriction == RestrictionGrade::Mild);
}

TEST_CASE("VAS is kept in millimetres as written; centimetres are flagged, not converted", "[legacy][reader]") {
  const auto mm = read_note("L5 dense, VAS 60 mm", {});
  REQUIRE(mm.session.findings.size() == 1);
  CHECK(mm.session.findings[0].pain_vas_mm == Decimal{"60"});
  CHECK_FALSE(mm.session.findings[0].pain_nrs);
  const auto cm = read_note("L5 dense, VAS 6 cm", {});
  REQUIRE(cm.session.findings.size() == 1);
  CHECK_FALSE(cm.session.findings[0].pain_vas_mm);
  CHECK(warned(cm, "centimetres"));
}

TEST_CASE("a note with no finding says so and still carries its text", "[legacy][reader]") {
  const std::string text = "Acupuncture L4/5 bilat, pain 6/10. R knee effusion, TTP.";
  const auto r = read_note(text, {});
  CHECK_FALSE(r.findings_recognised);
  CHECK(r.session.findings.empty());
  REQUIRE(r.session.source);
  CHECK(r.session.source->text == text);
}

TEST_CASE("patient and practitioner lines become references only through configured systems", "[legacy][reader]") {
  NoteOptions o;
  o.patient_system = "urn:oid:1.2.36.146";
  o.practitioner_system = "urn:clinic:staff";
  const auto r = read_note("Patient: Jane Doe (MRN 12345)\nTherapist: AB\nT4 L mild", o);
  CHECK(r.patient_name == "Jane Doe");
  CHECK(r.patient_identifier == "12345");
  CHECK(r.session.patient == "Patient?identifier=urn:oid:1.2.36.146|12345");
  CHECK(r.session.practitioner == "Practitioner?identifier=urn:clinic:staff|AB");
  const auto bare = read_note("Pt ID: 777\nT4 L mild", {});
  CHECK(bare.session.patient == "Patient?identifier=777");
  CHECK(bare.session.practitioner.empty());
}

TEST_CASE("regions treated come from every site mentioned outside S: and other therapies", "[legacy][reader]") {
  const auto r = read_note("S: neck pain\nO: Skin rolling C7-T2, upper traps L moderate. Dry needling lumbar.", {});
  const auto& regions = r.session.regions;
  CHECK(std::count(regions.begin(), regions.end(), BodyRegion::CervicalSpine) == 1);
  CHECK(std::count(regions.begin(), regions.end(), BodyRegion::ThoracicSpine) == 1);
  CHECK(std::count(regions.begin(), regions.end(), BodyRegion::UpperTrapezius) == 1);
  CHECK(std::count(regions.begin(), regions.end(), BodyRegion::Neck) == 0);
  CHECK(std::count(regions.begin(), regions.end(), BodyRegion::LumbarRegion) == 0);
}

TEST_CASE("two threads reading the corpus with their own readers get the results of one", "[legacy][reader][threads]") {
  std::vector<std::string> texts;
  for (const auto& e : std::filesystem::directory_iterator(std::string(MFR_TEST_DATA) + "/notes")) {
    if (e.path().extension() != ".txt") continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    texts.push_back(ss.str());
  }
  std::vector<Session> expected;
  for (const auto& t : texts) expected.push_back(read_note(t, {}).session);
  std::vector<Session> a(texts.size()), b(texts.size());
  auto run = [&](std::vector<Session>& out) {
    NoteReader reader;
    for (int round = 0; round < 5; ++round)
      for (std::size_t i = 0; i < texts.size(); ++i) out[i] = reader.read(texts[i], {}).session;
  };
  std::thread t1(run, std::ref(a)), t2(run, std::ref(b));
  t1.join();
  t2.join();
  CHECK(a == expected);
  CHECK(b == expected);
}
