// Plain text, CSV and HL7 v2 readers on awkward but legal files, and on broken ones.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "legacy/csv_header.hpp"
#include "legacy/csv_reader.hpp"
#include "legacy/hl7_reader.hpp"
#include "legacy/line_reader.hpp"
#include "legacy/note_session.hpp"
#include "legacy/text_reader.hpp"

using namespace mfr;
using namespace mfr::legacy;

namespace {

struct Collected {
  std::vector<RawNote> notes;
  std::vector<ReadError> errors;
  NoteSink sink() {
    return {[this](RawNote& n) {
              notes.push_back(n);
              return true;
            },
            [this](const ReadError& e) { errors.push_back(e); }};
  }
};

std::ifstream open_data(const std::string& name) {
  std::ifstream in(std::string(MFR_TEST_DATA) + "/legacy/" + name, std::ios::binary);
  REQUIRE(in);
  return in;
}

}  // namespace

TEST_CASE("lines end at LF, CRLF or a lone CR wherever the chunks happen to split", "[legacy][lines]") {
  const std::string text = "MSH|a\rPID|b\r\nOBX|c\nlast\r\r\nno-end";
  const std::vector<std::string> want = {"MSH|a", "PID|b", "OBX|c", "last", "", "no-end"};
  for (std::size_t chunk = 1; chunk <= 9; ++chunk) {
    std::istringstream in(text);
    LineReader reader(in, 1024, chunk);
    Line line;
    std::vector<std::string> got;
    std::uint64_t expected_offset = 0;
    while (reader.next(line)) {
      CHECK(line.offset == expected_offset);
      expected_offset += line.text.size() + line.terminator.size();
      got.emplace_back(line.text);
    }
    INFO("chunk " << chunk);
    CHECK(got == want);
  }
}

TEST_CASE("a plain-text export splits at dated header lines and keeps each header with its note", "[legacy][text]") {
  auto in = open_data("notes-2019.txt");
  Collected c;
  read_text_notes(in, "notes-2019.txt", {}, c.sink());
  CHECK(c.errors.empty());
  REQUIRE(c.notes.size() == 3);
  // the preamble before the first heading (a title line, no date) belongs to the first visit
  CHECK(c.notes[0].origin == "notes-2019.txt#note=1");
  CHECK(c.notes[0].text.rfind("Export from ClinicNotes", 0) == 0);
  CHECK(c.notes[0].text.find("=== 2019-03-04 ===\n") != std::string::npos);
  CHECK(c.notes[0].date == "2019-03-04");
  CHECK(c.notes[0].line == 1);
  CHECK(c.notes[1].origin == "notes-2019.txt#note=2");
  CHECK(c.notes[1].date == "2019-03-11");
  CHECK(c.notes[1].text.rfind("=== 2019-03-11 ===\n", 0) == 0);
  CHECK(c.notes[2].date == "18/03/2019");
  CHECK(c.notes[2].text.rfind("Date: 18/03/2019\nSkin rolling", 0) == 0);

  NoteReader reader;
  const auto second = session_from_note(c.notes[1], {}, reader);
  CHECK(second.session.start.text() == "2019-03-11");
  CHECK(second.session.findings.size() == 6);
  CHECK(second.session.planned_sessions == 2);
}

TEST_CASE("a plain-text file read whole is one note, and an empty file is an error", "[legacy][text]") {
  auto in = open_data("notes-2019.txt");
  Collected c;
  TextOptions whole;
  whole.split = TextSplit::WholeFile;
  read_text_notes(in, "notes-2019.txt", whole, c.sink());
  REQUIRE(c.notes.size() == 1);
  CHECK(c.notes[0].origin == "notes-2019.txt");

  std::istringstream empty("");
  Collected e;
  read_text_notes(empty, "empty.txt", {}, e.sink());
  CHECK(e.notes.empty());
  REQUIRE(e.errors.size() == 1);
  CHECK(e.errors[0].message == "the file is empty");
}

TEST_CASE("binary junk in a text export is reported for that note and the next note is still read", "[legacy][text]") {
  std::string junk = "=== 2019-01-01 ===\nT4 L mild\n=== 2019-01-02 ===\n";
  junk += std::string("\x00\x01\xff\xfe PK\x03\x04", 10);
  junk += "\n=== 2019-01-03 ===\nT6 R marked\n";
  std::istringstream in(junk);
  Collected c;
  read_text_notes(in, "junk.txt", {}, c.sink());
  REQUIRE(c.notes.size() == 2);
  CHECK(c.notes[1].origin == "junk.txt#note=3");
  REQUIRE(c.errors.size() == 1);
  CHECK(c.errors[0].origin == "junk.txt#note=2");
  CHECK(c.errors[0].line == 3);
  CHECK(c.errors[0].message.find("binary data") != std::string::npos);
}

TEST_CASE("CSV columns map by header name, with quoted commas, doubled quotes and line breaks", "[legacy][csv]") {
  auto in = open_data("export.csv");
  CsvOptions o;
  o.id.name = "NoteID";
  o.patient.name = "PatientNo";
  o.date.name = "VisitDate";
  o.practitioner.name = "Clinician";
  o.note.name = "Notes";
  Collected c;
  read_csv_notes(in, "export.csv", o, c.sink());
  CHECK(c.errors.empty());
  REQUIRE(c.notes.size() == 4);
  CHECK(c.notes[0].origin == "export.csv#row=2");
  CHECK(c.notes[0].id == "N-0001");
  CHECK(c.notes[0].patient == "100234");
  CHECK(c.notes[0].date == "04/03/2019");
  CHECK(c.notes[1].text == "O: T4-T6 R mild.\r\nPt says \"much better\", pain 2/10 at T5 R.");
  CHECK(c.notes[1].line == 3);
  CHECK(c.notes[2].line == 5);  // the row before spans two lines
  CHECK(c.notes[2].practitioner == "Brennan, A.");
  CHECK(c.notes[3].origin == "export.csv#row=5");
  CHECK_FALSE(c.notes[0].converted_from_windows_1252);

  NoteReader reader;
  ImportOptions io;
  io.note.patient_system = "urn:oid:1.2.3.4";
  const auto r = session_from_note(c.notes[1], io, reader);
  CHECK(r.session.patient == "Patient?identifier=urn:oid:1.2.3.4|100234");
  CHECK(r.session.start.text() == "2019-03-11");
  REQUIRE(r.session.findings.size() == 3);
  CHECK(r.session.findings[1].pain_nrs == 2);
  const auto none = session_from_note(c.notes[3], io, reader);
  CHECK_FALSE(none.findings_recognised);
  CHECK(none.session.source->text == "Acupuncture only today.");
  CHECK(none.session.source->origin == "export.csv#row=5");
}

TEST_CASE("a Windows-1252 CSV is converted to UTF-8 without losing a byte, and says so", "[legacy][csv][charset]") {
  auto in = open_data("export-1252.csv");
  CsvOptions o;
  o.delimiter = ';';
  Collected c;
  read_csv_notes(in, "export-1252.csv", o, c.sink());
  REQUIRE(c.notes.size() == 1);
  CHECK(c.notes[0].converted_from_windows_1252);
  CHECK(c.notes[0].text == "Mme L\xC3\xA9vesque: T3\xE2\x80\x93" "6 R dense, no change.");
  NoteReader reader;
  const auto r = session_from_note(c.notes[0], {}, reader);
  CHECK(r.session.findings.size() == 4);  // T3, T4, T5, T6 right, across the en dash
  for (const auto& f : r.session.findings) {
    CHECK(f.site.side == Side::Right);
    CHECK(f.restriction == RestrictionGrade::Marked);
    CHECK(f.released == ReleaseResponse::NotReleased);
  }
  CHECK(std::any_of(r.warnings.begin(), r.warnings.end(),
                    [](const auto& w) { return w.message.find("Windows-1252") != std::string::npos; }));
}

TEST_CASE("bad CSV rows are reported with their row and line and the other rows are read", "[legacy][csv]") {
  auto in = open_data("bad.csv");
  Collected c;
  read_csv_notes(in, "bad.csv", {}, c.sink());
  REQUIRE(c.errors.size() == 2);
  CHECK(c.errors[0].origin == "bad.csv#row=3");
  CHECK(c.errors[0].line == 3);
  CHECK(c.errors[0].message.find("after its closing quote") != std::string::npos);
  CHECK(c.errors[1].origin == "bad.csv#row=4");
  CHECK(c.errors[1].line == 4);
  CHECK(c.errors[1].message.find("not closed") != std::string::npos);
  REQUIRE(c.notes.size() == 3);
  CHECK(c.notes[0].id == "1");
  CHECK(c.notes[1].id == "4");
  CHECK(c.notes[1].text == "T7 R mild");
  CHECK(c.notes[2].id == "5");
  CHECK(c.notes[2].line == 6);
}

TEST_CASE("a CSV without the note column, or an empty one, stops with one clear error", "[legacy][csv]") {
  std::istringstream in("Kennung;Pat.-Nr.;Datum;Freitext Physio\r\n1;2;05.04.2022;Th4 li leicht\r\n");
  Collected c;
  read_csv_notes(in, "x.csv", {}, c.sink());
  CHECK(c.notes.empty());
  REQUIRE(c.errors.size() == 1);
  CHECK(c.errors[0].origin == "x.csv#row=1");
  CHECK(c.errors[0].line == 1);
  CHECK(c.errors[0].message ==
        "the header row has no note column (headers seen: 'Kennung', 'Pat.-Nr.', 'Datum', 'Freitext Physio'); "
        "nothing was read. Name the columns, e.g. --csv-columns \"patient=Pat.-Nr.,date=Datum,note=Freitext Physio\"");

  // a name given that no header has is an error too, not a silently unused column
  std::istringstream named("MRN,Datum,Notiz\n1,05.04.2022,T4 L mild\n");
  CsvOptions o;
  o.date.name = "Visit Date";
  Collected n;
  read_csv_notes(named, "y.csv", o, n.sink());
  CHECK(n.notes.empty());
  REQUIRE(n.errors.size() == 1);
  CHECK(n.errors[0].message ==
        "the header row has no column named 'Visit Date' for the date (headers seen: 'MRN', 'Datum', 'Notiz'); "
        "nothing was read. Name the columns, e.g. --csv-columns \"patient=MRN,date=Datum,note=Notiz\"");
  std::istringstream empty("");
  Collected e;
  read_csv_notes(empty, "e.csv", {}, e.sink());
  REQUIRE(e.errors.size() == 1);
  CHECK(e.errors[0].message == "the file is empty");
}

TEST_CASE("an HL7 v2 batch gives one note per ORU^R01 or MDM^T02 message with escapes decoded", "[legacy][hl7]") {
  auto in = open_data("feed.hl7");
  Collected c;
  read_hl7_notes(in, "feed.hl7", {}, c.sink());
  CHECK(c.errors.empty());
  REQUIRE(c.notes.size() == 3);
  const RawNote& oru = c.notes[0];
  CHECK(oru.origin == "feed.hl7#msg=1");
  CHECK(oru.id == "OLDEMR|MSG00001");
  CHECK(oru.patient == "100234");
  CHECK(oru.patient_system == "https://mfr-fhir.org/fhir/NamingSystem/hl7-authority/CLINIC");
  CHECK(oru.practitioner == "D77");
  CHECK(oru.date == "201903041030");
  CHECK(oru.text ==
        "S: stiff between shoulder blades| worse at desk^home\nO: T3-T5 L marked restriction, R moderate.\n"
        "TTP T4 L.\nReleased with kneading & STM.\nP: f/u 1/52");
  const RawNote& mdm = c.notes[1];
  CHECK(mdm.patient_system == "urn:oid:2.16.840.1.113883.19.5");
  CHECK(mdm.date == "201903111045");
  CHECK(mdm.practitioner == "B12");
  CHECK(mdm.text == "Upper traps bilat tight, pain 6, eased.");
  const RawNote& bang = c.notes[2];  // '!' as the field separator (MSH-1)
  CHECK(bang.text == "L4/5 R severe, pain 7/10 \\ no change.");
  CHECK(bang.date == "20190312");

  NoteReader reader;
  Hl7Options ho;
  const auto r = session_from_note(oru, {}, reader);
  CHECK(r.session.patient == "Patient?identifier=https://mfr-fhir.org/fhir/NamingSystem/hl7-authority/CLINIC|100234");
  CHECK(r.session.start.text() == "2019-03-04");
  CHECK(r.session.findings.size() == 6);
  CHECK(r.session.findings[1].tender == true);
}

TEST_CASE("HL7 authorities map to identifier systems from the options", "[legacy][hl7]") {
  auto in = open_data("feed.hl7");
  Hl7Options o;
  o.authority_systems["CLINIC"] = "urn:oid:1.2.36.1";
  Collected c;
  read_hl7_notes(in, "feed.hl7", o, c.sink());
  REQUIRE(c.notes.size() == 3);
  CHECK(c.notes[0].patient_system == "urn:oid:1.2.36.1");
  CHECK(c.notes[2].patient_system == "urn:oid:1.2.36.1");
}

TEST_CASE("garbled HL7 is reported where it is and the good messages are still read", "[legacy][hl7]") {
  auto in = open_data("garbled.hl7");
  Collected c;
  read_hl7_notes(in, "garbled.hl7", {}, c.sink());
  REQUIRE(c.errors.size() == 3);
  CHECK(c.errors[0].line == 1);
  CHECK(c.errors[0].message.find("not part of any HL7 message") != std::string::npos);
  CHECK(c.errors[1].origin == "garbled.hl7#msg=1");
  CHECK(c.errors[1].message.find("ADT^A08") != std::string::npos);
  CHECK(c.errors[2].origin == "garbled.hl7#msg=2");
  CHECK(c.errors[2].line == 5);
  CHECK(c.errors[2].message.find("no narrative OBX") != std::string::npos);
  REQUIRE(c.notes.size() == 1);
  CHECK(c.notes[0].origin == "garbled.hl7#msg=3");
  CHECK(c.notes[0].text == "Rib cage L mod restriction, eased.");
}

TEST_CASE("HL7 in Windows-1252 with CRLF segments is converted and read", "[legacy][hl7][charset]") {
  auto in = open_data("feed-1252.hl7");
  Collected c;
  read_hl7_notes(in, "feed-1252.hl7", {}, c.sink());
  REQUIRE(c.notes.size() == 1);
  CHECK(c.notes[0].converted_from_windows_1252);
  CHECK(c.notes[0].text == "Mme H\xC3\xA9" "bert: T6\xE2\x80\x93" "8 L moderate, released.");
  NoteReader reader;
  const auto r = session_from_note(c.notes[0], {}, reader);
  CHECK(r.session.findings.size() == 3);
  CHECK(r.session.start.text() == "2019-05-05");
}

TEST_CASE("binary junk and empty input in the HL7 reader are errors, not crashes", "[legacy][hl7]") {
  std::string junk(4096, '\0');
  for (std::size_t i = 0; i < junk.size(); ++i) junk[i] = static_cast<char>((i * 131 + 7) % 256);
  std::istringstream in(junk);
  Collected c;
  read_hl7_notes(in, "junk.hl7", {}, c.sink());
  CHECK(c.notes.empty());
  CHECK_FALSE(c.errors.empty());
  std::istringstream empty("");
  Collected e;
  read_hl7_notes(empty, "empty.hl7", {}, e.sink());
  REQUIRE(e.errors.size() == 1);
  CHECK(e.errors[0].message == "the file is empty");
}

TEST_CASE("session ids are derived from the source's key or origin and repeat on every run", "[legacy][ids]") {
  RawNote a;
  a.text = "T4 L mild";
  a.origin = "2019.txt#note=4";
  RawNote b = a;
  NoteReader reader;
  CHECK(session_from_note(a, {}, reader).session.id == session_from_note(b, {}, reader).session.id);
  CHECK(session_id_for(a, "") == session_id_for(b, ""));
  CHECK(session_id_for(a, "").rfind("legacy-", 0) == 0);
  CHECK(session_id_for(a, "").size() == 7 + 32);
  b.origin = "2019.txt#note=5";
  CHECK(session_id_for(a, "") != session_id_for(b, ""));
  // with the export's own key the file name does not matter
  a.id = "N-0001";
  b.id = "N-0001";
  b.origin = "renamed.csv#row=9";
  CHECK(session_id_for(a, "") == session_id_for(b, ""));
  CHECK(session_id_for(a, "clinic-a") != session_id_for(a, "clinic-b"));
}

TEST_CASE("a reader can stop a stream early through the sink", "[legacy][csv]") {
  auto in = open_data("export.csv");
  CsvOptions o;
  o.note.name = "Notes";
  int seen = 0;
  NoteSink sink{[&](RawNote&) { return ++seen < 2; }, [](const ReadError&) {}};
  read_csv_notes(in, "export.csv", o, sink);
  CHECK(seen == 2);
}

TEST_CASE("a CSV without a header row maps columns by position", "[legacy][csv]") {
  std::istringstream in("55;04/03/2019;T4 L mild, released\n56;13/03/2019;\"T5 R marked;\nno change\"\n");
  CsvOptions o;
  o.has_header = false;
  o.delimiter = ';';
  o.patient.index = 0;
  o.date.index = 1;
  o.note.index = 2;
  o.id.name.clear();
  o.practitioner.name.clear();
  Collected c;
  read_csv_notes(in, "plain.csv", o, c.sink());
  CHECK(c.errors.empty());
  REQUIRE(c.notes.size() == 2);
  CHECK(c.notes[0].origin == "plain.csv#row=1");
  CHECK(c.notes[1].text == "T5 R marked;\nno change");
  NoteReader reader;
  const auto first = session_from_note(c.notes[0], {}, reader);
  CHECK(first.session.start.text() == "2019-03-04");
  // the exported date is ambiguous too, and says so
  CHECK(std::any_of(first.warnings.begin(), first.warnings.end(),
                    [](const auto& w) { return w.message.find("ambiguous") != std::string::npos; }));
  CHECK(session_from_note(c.notes[1], {}, reader).warnings.empty());
}

TEST_CASE("an exported date that disagrees with the note's own date wins and is flagged", "[legacy][ids]") {
  RawNote n;
  n.text = "Date: 2019-03-05\nT4 L mild";
  n.date = "2019-03-04";
  n.origin = "x.csv#row=2";
  NoteReader reader;
  const auto r = session_from_note(n, {}, reader);
  CHECK(r.session.start.text() == "2019-03-04");
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].message.find("differs from the date in the note") != std::string::npos);
}

TEST_CASE("an Excel CSV with a German header, ';' and CRLF records maps itself and never takes the birth date", "[legacy][csv]") {
  auto in = open_data("excel-de.csv");
  Collected c;
  read_csv_notes(in, "excel-de.csv", {}, c.sink());  // no delimiter, no column names given
  CHECK(c.errors.empty());
  REQUIRE(c.notes.size() == 2);
  CHECK(c.notes[0].origin == "excel-de.csv#row=2");
  CHECK(c.notes[0].patient == "100234");
  CHECK(c.notes[0].date == "05.04.2022");  // Behandlungsdatum, not Geburtsdatum
  CHECK(c.notes[0].text == "Befund: Kibler-Falte Th5-Th7 li m\xC3\xA4\xC3\x9Fig eingeschr\xC3\xA4nkt; re o.B.\nSchmerz 4/10 bei Th6 li.");
  CHECK(c.notes[1].line == 4);  // the row before holds a line break
  CHECK(c.notes[1].text.find("sagt sie \"heute\".\nBefund") != std::string::npos);
  NoteReader reader;
  const auto r = session_from_note(c.notes[1], {}, reader);
  CHECK(r.session.start.text() == "2022-04-06");
}

TEST_CASE("a French tab-separated export maps 'N° patient', 'Date de séance' and 'Remarques'", "[legacy][csv]") {
  auto in = open_data("seances-fr.tsv");
  Collected c;
  read_csv_notes(in, "seances-fr.tsv", {}, c.sink());
  CHECK(c.errors.empty());
  REQUIRE(c.notes.size() == 1);
  CHECK(c.notes[0].patient == "55-1");
  CHECK(c.notes[0].date == "14/02/2023");
  CHECK(c.notes[0].practitioner == "C. Martin");
  CHECK(c.notes[0].text == "O: palper-rouler D4-D6 D mod\xC3\xA9r\xC3\xA9.\tTrap\xC3\xA8ze sup\xC3\xA9rieur G l\xC3\xA9ger.");
}

TEST_CASE("header names match without case, accents or punctuation, and a bare ID is the patient only alone", "[legacy][csv]") {
  CHECK(normalise_header("  N\xC2\xB0 Patient ") == "n patient");
  CHECK(normalise_header("Date de S\xC3\xA9" "ance") == "date de seance");
  CHECK(normalise_header("Stra\xC3\x9F" "e/Nr.") == "strasse nr");
  CHECK(normalise_header("VisitDate") == "visit date");  // camelCase exports
  CHECK(normalise_header("PatientNo") == "patient no");
  CHECK(normalise_header("MRN") == "mrn");
  CHECK(normalise_header("Patient-ID") == "patient id");
  CHECK(normalise_header("\xC5\x92uvre") == "oeuvre");
  auto map = [](std::initializer_list<std::string> headers) {
    std::vector<std::string> n;
    for (const auto& h : headers) n.push_back(normalise_header(h));
    std::array<bool, kCsvFieldCount> all;
    all.fill(true);
    return map_known_headers(n, {}, all);
  };
  const auto alone = map({"ID", "Visit date", "Treatment note"});
  CHECK(alone[static_cast<std::size_t>(CsvField::Patient)] == 0);
  CHECK(alone[static_cast<std::size_t>(CsvField::Id)] == -1);
  const auto both = map({"ID", "MRN", "DOB", "Date", "Notes"});
  CHECK(both[static_cast<std::size_t>(CsvField::Patient)] == 1);
  CHECK(both[static_cast<std::size_t>(CsvField::Id)] == 0);
  CHECK(both[static_cast<std::size_t>(CsvField::Date)] == 3);
  CHECK(both[static_cast<std::size_t>(CsvField::Note)] == 4);
  const auto none = map({"Geburtsdatum", "date de naissance", "Name"});
  for (int m : none) CHECK(m == -1);
}

TEST_CASE("a column named in the options (--csv-columns) wins over the known names, matched without accents", "[legacy][csv]") {
  std::istringstream in("Note,Commentaire thérapeute,Date\n\"admin only\",\"T4 L mild\",2023-02-01\n");
  CsvOptions o;
  o.note.name = "commentaire THERAPEUTE";
  o.patient.known_names = false;
  Collected c;
  read_csv_notes(in, "z.csv", o, c.sink());
  CHECK(c.errors.empty());
  REQUIRE(c.notes.size() == 1);
  CHECK(c.notes[0].text == "T4 L mild");
  CHECK(c.notes[0].date == "2023-02-01");
  CHECK(c.notes[0].patient.empty());
}

TEST_CASE("HL7 v2 as clinics send it: the visit date from OBR-7 or TXA-4, never MSH-7, TXA-6 or the birth date", "[legacy][hl7]") {
  // Segments end with CR only, as on the wire; two ORU^R01 and one MDM^T02 in one file.
  const std::string feed =
      "MSH|^~\\&|OLDCHART|CLINIC|MFR|CLINIC|20210517101500||ORU^R01|MSG00001|P|2.5\r"
      "PID|1||556677^^^CLINIC^MR||Fischer^Anna||19750312|F\r"
      "OBR|1||ORD1001|MFR^Myofascial treatment note^L|||20210514093000\r"
      "OBX|1|TX|NOTE^Treatment note^L|1|S: upper back ache 6/10.||||||F\r"
      "OBX|2|TX|NOTE^Treatment note^L|2|O: SR T4-T6 L mod; T5 L pain 6/10.||||||F\r"
      "MSH|^~\\&|PRACTICEPRO|PHYSIO1|MFR|PHYSIO1|20230119080500||MDM^T02|MDM7781|P|2.5\r"
      "PID|1||PX-4410^^^PHYSIO1^MR||Okonkwo^Chidi||19880923|M\r"
      "TXA|1|TN|FT|20230118143000|^Martin^Claire|20230119080000\r"
      "OBX|1|FT|NOTE^Treatment note^L||O: UT B/L ++.\\.br\\C7-T1 R +\\T\\L free \\S\\ \\F\\ \\R\\ \\E\\.||||||F\r"
      "MSH|^~\\&|THERAPIE|PRAXIS|MFR|PRAXIS|20220308180000||ORU^R01|A2|P|2.3\r"
      "PID|1||33812^^^PRAXIS^PI||Keller^Monika||19700101|F\r"
      "OBR|1|||KIBLER^Kibler-Falte Befund\r"
      "OBX|1|TX|BEF^Befund||Th8-Th10 re maessig, li frei.||||||F\r";
  std::istringstream in(feed);
  Collected c;
  read_hl7_notes(in, "feed.hl7", {}, c.sink());
  CHECK(c.errors.empty());
  REQUIRE(c.notes.size() == 3);
  CHECK(c.notes[0].date == "20210514093000");
  CHECK(c.notes[0].patient == "556677");
  CHECK(c.notes[0].text == "S: upper back ache 6/10.\nO: SR T4-T6 L mod; T5 L pain 6/10.");
  CHECK(c.notes[1].date == "20230118143000");
  CHECK(c.notes[1].practitioner == "Claire Martin");
  CHECK(c.notes[1].text == "O: UT B/L ++.\nC7-T1 R +&L free ^ | ~ \\.");
  CHECK(c.notes[2].origin == "feed.hl7#msg=3");
  CHECK(c.notes[2].date.empty());  // no OBR-7: the date is not taken from MSH-7 or PID-7

  NoteReader reader;
  const auto first = session_from_note(c.notes[0], {}, reader);
  CHECK(first.session.start.text().rfind("2021-05-14", 0) == 0);
  const auto mdm = session_from_note(c.notes[1], {}, reader);
  CHECK(mdm.session.start.text().rfind("2023-01-18", 0) == 0);
  const auto third = session_from_note(c.notes[2], {}, reader);
  CHECK(third.session.start.empty());  // PID-7 (19700101) is a birth date, no visit date
}
