// mfr doctor: which plugin was loaded, what build it is, and whether its parts work here.
// The first thing to run when an installation misbehaves; safe on any machine (no patient data).
#include <cstddef>
#include <iostream>

#include "commands.hpp"
#include "plugin_loader.hpp"

namespace mfr::host {

int run_doctor(const Common& common) {
  std::cout << "mfr (reference host) " << MFR_VERSION_STRING << ", built for ABI " << MFR_ABI_VERSION << "\n";
  const Api api = load_plugin(common.plugin);
  std::cout << "plugin " << api->version() << " (ABI " << api->abi_version << ") from " << api.source() << "\n";
  // A plugin older than this host's header has a shorter table: read only what it has.
  if (api->struct_size < offsetof(mfr_api, selftest) + sizeof(api->selftest)) {
    std::cout << "this plugin predates mfr_build_info and mfr_selftest; nothing more to ask it\n";
    return 1;
  }
  std::cout << "build info:\n" << build_info(api);
  mfr_status status = MFR_OK;
  const std::string report = selftest(api, &status);
  std::cout << "self-test:\n" << report;
  if (status != MFR_OK) {
    std::cerr << "mfr: " << api->last_error() << "\n";
    return 1;
  }
  std::cout << "all checks passed\n";
  return 0;
}

}  // namespace mfr::host
