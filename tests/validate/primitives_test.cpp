// The primitive formats of R4 (the specification's regexes, checked by hand), one valid and one
// invalid value for every kind, and the same rule seen through the validator.
#include "helpers.hpp"
#include "validate/primitives.hpp"

#include <cmath>
#include <cstdlib>

using namespace mfr;
using namespace mfr::validate;
using namespace mfr::validate::test;
using r4::Kind;

namespace {
bool ok(Kind k, std::string_view s) { return check_string_primitive(k, s).empty(); }
}  // namespace

TEST_CASE("id is 1-64 letters, digits, '-' and '.'", "[validate][primitive]") {
  CHECK(ok(Kind::Id, "finding-2019.03"));
  CHECK(ok(Kind::Id, std::string(64, 'a')));
  CHECK_FALSE(ok(Kind::Id, std::string(65, 'a')));
  CHECK_FALSE(ok(Kind::Id, "a_b"));
  CHECK_FALSE(ok(Kind::Id, "a/b"));
}

TEST_CASE("uri, url and canonical have no whitespace", "[validate][primitive]") {
  for (Kind k : {Kind::Uri, Kind::Url, Kind::Canonical}) {
    CHECK(ok(k, "https://mfr-fhir.org/fhir/CodeSystem/mfr"));
    CHECK(ok(k, "urn:ietf:rfc:3986"));
    CHECK_FALSE(ok(k, "https://mfr-fhir.org/fhir /x"));
    CHECK_FALSE(ok(k, "a\tb"));
  }
}

TEST_CASE("code has no leading, trailing or doubled whitespace", "[validate][primitive]") {
  CHECK(ok(Kind::Code, "text/plain; charset=utf-8"));
  CHECK(ok(Kind::Code, "final"));
  CHECK_FALSE(ok(Kind::Code, " final"));
  CHECK_FALSE(ok(Kind::Code, "final "));
  CHECK_FALSE(ok(Kind::Code, "a  b"));
}

TEST_CASE("string and markdown allow any text but form feed and vertical tab", "[validate][primitive]") {
  CHECK(ok(Kind::String, "T4, left\r\n\tdense"));
  CHECK(ok(Kind::Markdown, "**dense** restriction"));
  CHECK_FALSE(ok(Kind::String, "a\fb"));
  CHECK_FALSE(ok(Kind::Markdown, "a\vb"));
  CHECK(has_control_characters(std::string("a\x01") + "b"));
  CHECK_FALSE(has_control_characters("a\tb\r\n"));
}

TEST_CASE("dateTime takes year, month, day or a time with a zone", "[validate][primitive]") {
  for (const char* s : {"2019", "2019-03", "2019-03-04", "2019-03-04T09:30:00+01:00", "2019-03-04T09:30:00.125Z",
                        "2020-02-29", "2019-03-04T23:59:60Z", "2019-03-04T09:30:00+14:00"})
    CHECK(ok(Kind::DateTime, s));
  for (const char* s : {"19", "2019-3", "2019-13", "2019-02-29", "2019-04-31", "2019-03-04T09:30:00", "2019-03-04T09:30Z",
                        "2019-03-04T24:00:00Z", "2019-03-04 09:30:00Z", "2019-03-04T09:30:00+15:00", "0000-01-01",
                        "2019-03-04T09:30:00.Z", "2019-03-04Z"})
    CHECK_FALSE(ok(Kind::DateTime, s));
}

TEST_CASE("date has no time and instant needs one", "[validate][primitive]") {
  CHECK(ok(Kind::Date, "2019-03-04"));
  CHECK(ok(Kind::Date, "2019"));
  CHECK_FALSE(ok(Kind::Date, "2019-03-04T09:30:00Z"));
  CHECK(ok(Kind::Instant, "2019-03-04T09:30:00.000+01:00"));
  CHECK_FALSE(ok(Kind::Instant, "2019-03-04"));
  CHECK_FALSE(ok(Kind::Instant, "2019-03-04T09:30:00"));
}

TEST_CASE("time is hh:mm:ss with an optional fraction and no zone", "[validate][primitive]") {
  CHECK(ok(Kind::Time, "09:30:00"));
  CHECK(ok(Kind::Time, "09:30:00.5"));
  CHECK_FALSE(ok(Kind::Time, "9:30:00"));
  CHECK_FALSE(ok(Kind::Time, "09:30:00Z"));
  CHECK_FALSE(ok(Kind::Time, "25:00:00"));
}

TEST_CASE("oid, uuid and base64Binary follow their patterns", "[validate][primitive]") {
  CHECK(ok(Kind::Oid, "urn:oid:1.2.36.146.595.217.0.1"));
  CHECK_FALSE(ok(Kind::Oid, "urn:oid:3.1"));
  CHECK_FALSE(ok(Kind::Oid, "1.2.3"));
  CHECK_FALSE(ok(Kind::Oid, "urn:oid:1.02"));
  CHECK(ok(Kind::Uuid, "urn:uuid:c757873d-ec9a-4326-a141-556f43239520"));
  CHECK_FALSE(ok(Kind::Uuid, "urn:uuid:C757873D-EC9A-4326-A141-556F43239520"));
  CHECK_FALSE(ok(Kind::Uuid, "c757873d-ec9a-4326-a141-556f43239520"));
  CHECK(ok(Kind::Base64Binary, "UzogbG93IGJh\nY2sgcGFpbg=="));
  CHECK_FALSE(ok(Kind::Base64Binary, "UzogbG93I"));
  CHECK_FALSE(ok(Kind::Base64Binary, "Uzo*bG93"));
}

TEST_CASE("the narrative div must be an XHTML div", "[validate][primitive]") {
  CHECK(ok(Kind::Xhtml, "<div xmlns=\"http://www.w3.org/1999/xhtml\">T4, left</div>"));
  CHECK_FALSE(ok(Kind::Xhtml, "<p>T4, left</p>"));
}

TEST_CASE("dateTimes compare in UTC and partial dates only when they differ", "[validate][primitive]") {
  CHECK(compare_date_times("2019-03-04T09:30:00+01:00", "2019-03-04T08:45:00Z") == -1);
  CHECK(compare_date_times("2019-03-04T10:30:00+01:00", "2019-03-04T09:15:00Z") == 1);
  CHECK(compare_date_times("2019-03-04T10:00:00+01:00", "2019-03-04T09:00:00Z") == 0);
  CHECK(compare_date_times("2019-03", "2019-04-01") == -1);
  CHECK(compare_date_times("2019", "2019-03-04") == 2);
}

TEST_CASE("each primitive kind is checked where the tables put it", "[validate][primitive]") {
  auto obs = load("observation-example.json");
  SECTION("id") {
    obs["id"] = json::Value("body weight");
    require_issue(lenient(obs), Severity::Error, IssueType::Value, "Observation.id");
  }
  SECTION("canonical") {
    obs["meta"]["profile"].push_back(json::Value("http://hl7.org/fhir/StructureDefinition/ vitalsigns"));
    require_issue(lenient(obs), Severity::Error, IssueType::Value, "Observation.meta.profile[0]");
  }
  SECTION("instant") {
    obs["issued"] = json::Value("2016-03-28");
    require_issue(lenient(obs), Severity::Error, IssueType::Value, "Observation.issued");
  }
  SECTION("dateTime") {
    obs["effectiveDateTime"] = json::Value("2016-02-30");
    require_issue(lenient(obs), Severity::Error, IssueType::Value, "Observation.effectiveDateTime");
  }
  SECTION("integer") {
    obs.erase("valueQuantity");
    obs["valueInteger"] = json::Value(4294967296LL);
    require_issue(lenient(obs), Severity::Error, IssueType::Value, "Observation.valueInteger");
  }
  SECTION("positiveInt") {
    obs.erase("valueQuantity");
    obs["valueSampledData"] = parse(R"({"origin":{"value":0},"period":10,"dimensions":0})");
    require_issue(lenient(obs), Severity::Error, IssueType::Value, "Observation.valueSampledData.dimensions");
    obs["valueSampledData"]["dimensions"] = json::Value(1);
    require_no_errors(lenient(obs));
  }
  SECTION("decimal") {
    obs["valueQuantity"]["value"] = json::Value("185");
    require_issue(lenient(obs), Severity::Error, IssueType::Structure, "Observation.valueQuantity.value");
  }
  SECTION("boolean") {
    obs.erase("valueQuantity");
    obs["valueBoolean"] = json::Value(0);
    require_issue(lenient(obs), Severity::Error, IssueType::Structure, "Observation.valueBoolean");
  }
  SECTION("time") {
    obs.erase("valueQuantity");
    obs["valueTime"] = json::Value("9:30");
    require_issue(lenient(obs), Severity::Error, IssueType::Value, "Observation.valueTime");
  }
  SECTION("markdown") {
    obs["note"] = parse(R"([{"text":"a\fb"}])");
    require_issue(lenient(obs), Severity::Error, IssueType::Value, "Observation.note[0].text");
  }
  SECTION("uuid and oid in extensions") {
    obs["extension"] = parse(R"([{"url":"http://example.org/u","valueUuid":"urn:uuid:xyz"},{"url":"http://example.org/o","valueOid":"urn:oid:1.2"}])");
    const auto issues = lenient(obs);
    require_issue(issues, Severity::Error, IssueType::Value, "Observation.extension[0].valueUuid");
    require_no_issue_at(issues, "Observation.extension[1].valueOid");
  }
  SECTION("string with control characters is a warning") {
    obs["code"]["text"] = json::Value(std::string("Body\x01Weight"));
    const auto issues = lenient(obs);
    require_issue(issues, Severity::Warning, IssueType::Value, "Observation.code.text");
    require_no_errors(issues);
  }
}

TEST_CASE("has_bytes_below finds a low byte at every offset of short and long texts", "[validate][primitive]") {
  // The word-at-a-time scan re-reads the last word for the tail: check every length and offset.
  for (std::size_t n = 0; n <= 40; ++n) {
    const std::string clean(n, 'a');
    CHECK_FALSE(has_bytes_below(clean, 0x21));
    for (std::size_t at = 0; at < n; ++at) {
      for (const char low : {' ', '\t', '\0', '\x1f'}) {
        std::string text = clean;
        text[at] = low;
        CHECK(has_bytes_below(text, 0x21));
        CHECK(has_bytes_below(text, 0x20) == (low != ' '));
      }
      std::string high = clean;
      high[at] = '\x80';  // a UTF-8 byte is never "below"
      CHECK_FALSE(has_bytes_below(high, 0x21));
    }
  }
}

TEST_CASE("JSON number texts read as whole numbers and doubles like as_integer and strtod", "[validate][primitive]") {
  for (const char* text : {"0", "-0", "7", "-2", "10", "2147483647", "-2147483648", "123456789012345678", "1234567890123456789",
                           "6.0", "1e2", "-1E-2", "0.5", "100.000001", "99.9999999999999999", "12.25", "-3.75",
                           "123456789012345.6", "0.1", "0.3", "1.7976931348623157e308"}) {
    INFO(text);
    const json::Value v = json::Value::parse(text);
    CHECK(whole_number(v.number_text()) == v.as_integer());
    const double expected = std::strtod(text, nullptr);
    CHECK(number_value(v.number_text()) == expected);
    CHECK(std::signbit(number_value(v.number_text())) == std::signbit(expected));
  }
  // Longer than the stack buffer number_value hands strtod (the DOM's text has no NUL).
  const std::string long_text = "-0." + std::string(150, '0') + "15";
  CHECK(number_value(json::Value::parse(long_text).number_text()) == std::strtod(long_text.c_str(), nullptr));
  CHECK(number_value(json::Value::parse(long_text).number_text()) < 0);
}

TEST_CASE("a MIME type is type/subtype with optional parameters (BCP 13)", "[validate][primitive]") {
  for (const char* good : {"text/plain", "application/pdf", "application/fhir+json", "image/svg+xml", "text/plain; charset=utf-8",
                           "text/plain;charset=UTF-8", "multipart/mixed; boundary=\"a b;c\"", "application/vnd.ms-excel"}) {
    INFO(good);
    CHECK(check_mime_type(good).empty());
  }
  for (const char* bad : {"pdf", "text/", "/plain", "text//plain", "text/plain;", "text/plain; charset", "text/plain; =utf-8",
                          "text/plain charset=utf-8", "text/pl@in", "t\xc3\xa9xt/plain", "text/plain; charset=\"utf-8"}) {
    INFO(bad);
    CHECK_FALSE(check_mime_type(bad).empty());
  }
}
