#pragma once
// Whole-file reads and writes for the reference host, with errors that name the file.
#include <string>

namespace mfr::host {

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& content);

}  // namespace mfr::host
