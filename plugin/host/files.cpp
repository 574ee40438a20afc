#include "files.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace mfr::host {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("Cannot read \"" + path + "\": " + std::strerror(errno) + ".");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("Cannot write \"" + path + "\": " + std::strerror(errno) + ".");
  out << content;
  if (!out.flush()) throw std::runtime_error("Cannot write \"" + path + "\": " + std::strerror(errno) + ".");
}

}  // namespace mfr::host
