#include "plugin/abi/input_text.hpp"

#include <cstring>

namespace mfr::abi {

std::string_view view_of(const char* data, size_t len) {
  return std::string_view(data, len == MFR_NUL_TERMINATED ? std::strlen(data) : len);
}

bool looks_like_ndjson(std::string_view text) {
  std::size_t objects = 0;
  std::size_t pos = 0;
  while (pos < text.size() && objects < 2) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.front() == '{' && line.find_last_not_of(" \t\r") != std::string_view::npos &&
        line[line.find_last_not_of(" \t\r")] == '}')
      ++objects;
    pos = end + 1;
  }
  return objects >= 2;
}

bool reads_as_ndjson(mfr_input input, std::string_view text) {
  return input == MFR_INPUT_NDJSON || (input == MFR_INPUT_AUTO && looks_like_ndjson(text));
}

}  // namespace mfr::abi
