#pragma once
// Helpers shared by the codec tests: read test data, build sessions the way hosts do.
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "codec/session_json.hpp"
#include "model/session.hpp"

namespace mfr::test {

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read test file " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::string data_path(const std::string& relative) { return std::string(MFR_TEST_DATA) + "/" + relative; }
inline std::string examples_path(const std::string& relative) {
  return std::string(MFR_TEST_DATA) + "/../../packaging/examples/" + relative;
}

inline Session session_from_file(const std::string& path) {
  std::vector<codec::Issue> issues;
  auto sessions = codec::sessions_from_json_text(read_text(path), issues);
  if (!sessions || sessions->size() != 1) throw std::runtime_error("bad session JSON in " + path);
  return (*sessions)[0];
}

inline constexpr const char* kSystem = "https://clinic.example/fhir/sessions";

}  // namespace mfr::test
