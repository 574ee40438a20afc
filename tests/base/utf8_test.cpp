#include <catch2/catch.hpp>

#include <string>

#include "base/utf8.hpp"

using namespace mfr::base;

TEST_CASE("a well-formed sequence has its length, from one to four bytes", "[base][utf8]") {
  CHECK(utf8::sequence_length("a", 0) == 1);
  CHECK(utf8::sequence_length("\xC3\xA9", 0) == 2);          // é
  CHECK(utf8::sequence_length("\xE2\x80\x94", 0) == 3);      // em dash
  CHECK(utf8::sequence_length("\xF0\x9F\x98\x80", 0) == 4);  // U+1F600
  CHECK(utf8::sequence_length("x\xC3\xA9", 1) == 2);
  CHECK(utf8::sequence_length("\xF4\x8F\xBF\xBF", 0) == 4);  // U+10FFFF, the last code point
  CHECK(utf8::sequence_length("\xED\x9F\xBF", 0) == 3);      // U+D7FF, just below the surrogates
}

TEST_CASE("ill-formed bytes have length 0: stray, truncated, overlong, surrogate, past U+10FFFF",
          "[base][utf8]") {
  CHECK(utf8::sequence_length("\x80", 0) == 0);              // a continuation byte alone
  CHECK(utf8::sequence_length("\xC3", 0) == 0);              // truncated
  CHECK(utf8::sequence_length("\xE2\x80", 0) == 0);          // truncated
  CHECK(utf8::sequence_length("\xC3(", 0) == 0);             // not a continuation
  CHECK(utf8::sequence_length("\xC0\xAF", 0) == 0);          // overlong '/'
  CHECK(utf8::sequence_length("\xE0\x80\xAF", 0) == 0);      // overlong '/'
  CHECK(utf8::sequence_length("\xF0\x80\x80\xAF", 0) == 0);  // overlong '/'
  CHECK(utf8::sequence_length("\xED\xA0\x80", 0) == 0);      // U+D800, a surrogate
  CHECK(utf8::sequence_length("\xF4\x90\x80\x80", 0) == 0);  // U+110000
  CHECK(utf8::sequence_length("\xF5\x80\x80\x80", 0) == 0);
  CHECK(utf8::lead_length(0xC1) == 0);
  CHECK(utf8::lead_length(0xE9) == 3);
}

TEST_CASE("is_valid accepts clinicians' text and refuses Windows-1252 bytes", "[base][utf8]") {
  CHECK(utf8::is_valid(""));
  CHECK(utf8::is_valid("Rouler-palper T4 \xE2\x80\x93 douleur 6/10, am\xC3\xA9lioration"));
  CHECK_FALSE(utf8::is_valid("am\xE9lioration"));  // é in Windows-1252
  CHECK_FALSE(utf8::is_valid("end\xC3"));
}

TEST_CASE("append encodes every length and round-trips through sequence_length", "[base][utf8]") {
  std::string out;
  for (char32_t cp : {U'A', U'\u00E9', U'\u2014', U'\U0001F600', U'\U0010FFFF'}) {
    const std::size_t at = out.size();
    utf8::append(out, cp);
    CHECK(utf8::sequence_length(out, at) == out.size() - at);
  }
  CHECK(out == "A\xC3\xA9\xE2\x80\x94\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF");
}

TEST_CASE("replace_invalid turns each ill-formed byte into U+FFFD and keeps the rest", "[base][utf8]") {
  CHECK(utf8::replace_invalid("Patient/\xC3\xA9") == "Patient/\xC3\xA9");
  CHECK(utf8::replace_invalid("id\xFF\xFEx") == "id\xEF\xBF\xBD\xEF\xBF\xBDx");
  CHECK(utf8::replace_invalid("\xE2\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(utf8::is_valid(utf8::replace_invalid("\xED\xA0\x80 \xC0\xAF")));
}

TEST_CASE("length counts characters, an ill-formed byte as one", "[base][utf8]") {
  CHECK(utf8::length("") == 0);
  CHECK(utf8::length("T4 \xE2\x80\x94 L5") == 7);
  CHECK(utf8::length("a\xFF" "b") == 3);
}
