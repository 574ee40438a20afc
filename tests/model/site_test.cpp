#include <catch2/catch.hpp>

#include "model/session.hpp"
#include "terminology/codes.hpp"

using namespace mfr;

TEST_CASE("every spinal level has a name and a SNOMED CT code that map back to it", "[model][terminology]") {
  for (int i = 0; i < kSpinalLevelCount; ++i) {
    const auto level = static_cast<SpinalLevel>(i);
    CHECK(level_from_name(level_name(level)) == level);
    CHECK(terminology::level_from_snomed(terminology::level_coding(level).code) == level);
  }
  CHECK(terminology::level_coding(SpinalLevel::T4).code == "73071006");
  CHECK(terminology::level_coding(SpinalLevel::L5).code == "49668003");
  CHECK(level_from_name("t11") == SpinalLevel::T11);
  CHECK_FALSE(level_from_name("T13"));
}

TEST_CASE("every coded region maps back from its SNOMED CT code", "[model][terminology]") {
  for (int i = 0; i < kBodyRegionCount; ++i) {
    const auto region = static_cast<BodyRegion>(i);
    CHECK(region_from_key(region_key(region)) == region);
    if (auto coding = terminology::region_coding(region)) {
      CHECK(terminology::region_from_snomed(coding->code) == region);
    } else {
      CHECK(region == BodyRegion::Other);
    }
  }
  CHECK(terminology::region_coding(BodyRegion::UpperTrapezius)->code == "31764008");
}

TEST_CASE("bilateral means two findings with the same values", "[model]") {
  Session s;
  Finding f;
  f.site = Site::vertebra(SpinalLevel::T4, Side::Midline);
  f.restriction = RestrictionGrade::Moderate;
  f.pain_nrs = 6;
  add_bilateral(s, f);
  REQUIRE(s.findings.size() == 2);
  CHECK(s.findings[0].site.side == Side::Left);
  CHECK(s.findings[1].site.side == Side::Right);
  CHECK(s.findings[1].pain_nrs == 6);
}

TEST_CASE("every restriction grade has a code that maps back to it, and a value outside the enum reads no table",
          "[model][terminology]") {
  for (int g = 0; g <= 3; ++g) {
    const auto grade = static_cast<RestrictionGrade>(g);
    const terminology::Coding coding = terminology::grade_coding(grade);
    CHECK(coding.code == std::string(1, static_cast<char>('0' + g)));
    CHECK(coding.display == grade_name(grade));
    CHECK(terminology::grade_from_code(coding.code) == grade);
  }
  // A host's stray value (the ABI checks its enums; internal callers might not): the last grade,
  // as grade_name() says, never a read past a table.
  const auto stray = static_cast<RestrictionGrade>(200);
  CHECK(terminology::grade_coding(stray).code == "3");
  CHECK(terminology::grade_coding(stray).display == grade_name(stray));
}
