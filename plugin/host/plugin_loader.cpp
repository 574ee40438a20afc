#include "plugin_loader.hpp"

#include <unistd.h>

#include <filesystem>
#include <vector>

namespace mfr::host {
namespace fs = std::filesystem;

namespace {
constexpr const char* kLibraryName = "libmfr-fhir.so.1";

fs::path executable_dir() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : self.parent_path();
}
}  // namespace

Api load_plugin(const std::string& explicit_path) {
  if (!explicit_path.empty()) {
    if (!fs::exists(explicit_path))
      throw Error(MFR_ERR_NOT_FOUND, "The plugin file \"" + explicit_path + "\" does not exist.");
    return Api::load(explicit_path);
  }
  std::vector<std::string> candidates;
  if (const fs::path dir = executable_dir(); !dir.empty()) {
    candidates.push_back((dir / kLibraryName).string());                // build tree: plugin/host/../abi is copied here
    candidates.push_back((dir / ".." / "abi" / kLibraryName).string()); // build tree layout
    candidates.push_back((dir / ".." / "lib" / kLibraryName).string()); // installed prefix
  }
  std::string tried;
  for (const std::string& path : candidates) {
    if (!fs::exists(path)) continue;
    try {
      return Api::load(path);
    } catch (const Error& e) {
      if (e.status() == MFR_ERR_ABI_MISMATCH) throw;  // found, but wrong: say so rather than look further
      tried += "\n  " + std::string(e.what());
    }
  }
  try {
    return Api::load(kLibraryName);
  } catch (const Error& e) {
    std::string message = "No usable mfr-fhir plugin was found.";
    for (const std::string& path : candidates) message += "\n  tried " + path + (fs::exists(path) ? "" : " (no such file)");
    message += tried + "\n  " + e.what() + "\nPass --plugin /path/to/libmfr-fhir.so.1.";
    throw Error(e.status(), message);
  }
}

}  // namespace mfr::host
