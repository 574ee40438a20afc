#include <catch2/catch.hpp>

#include "model/date_time.hpp"

using mfr::DateTime;
using mfr::Decimal;

TEST_CASE("R4 dateTime values of every precision are accepted and keep their text", "[model]") {
  for (const char* text : {"2019", "2019-03", "2019-03-04", "2019-03-04T10:30:00Z", "2019-03-04T10:30:00+01:00",
                           "2019-03-04T10:30:00.250-05:00", "2020-02-29"}) {
    INFO(text);
    const auto dt = DateTime::parse(text);
    REQUIRE(dt);
    CHECK(dt->text() == text);
  }
}

TEST_CASE("invalid dateTime values are refused", "[model]") {
  for (const char* text : {"", "19", "2019-13", "2019-02-29", "2019-03-04T10:30", "2019-03-04T10:30:00",
                           "2019-03-04 10:30:00Z", "2019-03-04T25:00:00Z", "04/03/2019", "2019-03-04T10:30:00+15:00"}) {
    INFO(text);
    CHECK_FALSE(DateTime::parse(text));
  }
}

TEST_CASE("time zones are honoured when ordering", "[model]") {
  const auto a = DateTime::parse("2019-03-04T10:30:00+01:00");
  const auto b = DateTime::parse("2019-03-04T09:30:00Z");
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->epoch_seconds() == b->epoch_seconds());
  CHECK(DateTime::parse("1970-01-02")->epoch_seconds() == 86400);
}

TEST_CASE("decimals keep their text and refuse what FHIR refuses", "[model]") {
  CHECK(Decimal::parse("1.50")->text == "1.50");
  CHECK(Decimal::parse("60")->value() == 60.0);
  for (const char* bad : {"", "01", "1.", ".5", "1e", "+1", "1,5", "NaN"}) {
    INFO(bad);
    CHECK_FALSE(Decimal::parse(bad));
  }
}
