#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "validate/validate.hpp"

using namespace mfr;
namespace fs = std::filesystem;

namespace {
const fs::path kPackage = fs::path(MFR_TEST_DATA) / ".." / ".." / "packaging" / "fhir" / "package";

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

TEST_CASE("every resource of our conformance package passes our own validator", "[validate][package]") {
  std::size_t checked = 0;
  for (const auto& e : fs::directory_iterator(kPackage)) {
    if (e.path().extension() != ".json" || e.path().filename() == "package.json" || e.path().filename().string()[0] == '.') continue;
    INFO(e.path().filename().string());
    const auto issues = validate::validate_text(read_text(e.path()), validate::Strictness::Strict);
    for (const auto& i : issues) {
      INFO(i.expression << ": " << i.diagnostics);
      CHECK(i.severity != validate::Severity::Error);
      CHECK(i.severity != validate::Severity::Fatal);
    }
    ++checked;
  }
  CHECK(checked >= 12);  // 3 StructureDefinitions + 2 more extensions, 3 CodeSystems, 5 ValueSets, a CapabilityStatement
}

TEST_CASE("the package's example Procedure and Observation meet our profiles with no issue at all", "[validate][package]") {
  for (const char* name : {"Procedure-example-session.json", "Observation-example-t4-left.json"}) {
    INFO(name);
    const auto issues = validate::validate_text(read_text(kPackage / "example" / name), validate::Strictness::Strict);
    CHECK(issues.empty());
  }
}
