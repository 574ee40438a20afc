#include <catch2/catch.hpp>

#include <string>

#include "base/bytes.hpp"

using namespace mfr::base;

TEST_CASE("word loads are little-endian: the first byte is the lowest", "[base][bytes]") {
  const char* text = "ABCDEFGHIJ";
  CHECK(load_le64(text) == 0x4847464544434241ull);
  CHECK(load_le32(text + 1) == 0x45444342u);
  char out[9] = {};
  store_le64(out, 0x4847464544434241ull);
  CHECK(std::string(out) == "ABCDEFGH");
}

TEST_CASE("load_le_upto8 reads n bytes zero padded, for every n up to 8", "[base][bytes]") {
  const char* text = "ABCDEFGH";
  for (std::size_t n = 0; n <= 8; ++n) {
    std::uint64_t expected = 0;
    for (std::size_t i = 0; i < n; ++i) expected |= static_cast<std::uint64_t>(text[i]) << (8 * i);
    CHECK(load_le_upto8(text, n) == expected);
  }
}

TEST_CASE("same_bytes compares any length, the tail included", "[base][bytes]") {
  const std::string a = "valueCodeableConcept";
  for (std::size_t n = 0; n <= a.size(); ++n) {
    std::string b = a;
    CHECK(same_bytes(a.data(), b.data(), n));
    if (n > 0) {
      b[n - 1] = '#';  // the last byte, which the overlapping tail word must see
      CHECK_FALSE(same_bytes(a.data(), b.data(), n));
    }
  }
}
