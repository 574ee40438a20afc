#include "codec/issue.hpp"

namespace mfr::codec {

std::size_t entry_index(std::string_view expression) noexcept {
  constexpr std::string_view kPrefix = "Bundle.entry[";
  if (expression.rfind(kPrefix, 0) != 0) return std::string_view::npos;
  std::size_t n = 0;
  std::size_t i = kPrefix.size();
  if (i >= expression.size() || expression[i] < '0' || expression[i] > '9') return std::string_view::npos;
  for (; i < expression.size() && expression[i] >= '0' && expression[i] <= '9'; ++i) n = n * 10 + static_cast<std::size_t>(expression[i] - '0');
  return n;
}

}  // namespace mfr::codec
