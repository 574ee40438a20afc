// The parser and writer scan strings eight bytes at a time; these put every kind of byte that
// stops a scan at every offset of a word, and check the scratch stacks after an error.
#include <catch2/catch.hpp>

#include <string>

#include "json/json.hpp"

using mfr::json::ParseError;
using mfr::json::Value;

namespace {

// `n` plain letters with `special` (raw text) spliced in at byte `at`.
std::string with_at(std::size_t n, std::size_t at, const std::string& special) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += static_cast<char>('a' + i % 26);
  return s.insert(at, special);
}

}  // namespace

TEST_CASE("escapes, UTF-8 and quotes are found at every offset of a long string", "[json]") {
  struct Case {
    std::string raw;      // as written inside the JSON string
    std::string decoded;  // what the parser must return
  };
  const Case cases[] = {{"\\\"", "\""},         {"\\\\", "\\"},          {"\\n", "\n"},
                        {"\\u00e9", "\xC3\xA9"}, {"\xC3\xA9", "\xC3\xA9"}, {"\xE2\x82\xAC", "\xE2\x82\xAC"},
                        {"\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"}, {"\\ud83d\\ude00", "\xF0\x9F\x98\x80"}};
  for (const Case& c : cases) {
    for (std::size_t n = 0; n <= 20; ++n) {
      for (std::size_t at = 0; at <= n; ++at) {
        const std::string text = "{\"k" + with_at(n, at, c.raw) + "\":\"" + with_at(n, at, c.raw) + "\"}";
        const Value v = Value::parse(text);
        const std::string want = with_at(n, at, c.decoded);
        REQUIRE(v.as_object().size() == 1);
        REQUIRE(v.as_object()[0].key == "k" + want);
        REQUIRE(v.as_object()[0].value.as_string() == want);
        // The writer escapes what it must and copies UTF-8 as is, so text written reads back.
        REQUIRE(Value::parse(v.dump()) == v);
      }
    }
  }
}

TEST_CASE("a raw control character is reported at its own column wherever it falls", "[json]") {
  for (std::size_t n = 0; n <= 20; ++n) {
    for (std::size_t at = 0; at <= n; ++at) {
      const std::string text = "[\"" + with_at(n, at, "\t") + "\"]";
      try {
        Value::parse(text);
        FAIL("a raw tab inside a string was accepted");
      } catch (const ParseError& e) {
        CHECK(e.where().column == at + 3);
        CHECK(e.reason() == "a control character must be escaped in a string");
      }
    }
  }
}

TEST_CASE("the writer escapes quotes, backslashes and controls at every offset", "[json]") {
  for (const std::string special : {"\"", "\\", "\x01", "\x1f", "\n"}) {
    for (std::size_t n = 0; n <= 20; ++n) {
      for (std::size_t at = 0; at <= n; ++at) {
        const std::string s = with_at(n, at, special);
        const std::string written = Value(s).dump();
        CHECK(written.size() > s.size() + 2);  // one escape, at least
        CHECK(Value::parse(written).as_string() == s);
      }
    }
  }
}

TEST_CASE("a document that fails deep inside leaves nothing behind for the next one", "[json]") {
  const std::string good = R"({"a":[1,{"b":[true,null,"x"]}],"c":{"d":"e"}})";
  const Value expected = Value::parse(good);
  for (const char* bad : {R"({"a":[1,{"b":[true,null,"x")", R"({"a":[1,{"b":[true,}]}]})", R"({"a":{"b":{"c":tru}}})"}) {
    CHECK_THROWS_AS(Value::parse(bad), ParseError);
    const Value again = Value::parse(good);
    CHECK(again == expected);
    CHECK(again.dump() == good);
  }
}

TEST_CASE("dump_to appends after what the string holds, however long each piece", "[json]") {
  std::string out = "prefix\n";
  std::string want = out;
  for (std::size_t n = 0; n <= 5000; n += 499) {
    const Value v = Value::parse("{\"s\":\"" + with_at(n, n / 2, "\\n") + "\",\"k\":[1,true,null]}");
    v.dump_to(out);
    out += '\n';
    want += v.dump() + '\n';
  }
  CHECK(out == want);
  CHECK(out.rfind("prefix\n{\"s\":\"", 0) == 0);
}
