#pragma once
// What the exchange ABI tests share: a temporary directory, partner options for the HTTPS test
// server, a delivery recorder and sessions made through mfr.hpp.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "mfr/mfr.hpp"
#include "test_clients.hpp"
#include "test_pki.hpp"
#include "test_server.hpp"

namespace mfr::test::abi {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using mfr::test::test_pki;
using mfr::test::TestFhirServer;

constexpr const char* kSystem = "https://clinic-lyon.example.org/fhir/sessions";

// A directory of its own per test, removed at the end.
struct TempDir {
  fs::path path;
  TempDir() {
    static int n = 0;
    path = fs::temp_directory_path() / ("mfr-exchange-abi-" + std::to_string(::getpid()) + "-" + std::to_string(++n));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    const fs::path file = path / name;
    std::ofstream(file, std::ios::binary) << text;
    return file.string();
  }
};

struct Deliveries {
  std::vector<mfr_outbox_state> states;
  std::vector<int> statuses;
  static void record(void* user_data, const mfr_delivery* d) {
    auto* self = static_cast<Deliveries*>(user_data);
    self->states.push_back(d->state);
    self->statuses.push_back(d->http_status);
  }
};

// Partner options for the test server: trust the test CA, fail fast.
struct PartnerSetup {
  std::string name = "bordeaux";
  std::string url;
  std::string ca_file;
  mfr_partner_options options = MFR_PARTNER_OPTIONS_INIT;
  PartnerSetup(const TestFhirServer& server, const TempDir& dir, Deliveries* deliveries = nullptr)
      : url(server.base_url()), ca_file(dir.write("ca.pem", test_pki().ca_pem)) {
    options.name = name.c_str();
    options.base_url = url.c_str();
    options.ca_file = ca_file.c_str();
    options.connect_timeout_ms = 1000;
    options.request_timeout_ms = 3000;
    options.operation_timeout_ms = 4000;
    options.max_attempts = 2;
    if (deliveries) {
      options.on_delivery = Deliveries::record;
      options.user_data = deliveries;
    }
  }
};

inline mfr_finding finding(mfr_level level, mfr_side side, int restriction, int pain) {
  mfr_finding f = MFR_FINDING_INIT;
  f.site_kind = MFR_SITE_VERTEBRA;
  f.level = level;
  f.side = side;
  f.restriction = restriction;
  f.pain_nrs = pain;
  f.released = MFR_RELEASE_PARTIAL;
  return f;
}

// A session of `findings` findings, going down the spine from T1, alternating sides.
inline mfr::Session session(const mfr::Context& ctx, const std::string& id, const std::string& patient, int day, int findings) {
  mfr::Session s = ctx.new_session(id);
  char start[40];
  std::snprintf(start, sizeof start, "2024-03-%02dT09:30:00+01:00", day);
  s.patient(patient).period(start).region(MFR_REGION_THORACIC_SPINE);
  for (int i = 0; i < findings; ++i)
    s.finding(finding(static_cast<mfr_level>(MFR_LEVEL_T1 + i % 12), i % 2 ? MFR_SIDE_RIGHT : MFR_SIDE_LEFT, (i + day) % 4,
                      (i + day) % 11));
  return s;
}

}  // namespace mfr::test::abi
