// json::Text (fhir/json/text.hpp): the DOM's strings, numbers and member names. Short text is
// kept inline (up to Text::kInline bytes), longer text in a pool block; these check every
// length around the edges of the word copies and of the inline limit, moves, copies and
// comparisons, and that the parser builds the same text whatever the length.
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "json/json.hpp"

namespace mfr::json {
namespace {

// A text of `n` letters, changing at every position (from `first`, wrapping after 'z'), so a
// byte copied to the wrong place shows.
std::string pattern(std::size_t n, char first = 'a') {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += static_cast<char>('a' + (static_cast<std::size_t>(first - 'a') + i) % 26);
  return s;
}

TEST_CASE("a text holds every length inline and in the pool byte for byte", "[json][text]") {
  for (std::size_t n = 0; n <= 3 * Text::kInline; ++n) {
    INFO("length " << n);
    const std::string s = pattern(n);
    const Text t(s);
    CHECK(t.size() == n);
    CHECK(t.empty() == (n == 0));
    CHECK(t.view() == s);
    CHECK(t.str() == s);
    if (n) {
      CHECK(t[0] == s[0]);
      CHECK(t[n - 1] == s[n - 1]);
    }
  }
}

TEST_CASE("texts copy deeply and move without sharing", "[json][text]") {
  for (std::size_t n : {std::size_t{0}, std::size_t{5}, Text::kInline, Text::kInline + 1, std::size_t{300}, std::size_t{2000}}) {
    INFO("length " << n);
    const std::string s = pattern(n);
    Text a(s);
    Text copy(a);
    CHECK(copy == a);
    if (n > Text::kInline) CHECK(copy.data() != a.data());  // its own block
    Text moved(std::move(a));
    CHECK(moved.view() == s);
    CHECK(a.empty());  // NOLINT(bugprone-use-after-move): the moved-from state is the subject
    Text assigned("x");
    assigned = moved;  // copy-assign over a short text
    CHECK(assigned.view() == s);
    assigned = Text(pattern(40, 'q'));  // move-assign over whatever it held
    CHECK(assigned.view() == pattern(40, 'q'));
    assigned = std::move(moved);
    CHECK(assigned.view() == s);
    Text& self = assigned;
    assigned = self;  // self-assignment keeps the text
    CHECK(assigned.view() == s);
  }
}

TEST_CASE("texts compare as their bytes", "[json][text]") {
  const Text a("valueCodeableConcept"), b("valueCodeableConcept"), c("valueCodeableConcepu");
  CHECK(a == b);
  CHECK_FALSE(a == c);
  CHECK(a == "valueCodeableConcept");
  CHECK(a == std::string_view("valueCodeableConcept"));
  CHECK(a != "valueCodeableConcep");
  CHECK(a < c);
  CHECK(Text("") < Text("a"));
  const Text long1(pattern(60)), long2(pattern(60) + "!");
  CHECK(long1 < long2);
  CHECK_FALSE(long1 == long2);
}

TEST_CASE("the parser keeps names and strings of every length and escapes", "[json][text]") {
  for (std::size_t n = 0; n <= 2 * Text::kInline + 3; ++n) {
    INFO("length " << n);
    const std::string key = pattern(n, 'k'), value = pattern(n + 7, 'a');
    const std::string escaped_key = key + "\\n\\u00e9";  // an escape and a \u: the slow path
    const Value v = Value::parse("{\"" + key + "\":\"" + value + "\",\"" + escaped_key + "\":" + std::to_string(n) + "}");
    REQUIRE(v.size() == 2);
    CHECK(v.as_object()[0].key == key);
    CHECK(v.as_object()[0].value.as_string() == value);
    CHECK(v.as_object()[1].key == key + "\n\xC3\xA9");
    CHECK(v.as_object()[1].value.as_integer() == static_cast<long long>(n));
    CHECK(v.find(key) == &v.as_object()[0].value);
    CHECK(v.find(key + "x") == nullptr);
    CHECK(Value::parse(v.dump()) == v);  // written back and read again, the same
  }
}

TEST_CASE("find tells apart names that differ in one byte anywhere", "[json][text]") {
  for (std::size_t n = 1; n <= 20; ++n) {
    const std::string name = pattern(n);
    for (std::size_t at = 0; at < n; ++at) {
      std::string other = name;
      other[at] = '#';
      Value v = Value::object();
      v.add(other, 1);
      v.add(name, 2);
      INFO("length " << n << ", differing at " << at);
      REQUIRE(v.find(name) != nullptr);
      CHECK(v.find(name)->number_text() == "2");
      CHECK(v.find(other)->number_text() == "1");
    }
  }
}

}  // namespace
}  // namespace mfr::json
