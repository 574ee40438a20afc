// The generated narratives (codec/narrative.hpp): what each says, in each language, escaped,
// byte-stable, valid txt-1/txt-2; a partner's narrative kept as received while the model holds.
#include <catch2/catch.hpp>

#include <array>
#include <random>

#include "codec/export.hpp"
#include "codec/import.hpp"
#include "codec/narrative.hpp"
#include "codec/provenance_codec.hpp"
#include "test_support.hpp"
#include "validate/validate.hpp"
#include "validate/xhtml.hpp"

using namespace mfr;

namespace {

std::string div_of(const json::Value& text) {
  REQUIRE(text.string_at("status") == "generated");
  const std::string div(text.string_at("div").value_or(""));
  const auto problem = validate::detail::check_xhtml(div);
  INFO(div);
  CHECK(problem.what.empty());
  return div;
}

bool has(const std::string& div, std::string_view words) {
  INFO(div << "\n  lacks: " << words);
  return div.find(words) != std::string::npos;
}

Finding t4_left() {
  Finding f;
  f.site = Site::vertebra(SpinalLevel::T4, Side::Left);
  f.restriction = RestrictionGrade::Moderate;
  f.pain_nrs = 6;
  f.tender = true;
  f.released = ReleaseResponse::Partial;
  return f;
}

}  // namespace

TEST_CASE("a finding's narrative names site, side, grade in words and number, pain, tenderness, release", "[codec][narrative]") {
  const Finding f = t4_left();
  std::string div = div_of(codec::narrative::finding(f, "en"));
  CHECK(div.starts_with(R"(<div xmlns="http://www.w3.org/1999/xhtml" lang="en" xml:lang="en">)"));
  for (std::string_view w : {"T4, Left", "moderate (2/3)", "pain 6/10", "tender", "partly released"}) CHECK(has(div, w));
  div = div_of(codec::narrative::finding(f, "fr"));
  for (std::string_view w : {"lang=\"fr\"", "T4, Gauche", "mod\xC3\xA9r\xC3\xA9" "e (2/3)", "douleur 6/10", "sensible", "rel\xC3\xA2" "chement partiel"})
    CHECK(has(div, w));
  div = div_of(codec::narrative::finding(f, "de-CH"));
  for (std::string_view w : {"lang=\"de\"", "T4, Links", "m\xC3\xA4\xC3\x9Fig (2/3)", "Schmerz 6/10", "druckempfindlich", "teilweise gel\xC3\xB6st"})
    CHECK(has(div, w));
  CHECK(has(div_of(codec::narrative::finding(f, "xx")), "lang=\"en\""));  // unknown: English
  Finding ungraded;
  ungraded.site = Site::at_region(BodyRegion::Other, Side::Right, "hip flexors");
  ungraded.pain_vas_mm = Decimal::parse("42.5");
  div = div_of(codec::narrative::finding(ungraded, "en"));
  for (std::string_view w : {"hip flexors, Right", "not graded", "pain VAS 42.5 mm"}) CHECK(has(div, w));
}

TEST_CASE("narratives escape the model's text and are byte-stable", "[codec][narrative]") {
  Finding f = t4_left();
  f.note = "worse <after> lifting & \"twisting\" 'today'\x01";
  const std::string div = div_of(codec::narrative::finding(f, "en"));
  CHECK(has(div, "worse &lt;after&gt; lifting &amp; &quot;twisting&quot; &#39;today&#39; "));
  CHECK_FALSE(has(div, "<after>"));
  CHECK(div_of(codec::narrative::finding(f, "en")) == div);
  Session s;
  s.id = "s1";
  s.patient = "Patient/p1";
  s.practitioner = "Practitioner?identifier=urn:x|O'Brien & <Sons>";
  s.note = "Plan: \"more\" <b>";
  s.findings = {f};
  const std::string sd = div_of(codec::narrative::session(s, "en"));
  CHECK(has(sd, "O&#39;Brien &amp; &lt;Sons&gt;"));
  CHECK(has(sd, "&quot;more&quot; &lt;b&gt;"));
  CHECK(div_of(codec::narrative::session(s, "en")) == sd);
}

TEST_CASE("a session's narrative: date, practitioner, regions, findings by level and side, the plan", "[codec][narrative]") {
  const Session s = test::session_from_file(test::examples_path("sessions/2019-03-04-p123-s1.json"));
  std::string div = div_of(codec::narrative::session(s, "en"));
  for (std::string_view w : {"2019-03-04T10:30:00+01:00", "Practitioner: Practitioner/pr-9", "thoracic spine",
                             "<th>Site</th><th>Left</th><th>Midline</th><th>Right</th>",
                             "<tr><td>T4</td><td>marked (3/3)", "Plan: Session 1 of 4"})
    CHECK(has(div, w));
  // The spine top to bottom, then the regions.
  CHECK(div.find("<td>T3</td>") < div.find("<td>T6</td>"));
  CHECK(div.find("<td>L4</td>") < div.find("<td>upper trapezius</td>"));
  div = div_of(codec::narrative::session(s, "fr"));
  for (std::string_view w : {"Praticien", "rachis thoracique", "<th>Gauche</th>", "S\xC3\xA9" "ance 1 sur 4"}) CHECK(has(div, w));
  div = div_of(codec::narrative::session(s, "de"));
  for (std::string_view w : {"Behandler", "Brustwirbels\xC3\xA4ule", "<th>Links</th>", "Sitzung 1 von 4"}) CHECK(has(div, w));
}

TEST_CASE("a note's narrative says what it is, never its text; a Provenance's what came from what, when", "[codec][narrative]") {
  LegacySource src;
  src.text = "T4 L ++ secret words";
  src.origin = "notes/2019.txt#3";
  std::string div = div_of(codec::narrative::document(src, "en"));
  for (std::string_view w : {"Legacy treatment note", "notes/2019.txt#3", "20 bytes"}) CHECK(has(div, w));
  CHECK_FALSE(has(div, "secret"));
  const std::vector<std::string> targets{"Procedure/a", "Observation/b"};
  codec::ProvenanceInfo info{true, "2026-12-03T06:00:00Z", "mfr-fhir 0.1.0 notes reader"};
  div = div_of(codec::narrative::provenance(targets, "DocumentReference/d", info, "de"));
  for (std::string_view w : {"mfr-fhir 0.1.0 notes reader", "HL7-v2-Nachricht", "DocumentReference/d", "2026-12-03T06:00:00Z",
                             "Procedure/a, Observation/b"})
    CHECK(has(div, w));
}

TEST_CASE("export writes the narrative in the options' language; a partner's is kept while the model holds", "[codec][narrative]") {
  const Session s = test::session_from_file(test::examples_path("sessions/2019-03-04-p123-s1.json"));
  codec::NdjsonOutput fr;
  codec::append_ndjson(s, codec::ExportOptions{test::kSystem, "fr"}, fr);
  CHECK(fr.procedures.find(R"(lang=\"fr\")") != std::string::npos);
  CHECK(fr.observations.find(R"(lang=\"fr\")") != std::string::npos);

  const std::string partner = test::read_text(test::data_path("fhir/foreign/observation-extensions-decimals.json"));
  const json::Value received = json::Value::parse(partner);
  codec::ImportResult imported = codec::import_json(partner);
  REQUIRE(imported.sessions.size() == 1);
  codec::NdjsonOutput out;
  codec::append_ndjson(imported.sessions[0], &imported.received[0], codec::ExportOptions{test::kSystem}, out);
  const json::Value again = json::Value::parse(out.observations.substr(0, out.observations.find('\n')));
  REQUIRE(again.find("text"));
  CHECK(json::same_content(*again.find("text"), *received.find("text")));  // as received
  // The model changes: ours replaces it (round_trip_test "changing an imported finding").
  imported.sessions[0].findings[0].restriction = RestrictionGrade::Marked;
  codec::NdjsonOutput changed;
  codec::append_ndjson(imported.sessions[0], &imported.received[0], codec::ExportOptions{test::kSystem}, changed);
  const json::Value now = json::Value::parse(changed.observations.substr(0, changed.observations.find('\n')));
  CHECK(std::string(now.find("text")->string_at("div").value_or("")).find("marked (3/3)") != std::string::npos);
}

namespace {

// Text as a clinic's data may hold it: markup, entities, quotes, every control byte, UTF-8.
std::string arbitrary_text(std::mt19937& rng) {
  static constexpr std::string_view kPieces[] = {"<", ">", "&", "\"", "'", "&amp;", "]]>", "<!--", "<script>", "</div>",
                                                 "\x7f", "\t", "\n", "\r", "caf\xC3\xA9", "\xE2\x80\x93", "\xF0\x9F\x98\x80",
                                                 "T4 ++", " "};
  std::string s;
  const int n = static_cast<int>(rng() % 12);
  for (int i = 0; i < n; ++i) {
    if (rng() % 3 == 0) s += static_cast<char>(rng() % 0x80);  // any ASCII byte, controls included
    else s += kPieces[rng() % std::size(kPieces)];
  }
  return s;
}

}  // namespace

// Export does not parse its own narrative again (validate.hpp, Checks): this is why it need not.
TEST_CASE("every narrative built from arbitrary text passes txt-1, in every language", "[codec][narrative]") {
  std::mt19937 rng(20261203);
  for (int round = 0; round < 400; ++round) {
    const char* language = std::array{"en", "fr", "de"}[round % 3];
    Session s;
    s.start = *DateTime::parse("2019-03-04T10:30:00+01:00");
    s.status = round % 5 == 0 ? SessionStatus::InProgress : SessionStatus::Completed;
    s.practitioner = arbitrary_text(rng);
    s.note = arbitrary_text(rng);
    s.regions = {BodyRegion::ThoracicSpine};
    if (round % 2) s.session_number = round % 7 + 1;
    if (round % 3) s.planned_sessions = 8;
    for (int i = 0; i < round % 4; ++i) {
      Finding f = t4_left();
      if (i == 1) f.site = Site::at_region(BodyRegion::Other, Side::Right, arbitrary_text(rng));
      if (i == 2) f.restriction.reset();
      f.note = arbitrary_text(rng);
      f.status = i == 3 ? FindingStatus::Amended : FindingStatus::Final;
      div_of(codec::narrative::finding(f, language));
      s.findings.push_back(f);
    }
    div_of(codec::narrative::session(s, language));
    LegacySource src;
    src.text = arbitrary_text(rng);
    src.origin = arbitrary_text(rng);
    div_of(codec::narrative::document(src, language));
    const std::vector<std::string> targets{arbitrary_text(rng), arbitrary_text(rng)};
    const codec::ProvenanceInfo info{round % 2 == 0, arbitrary_text(rng), arbitrary_text(rng)};
    div_of(codec::narrative::provenance(targets, arbitrary_text(rng), info, language));
    if (round % 50 == 0) {  // and what export writes, through the full validator (txt-1 included)
      s.id = "S-" + std::to_string(round);
      s.patient = "Patient/p1";
      s.practitioner = "Practitioner/9";
      s.note = "worse <after> lifting & \"twisting\" 'today' ]]> <!-- caf\xC3\xA9";
      for (Finding& f : s.findings) f.note = s.note;
      codec::NdjsonOutput out;
      codec::append_ndjson(s, codec::ExportOptions{test::kSystem, language}, out);
      const std::string all = out.procedures + out.observations;
      for (std::size_t b = 0, e; b < all.size(); b = e + 1) {
        e = all.find('\n', b);
        const auto issues = validate::validate(json::Value::parse(all.substr(b, e - b)), validate::Strictness::Strict);
        INFO(all.substr(b, e - b));
        CHECK_FALSE(validate::has_errors(issues));
      }
    }
  }
}
