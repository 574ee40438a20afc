#include <catch2/catch.hpp>

#include "json/json.hpp"

using mfr::json::ParseError;
using mfr::json::Value;

TEST_CASE("a FHIR decimal keeps its text through parse and dump", "[json]") {
  const Value v = Value::parse(R"({"valueDecimal":1.50,"n":60,"e":1.0e-3})");
  CHECK(v.find("valueDecimal")->number_text() == "1.50");
  CHECK(v.dump() == R"({"valueDecimal":1.50,"n":60,"e":1.0e-3})");
}

TEST_CASE("members keep their order and their source position", "[json]") {
  const Value v = Value::parse("{\n  \"resourceType\": \"Observation\",\n  \"status\": \"final\"\n}");
  REQUIRE(v.as_object().size() == 2);
  CHECK(v.as_object()[0].key == "resourceType");
  CHECK(v.find("status")->position().line == 3);
  CHECK(v.find("status")->position().column == 13);
}

TEST_CASE("malformed JSON says what is wrong and at which line and column", "[json]") {
  SECTION("truncated object") {
    try {
      Value::parse("{\n  \"status\": \"final\",\n");
      FAIL("parse accepted truncated JSON");
    } catch (const ParseError& e) {
      CHECK(e.where().line == 3);
      CHECK(e.reason() == "the text ends inside an object");
    }
  }
  SECTION("missing colon") {
    try {
      Value::parse(R"({"status" "final"})");
      FAIL("parse accepted a missing colon");
    } catch (const ParseError& e) {
      CHECK(e.where().line == 1);
      CHECK(e.where().column == 11);
      CHECK_THAT(e.reason(), Catch::Contains("':' was expected"));
    }
  }
  SECTION("trailing text") { CHECK_THROWS_WITH(Value::parse("{} x"), Catch::Contains("after the JSON value")); }
  SECTION("leading zero") { CHECK_THROWS_AS(Value::parse("[01]"), ParseError); }
  SECTION("bare control character") { CHECK_THROWS_WITH(Value::parse("[\"a\tb\"]"), Catch::Contains("control character")); }
  SECTION("invalid UTF-8") { CHECK_THROWS_WITH(Value::parse("[\"\xC3\x28\"]"), Catch::Contains("UTF-8")); }
  SECTION("overlong UTF-8") { CHECK_THROWS_WITH(Value::parse("[\"\xE0\x80\xAF\"]"), Catch::Contains("UTF-8")); }
  SECTION("lone surrogate") { CHECK_THROWS_WITH(Value::parse(R"(["\uDC00"])"), Catch::Contains("surrogate")); }
  SECTION("empty text") { CHECK_THROWS_WITH(Value::parse("  "), Catch::Contains("empty")); }
}

TEST_CASE("hostile nesting is refused rather than overflowing the stack", "[json]") {
  const std::string deep(100000, '[');
  CHECK_THROWS_WITH(Value::parse(deep), Catch::Contains("nesting deeper than 64"));
  CHECK_NOTHROW(Value::parse(std::string(60, '[') + std::string(60, ']')));
}

TEST_CASE("strings round-trip escapes and non-ASCII text", "[json]") {
  const Value v = Value::parse(R"(["Schmerz \u00fcber T4\n\"L>R\"", "😀 \ud83d\ude00", "tab\there"])");
  CHECK(v.as_array()[0].as_string() == "Schmerz \xC3\xBC" "ber T4\n\"L>R\"");
  CHECK(v.as_array()[1].as_string() == "\xF0\x9F\x98\x80 \xF0\x9F\x98\x80");
  CHECK(Value::parse(v.dump()) == v);
  CHECK(v.dump() == "[\"Schmerz \xC3\xBC" "ber T4\\n\\\"L>R\\\"\",\"\xF0\x9F\x98\x80 \xF0\x9F\x98\x80\",\"tab\\there\"]");
}

TEST_CASE("same_content ignores member order but not values", "[json]") {
  const Value a = Value::parse(R"({"a":1,"b":[true,null,"x"]})");
  const Value b = Value::parse(R"({"b":[true,null,"x"],"a":1})");
  const Value c = Value::parse(R"({"b":[true,null,"y"],"a":1})");
  CHECK(a != b);
  CHECK(mfr::json::same_content(a, b));
  CHECK_FALSE(mfr::json::same_content(a, c));
  CHECK_FALSE(mfr::json::same_content(Value::parse("2"), Value::parse("2.0")));
  CHECK(mfr::json::same_content(Value::parse("2"), Value::parse("2.0"), true));
}

TEST_CASE("integers are told apart from decimals", "[json]") {
  CHECK(Value::parse("6").as_integer() == 6);
  CHECK(Value::parse("-2").as_integer() == -2);
  CHECK_FALSE(Value::parse("6.0").as_integer());
  CHECK_FALSE(Value::parse("1e2").as_integer());
  CHECK_FALSE(Value::parse("\"6\"").as_integer());
}

TEST_CASE("pretty output indents by two spaces", "[json]") {
  const Value v = Value::parse(R"({"a":[1,{}],"b":{}})");
  CHECK(v.dump(true) == "{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": {}\n}");
}

TEST_CASE("values copy deeply, move cheaply and keep their position", "[json]") {
  Value original = Value::parse("{\"a\":[1,\"two\",{\"b\":null}],\"c\":true,\"d\":2.50}");
  const Value copy = original;  // NOLINT(performance-unnecessary-copy-initialization): the copy is the subject
  CHECK(copy == original);
  original["a"].push_back("three");
  CHECK(copy.find("a")->size() == 3);  // a deep copy, not shared
  CHECK_FALSE(copy == original);
  Value moved = std::move(original);
  CHECK(moved.find("a")->size() == 4);
  CHECK(moved.find("d")->number_text() == "2.50");
  CHECK(moved.find("c")->position().column == 31);
  // Assigning a value its own member drops the rest of it, without reading freed memory.
  moved = std::move(moved["a"]);
  REQUIRE(moved.is_array());
  CHECK(moved.dump() == R"([1,"two",{"b":null},"three"])");
  moved = moved.as_array()[2];  // copy of its own item
  CHECK(moved.dump() == R"({"b":null})");
  CHECK_THROWS_AS(moved.as_string(), std::logic_error);
  CHECK(Value(2) == Value::number("2"));
  CHECK_FALSE(Value(2) == Value("2"));
}

TEST_CASE("add appends members in order without looking them up", "[json]") {
  Value v;
  v.add("resourceType", "Observation");
  v.add("status", "final").set_position({3, 4});
  v["status"] = "amended";  // operator[] finds what add appended
  CHECK(v.dump() == R"({"resourceType":"Observation","status":"amended"})");
  CHECK(v.find("status")->position().line == 0);  // a fresh value replaced it
  CHECK_THROWS_AS(Value(true).add("x", 1), std::logic_error);
}
