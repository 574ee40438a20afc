// emr_module.cpp — an EMR's C++ module using mfr.hpp (RAII, exceptions) against the installed
// library: read session JSON files, export them as FHIR, read the FHIR back, validate it and
// draw the patient's course chart. Writes bundle.json and course.svg into OUT_DIR.
#include <mfr/mfr.hpp>

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out.flush()) throw std::runtime_error("cannot write " + path);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: " << argv[0] << " SESSION.json... OUT_DIR\n";
    return 2;
  }
  try {
    const mfr::Api api = mfr::Api::linked();
    const mfr::Context ctx(api, "https://clinic.example/fhir/sessions");

    std::vector<mfr::Session> sessions;
    for (int i = 1; i < argc - 1; ++i) sessions.push_back(ctx.session_from_json(read_file(argv[i])));
    std::vector<const mfr::Session*> all;
    for (const mfr::Session& s : sessions) all.push_back(&s);

    const std::string out_dir = argv[argc - 1];
    const std::string bundle = ctx.export_sessions(all, MFR_FORMAT_BUNDLE_COLLECTION);
    write_file(out_dir + "/bundle.json", bundle);

    mfr_status valid = MFR_OK;
    const std::string outcome = ctx.validate(bundle, MFR_STRICT, MFR_INPUT_JSON, &valid);
    if (valid != MFR_OK) {
      std::cerr << "our own export is not valid:\n" << outcome << "\n";
      return 1;
    }

    const mfr::ImportResult back = ctx.import(bundle);
    if (back.status() != MFR_OK || back.size() != sessions.size()) {
      std::cerr << "read back " << back.size() << " sessions of " << sessions.size() << ":\n" << back.outcome() << "\n";
      return 1;
    }

    const std::string svg = ctx.chart_course(all);
    write_file(out_dir + "/course.svg", svg);

    std::size_t findings = 0;
    for (const mfr::Session& s : sessions) findings += s.info().finding_count;
    std::cout << "mfr-fhir " << api->version() << ": " << sessions.size() << " sessions, " << findings
              << " findings -> bundle.json (" << bundle.size() << " bytes, valid), course.svg (" << svg.size()
              << " bytes)\n";
    return 0;
  } catch (const mfr::Error& e) {
    std::cerr << "mfr-fhir: " << mfr_status_str(e.status()) << ": " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
}
