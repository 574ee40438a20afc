// The DOM's containers come from a per-thread pool (fhir/json/pool.cpp): these check that
// recycled blocks never mix up documents, whatever the sizes and whichever thread frees them.
#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <vector>

#include "json/json.hpp"

namespace mfr::json {
namespace {

// An array of n objects, each with (i % 7) members: containers of many block sizes.
Value build(int n, const std::string& tag) {
  Value doc = Value::array();
  for (int i = 0; i < n; ++i) {
    Value item = Value::object();
    for (int m = 0; m <= i % 7; ++m) item[tag + std::to_string(m)] = Value(i * 10 + m);
    doc.push_back(std::move(item));
  }
  return doc;
}

TEST_CASE("containers grown through every pooled size keep their content", "[json][pool]") {
  for (int n : {0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89}) {
    const Value a = build(n, "a");
    const Value b = build(n, "b");  // built while `a` is alive: blocks must not be shared
    REQUIRE(a.size() == static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
      const Value& item = a.as_array()[static_cast<std::size_t>(i)];
      REQUIRE(item.size() == static_cast<std::size_t>(i % 7 + 1));
      CHECK(item.find("a0")->as_integer() == i * 10);
      CHECK(b.as_array()[static_cast<std::size_t>(i)].find("b0")->as_integer() == i * 10);
    }
  }
}

TEST_CASE("a document freed while another is parsed leaves the other intact", "[json][pool]") {
  const std::string text = build(40, "k").dump();
  std::vector<Value> kept;
  for (int round = 0; round < 50; ++round) {
    Value fresh = Value::parse(text);
    if (round % 3 == 0) kept.push_back(Value::parse(text));
    if (kept.size() > 4) kept.erase(kept.begin());  // frees a document between parses
    CHECK(fresh.dump() == text);
  }
  for (const Value& v : kept) CHECK(v.dump() == text);
}

TEST_CASE("documents parsed on one thread and freed on another", "[json][pool]") {
  const std::string text = build(30, "x").dump();
  std::vector<Value> made;
  std::thread maker([&] {
    for (int i = 0; i < 200; ++i) made.push_back(Value::parse(text));
  });
  maker.join();  // the maker thread has ended: its pool has been handed back
  std::thread freer([&] {
    for (const Value& v : made) CHECK(v.dump() == text);
    made.clear();  // blocks of another thread's pool, kept or freed here
    for (int i = 0; i < 200; ++i) CHECK(Value::parse(text).dump() == text);
  });
  freer.join();
  CHECK(Value::parse(text).dump() == text);
}

}  // namespace
}  // namespace mfr::json
