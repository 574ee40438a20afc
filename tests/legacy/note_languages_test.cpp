// The notes reader in French and German, and the rules issue 13 added: lexicons per language,
// grids, visits split inside a file, dates that are not the visit's, spans not understood.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "legacy/note_reader.hpp"
#include "legacy/text_reader.hpp"

using namespace mfr;
using namespace mfr::legacy;

namespace {

// "T4 L 2", "upper trapezius R -" (no grade), sorted as the reader found them
std::vector<std::string> findings_of(const NoteResult& r) {
  std::vector<std::string> out;
  for (const Finding& f : r.session.findings) {
    if (!f.restriction || *f.restriction != RestrictionGrade::None || f.pain_nrs) {
      std::string s = f.site.is_vertebra() ? std::string(level_name(f.site.level)) : std::string(region_label(f.site.region));
      s += f.site.side == Side::Left ? " L" : f.site.side == Side::Right ? " R" : " M";
      s += f.restriction ? " " + std::to_string(static_cast<int>(*f.restriction)) : std::string(" -");
      if (f.pain_nrs) s += " pain " + std::to_string(*f.pain_nrs);
      out.push_back(s);
    }
  }
  return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("a French note: D levels, sides after the site, grades and EVA in French", "[legacy][reader][fr]") {
  const auto r = read_note(
      "Séance du 14/03/2023\n"
      "Motif : dorsalgies, douleur 6/10 le soir.\n"
      "Examen : palper-rouler.\n"
      " - D4-D6 à gauche : restriction modérée, douleur 7/10 en D5 G.\n"
      " - D4-D6 à droite : RAS.\n"
      " - Trapèze supérieur droit : restriction légère.\n"
      "Conduite à tenir : 5 séances.\n",
      {});
  CHECK(r.language == note::Lang::Fr);
  CHECK(r.session.start.text() == "2023-03-14");
  CHECK(r.warnings.empty());  // a French slashed date is day first: no doubt
  CHECK(findings_of(r) == V{"T4 L 2", "T5 L 2 pain 7", "T6 L 2", "upper trapezius R 1"});
}

TEST_CASE("a German note: Th levels, li/re, beidseits, o.B., mäßig and a transliterated maessig", "[legacy][reader][de]") {
  const auto r = read_note(
      "Datum: 05.04.2022\n"
      "Anamnese: Schmerzen BWS, NRS 6.\n"
      "Befund: Kibler-Falte.\n"
      "  Th4-Th6 links: mäßige Einschränkung, Schmerz 5/10 bei Th5 li.\n"
      "  L4/5 bds. maessig eingeschraenkt.\n"
      "  LWS: o.B.\n"
      "Therapie: BGM.\n",
      {});
  CHECK(r.language == note::Lang::De);
  CHECK(r.session.start.text() == "2022-04-05");
  CHECK(findings_of(r) == V{"T4 L 2", "T5 L 2 pain 5", "T6 L 2", "L4 L 2", "L4 R 2", "L5 L 2", "L5 R 2"});
}

TEST_CASE("a grid of levels by side is read cell by cell, '-' and 0 being negative", "[legacy][reader][grid]") {
  const auto fr = read_note(
      "BILAN — 28/06/2021\n"
      "Niveau      Gauche        Droite\n"
      "C7          légère        légère\n"
      "D2          modérée       RAS\n"
      "D5-D12      RAS           RAS\n",
      {});
  CHECK(findings_of(fr) == V{"C7 L 1", "C7 R 1", "T2 L 2"});
  const auto en = read_note(
      "2020-09-28\n"
      "| Region      | Left  | Right | Pain (0-10) |\n"
      "+-------------+-------+-------+-------------+\n"
      "| Upper traps | 2     | 3     | R 6         |\n"
      "| T2-T6       | -     | +     | -           |\n",
      {});
  CHECK(findings_of(en) ==
        V{"upper trapezius L 2", "upper trapezius R 3 pain 6", "T2 R 1", "T3 R 1", "T4 R 1", "T5 R 1", "T6 R 1"});
}

TEST_CASE("attributes before their site, across a colon, and a side before a region", "[legacy][reader]") {
  CHECK(findings_of(read_note("2023-06-19\nO: left rib cage moderate restriction.", {})) == V{"rib cage L 2"});
  CHECK(findings_of(read_note("2023-06-19\nT3-T6 R: slight restriction", {})) ==
        V{"T3 R 1", "T4 R 1", "T5 R 1", "T6 R 1"});
  CHECK(findings_of(read_note("2023-06-19\nmild-to-moderate restriction from T2 through T4 bilaterally", {})) ==
        V{"T2 L 2", "T2 R 2", "T3 L 2", "T3 R 2", "T4 L 2", "T4 R 2"});
  // roman grades, and a list led in by a colon
  CHECK(findings_of(read_note("2021-11-30\nT4-T5 left: grade II restriction\nT7 R: Grade III", {})) ==
        V{"T4 L 2", "T5 L 2", "T7 R 3"});
  const auto lead_in = read_note("2020-07-06\nrestrictions at the following levels:\nleft T2 (moderate).", {});
  CHECK(lead_in.warnings.empty());
  CHECK(findings_of(lead_in) == V{"T2 L 2"});
  // a side that opens a sentence goes on after ';' until the clause names its own
  CHECK(findings_of(read_note("2019-12-02\nOn the left it rolled freely as far as T7; at T6 it became moderately "
                              "restricted, and T3 on the right was marked.\nT9 mild.", {})) ==
        V{"T6 L 2", "T3 R 3", "T9 M 1"});
  // what was found before, and the pain after treatment, are not today's findings
  CHECK(findings_of(read_note("2024-01-23\nExam: T5-T6 right (mild), previously moderate. Pain post tx 2/10.", {})) ==
        V{"T5 R 1", "T6 R 1"});
  // "worse on the right" compares the sides as R>L does
  CHECK(findings_of(read_note("2023-06-19\nL1-L2 moderate restriction bilaterally, worse on the right.", {})) ==
        V{"L1 R 2", "L1 L 1", "L2 R 2", "L2 L 1"});
}

TEST_CASE("a date of birth or a next appointment is not the visit's date", "[legacy][reader][dates]") {
  const auto r = read_note("Name: J. Parker    DOB: 14/07/1965    Date: 22/09/2022\nT4 L mild\nNext appt: 29/09/2022", {});
  CHECK(r.session.start.text() == "2022-09-22");
  const auto letter = read_note("Re: Ms Raman, DOB 03/04/1988\nI saw her today, 8 October 2019. T4 L mild.", {});
  CHECK(letter.session.start.text() == "2019-10-08");
  // an English slashed date valid one way only is settled; an ambiguous one is flagged
  CHECK(read_note("05/14/2018 T4 L mild", {}).warnings.empty());
  CHECK(read_note("05/14/2018 T4 L mild", {}).session.start.text() == "2018-05-14");
}

TEST_CASE("a clause that names a site and yields nothing is a span not understood", "[legacy][reader][warnings]") {
  const std::string text = "2023-06-19\nO: T9 R funny pull. T4 L mild. Skin rolling T3-T6.";
  const auto r = read_note(text, {});
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].kind == NoteWarningKind::NotUnderstood);
  CHECK(r.warnings[0].message == "not understood: 'T9 R funny pull'");
  CHECK(r.warnings[0].offset == text.find("T9"));
  CHECK(r.warnings[0].length == std::string("T9 R funny pull").size());
  // the treatment line ("Skin rolling T3-T6") names where, not what was found: no warning
  CHECK(findings_of(r) == V{"T4 L 1"});
  // in a list beside sites that were understood, the one that was not is said, and gets no grade
  const std::string list = "2023-06-19\nO: T9 R funny pull, T4 L mild.";
  const auto l = read_note(list, {});
  REQUIRE(l.warnings.size() == 1);
  CHECK(l.warnings[0].message == "not understood: 'T9 R funny pull'");
  CHECK(l.warnings[0].offset == list.find("T9"));
  CHECK(findings_of(l) == V{"T4 L 1"});
}

TEST_CASE("a file of visits splits at each dated heading, whatever its style", "[legacy][text]") {
  std::istringstream in(
      "Fiche de suivi — M. Benali\n\n"
      "Séance 1 — 02/02/2021\nPalper-rouler : L3-L5 restriction importante.\n\n"
      "Behandlung am 09.02.2021:\nBefund: L4/5 bds. leicht.\n"
      "2021-02-16\tSR\tT4-6 L mod\n");
  std::vector<RawNote> notes;
  NoteSink sink{[&](RawNote& n) { notes.push_back(n); return true; }, [](const ReadError&) {}};
  read_text_notes(in, "visits.txt", {}, sink);
  REQUIRE(notes.size() == 3);
  CHECK(notes[0].date == "02/02/2021");
  CHECK(notes[0].text.rfind("Fiche de suivi", 0) == 0);  // the title belongs to the first visit
  CHECK(notes[1].date == "09.02.2021");
  CHECK(notes[2].date == "2021-02-16");
}

TEST_CASE("every date shape reads the same in a visit heading and in the text", "[legacy][reader][dates]") {
  // (as written, the date it is): one recogniser (note/dates.hpp) serves both the visit splitter
  // and the reader, so a shape one knows the other knows
  const std::pair<const char*, const char*> shapes[] = {
      {"2019-03-04", "2019-03-04"},   {"04/03/2019", "2019-03-04"}, {"04.03.19", "2019-03-04"},
      {"04-03-2019", "2019-03-04"},   {"2019 -03 -04", "2019-03-04"}, {"17-Jul-2019", "2019-07-17"},
      {"17/Jul/2019", "2019-07-17"},  {"4 Mar 2019", "2019-03-04"}, {"4th March 2019", "2019-03-04"},
      {"3. April 2023", "2023-04-03"}, {"3.April 2023", "2023-04-03"}, {"1er mars 2019", "2019-03-01"},
      {"4. März 2019", "2019-03-04"}, {"March 4, 2019", "2019-03-04"}, {"Mar. 4th 2019", "2019-03-04"},
  };
  for (const auto& [written, date] : shapes) {
    INFO(written);
    std::istringstream in(std::string("Visit — ") + written + "\nT4 L mild.\n\nVisit — " + written + "\nT5 R mild.\n");
    std::vector<RawNote> notes;
    NoteSink sink{[&](RawNote& n) { notes.push_back(n); return true; }, [](const ReadError&) {}};
    read_text_notes(in, "visits.txt", {}, sink);
    REQUIRE(notes.size() == 2);
    CHECK(notes[0].date == written);
    CHECK(read_note(std::string("Seen today, ") + written + ". T4 L mild.", {}).session.start.text() == date);
  }
  // eight digits are a date only in a heading: in prose they are as often a record number
  std::istringstream log("20190304 T4 L mild\n20190311 T4 L free\n");
  std::vector<RawNote> visits;
  NoteSink sink{[&](RawNote& n) { visits.push_back(n); return true; }, [](const ReadError&) {}};
  read_text_notes(log, "log.txt", {}, sink);
  REQUIRE(visits.size() == 2);
  CHECK(visits[1].date == "20190311");
  CHECK(read_note("Chart 20190304, seen 2019-05-06. T4 L mild.", {}).session.start.text() == "2019-05-06");
  // a shape that is no date is none: "32/13/2019", "T4 2019"
  CHECK(read_note("Seen 32/13/2019. T4 L mild. 2019-05-06", {}).session.start.text() == "2019-05-06");
}

TEST_CASE("what the treatment section says was found is a finding, in every language", "[legacy][reader][sections]") {
  // what released while kneading is written where the treatment is: "Tx:", "Traitement :", "Therapie:"
  CHECK(findings_of(read_note("2023-05-02\nS: sore mid back.\nTx: SR T5-T6 R mod, released.", {})) ==
        V{"T5 R 2", "T6 R 2"});
  CHECK(findings_of(read_note("Séance du 02/05/2023\nMotif : dorsalgies.\nTraitement : palper-rouler, D5-D6 droite "
                              "restriction modérée, libérée.", {})) == V{"T5 R 2", "T6 R 2"});
  CHECK(findings_of(read_note("Behandlung am 02.05.2023:\nAnamnese: BWS-Schmerzen.\nTherapie: Kibler-Falte, Th5-Th6 "
                              "re. mäßig eingeschränkt, gelöst.", {})) == V{"T5 R 2", "T6 R 2"});
  // a treatment line that only names where the rolling went is no finding and no warning
  const auto where = read_note("Séance du 02/05/2023\nTraitement : palper-rouler D4-D8.", {});
  CHECK(findings_of(where).empty());
  CHECK(where.warnings.size() <= 1);  // at most "no finding was recognised" from the caller, never not-understood
  for (const auto& w : where.warnings) CHECK(w.kind != NoteWarningKind::NotUnderstood);
}
