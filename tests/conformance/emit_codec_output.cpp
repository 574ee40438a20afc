// Writes what fhir/codec exports for realistic sessions, one JSON file per resource or Bundle,
// into the folder given as argv[1]. The ctest `conformance_codec_output` then checks every file
// against the profiles of packaging/fhir/package, so the codec and the published profiles
// cannot drift apart unnoticed.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <span>
#include <string>
#include <vector>

#include "codec/export.hpp"
#include "model/session.hpp"

namespace {

using namespace mfr;

DateTime at(const char* text) { return *DateTime::parse(text); }

Finding finding(Site site) {
  Finding f;
  f.site = std::move(site);
  return f;
}

// A full session: legacy note, course, every component, vertebrae, regions and a free-text site.
Session thoracic_session() {
  Session s;
  s.id = "S-2019-0042";
  s.patient = "Patient/p1";
  s.practitioner = "Practitioner/9";
  s.encounter = "Encounter/77";
  s.start = at("2019-03-04T10:30:00+01:00");
  s.end = at("2019-03-04T10:55:00+01:00");
  s.regions = {BodyRegion::ThoracicSpine, BodyRegion::UpperTrapezius, BodyRegion::Other};
  s.note = "Rolled from L5 upward, both sides.";
  s.planned_sessions = 4;
  s.session_number = 2;
  s.source = LegacySource{"04/03/2019 S: stiff upper back. O: T4 L ++ NRS 6/10 TTP, released partially. "
                          "L3 R not graded. C7 VAS 35.5mm, no restriction, no change.",
                          "notes/2019.txt#3", {}};
  Finding t4 = finding(Site::vertebra(SpinalLevel::T4, Side::Left));
  t4.restriction = RestrictionGrade(2);
  t4.pain_nrs = 6;
  t4.tender = true;
  t4.released = ReleaseResponse::Partial;
  t4.source_span = SourceSpan{35, 40};
  Finding l3 = finding(Site::vertebra(SpinalLevel::L3, Side::Right));  // not graded: dataAbsentReason
  l3.note = "not graded";
  Finding c7 = finding(Site::vertebra(SpinalLevel::C7, Side::Midline));
  c7.restriction = RestrictionGrade(0);
  c7.pain_vas_mm = Decimal::parse("35.5");
  c7.released = ReleaseResponse::NotReleased;
  Finding traps = finding(Site::at_region(BodyRegion::UpperTrapezius, Side::Right));
  traps.restriction = RestrictionGrade(3);
  traps.tender = false;
  traps.released = ReleaseResponse::Released;
  Finding gluteal = finding(Site::at_region(BodyRegion::Other, Side::Left, "gluteal fold"));
  gluteal.restriction = RestrictionGrade(1);
  s.findings = {t4, l3, c7, traps, gluteal};
  return s;
}

// A lumbar session with bilateral findings and no practitioner. `patient` is conditional
// (Patient?identifier=...) only in transactions, where a server resolves it.
Session lumbar_session(std::string patient) {
  Session s;
  s.id = "S-2019-0057";
  s.patient = std::move(patient);
  s.start = at("2019-03-11T09:00:00+01:00");
  s.regions = {BodyRegion::LumbarSpine, BodyRegion::LumbarRegion};
  Finding l4 = finding(Site::vertebra(SpinalLevel::L4, Side::Left));
  l4.restriction = RestrictionGrade(1);
  l4.pain_vas_mm = Decimal::parse("42.0");
  add_bilateral(s, l4);
  Finding sacrum = finding(Site::vertebra(SpinalLevel::Sacrum, Side::Midline));
  sacrum.restriction = RestrictionGrade(0);
  s.findings.push_back(sacrum);
  return s;
}

void write(const std::filesystem::path& path, const json::Value& value) {
  std::ofstream out(path, std::ios::binary);
  out << value.dump(true) << '\n';
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: emit_codec_output <folder>\n";
    return 2;
  }
  try {
    const std::filesystem::path dir = argv[1];
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::vector<Session> sessions = {thoracic_session(), lumbar_session("Patient/p2")};
    const std::vector<Session> to_server = {
        thoracic_session(), lumbar_session("Patient?identifier=https://clinic-a.example.org/fhir/sid/mrn|12345")};
    const codec::ExportOptions options{"https://clinic-a.example.org/fhir/sid/session"};
    int n = 0;
    for (const Session& s : sessions) {
      // Type/id references (NDJSON form), one file per resource.
      codec::for_each_resource(s, nullptr, options, codec::ExportForm::Ndjson, [&](codec::ExportedResource&& r) {
        write(dir / (std::to_string(n++) + "-" + std::string(r.type) + ".json"), r.resource);
      });
    }
    write(dir / "bundle-transaction.json", codec::export_bundle(to_server, codec::BundleType::Transaction, options));
    write(dir / "bundle-collection.json", codec::export_bundle(sessions, codec::BundleType::Collection, options));
  } catch (const std::exception& e) {
    std::cerr << "emit_codec_output: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
