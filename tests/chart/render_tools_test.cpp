// The charts as other programs see them: xmllint finds them well-formed, rsvg-convert draws
// them without a warning; and the colour scale reads in greyscale.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "chart/chart.hpp"
#include "chart/scale.hpp"
#include "example_sessions.hpp"

using namespace mfr;
using namespace mfr::chart_test;
using G = RestrictionGrade;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Writes the SVG, checks it with xmllint and renders it with rsvg-convert; both must be silent.
void check_with_tools(const std::string& svg, const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("mfr-chart-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path file = dir / (name + ".svg"), png = dir / (name + ".png"), err = dir / (name + ".err");
  std::ofstream(file, std::ios::binary) << svg;
  INFO(name);
  const std::string lint = "xmllint --noout '" + file.string() + "' 2>'" + err.string() + "'";
  CHECK(std::system(lint.c_str()) == 0);
  CHECK(slurp(err).empty());
  const std::string render = "rsvg-convert -o '" + png.string() + "' '" + file.string() + "' 2>'" + err.string() + "'";
  CHECK(std::system(render.c_str()) == 0);
  CHECK(slurp(err).empty());
  const std::string bytes = slurp(png);
  REQUIRE(bytes.size() > 1000);
  CHECK(bytes.substr(1, 3) == "PNG");
  fs::remove_all(dir);
}

double luminance(std::string_view hex) {
  auto channel = [&](int i) {
    const double c = std::stoi(std::string(hex.substr(1 + 2 * i, 2)), nullptr, 16) / 255.0;
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

double lightness(std::string_view hex) {  // CIE L*
  const double y = luminance(hex);
  return y > 0.008856 ? 116 * std::cbrt(y) - 16 : 903.3 * y;
}

}  // namespace

TEST_CASE("spine maps are well-formed XML and render with rsvg-convert without warnings", "[chart][tools]") {
  chart::ChartOptions options;
  check_with_tools(chart::render_spine_map(first_visit(), options), "spine-default");
  check_with_tools(chart::render_spine_map(session_on("2019-01-07", "empty"), options), "spine-empty");

  Session all = first_visit();
  for (const BodyRegion r : {BodyRegion::ChestWall, BodyRegion::Scapular, BodyRegion::LumbarRegion, BodyRegion::Neck,
                             BodyRegion::Shoulder, BodyRegion::SkinOfBack})
    all.findings.push_back(finding(Site::at_region(r, Side::Right), G::Marked, 8));
  all.findings.push_back(finding(Site::at_region(BodyRegion::Other, Side::Left, "<hip> & \"groin\" \x01\xff"), G::None));
  options.levels = chart::ChartOptions::Levels::FullSpine;
  options.show_patient = true;
  options.patient_label = "Roe & <Doe>";
  options.title = "\"Skin\" <rolling> & more";
  check_with_tools(chart::render_spine_map(all, options), "spine-full");
  options.width_px = 480;
  options.height_px = 400;
  options.language = "de";
  check_with_tools(chart::render_spine_map(all, options), "spine-narrow-de");
}

TEST_CASE("course charts are well-formed XML and render with rsvg-convert without warnings", "[chart][tools]") {
  chart::ChartOptions options;
  check_with_tools(chart::render_course(course(), options), "course-default");
  check_with_tools(chart::render_course({first_visit()}, options), "course-one");
  check_with_tools(chart::render_course({}, options), "course-none");
  std::vector<Session> many;
  for (int w = 0; w < 50; ++w) {
    Session s = first_visit();
    s.id = "S" + std::to_string(w);
    s.start = *DateTime::parse(iso_date(17959 + 7 * w + (w % 9 == 0 ? 3 : 0)));
    many.push_back(std::move(s));
  }
  options.levels = chart::ChartOptions::Levels::FullSpine;
  options.language = "fr";
  options.width_px = 640;
  check_with_tools(chart::render_course(many, options), "course-fifty");
}

TEST_CASE("the grade colours get darker with each grade, stay apart in greyscale and keep text readable",
          "[chart][scale]") {
  double previous = lightness(chart::kEmptyFill);
  for (int g = 0; g < 4; ++g) {
    const chart::Grade grade = static_cast<G>(g);
    const double l = lightness(chart::grade_fill(grade));
    INFO("grade " << g << " L* " << l);
    // Distinguishable when printed in grey; "none" stays close to an empty cell on purpose.
    CHECK(previous - l >= (g == 0 ? 5 : 15));
    previous = l;
    const double fill = luminance(chart::grade_fill(grade)), ink = luminance(chart::grade_ink(grade));
    const double contrast = (std::max(fill, ink) + 0.05) / (std::min(fill, ink) + 0.05);
    CHECK(contrast >= 4.5);
  }
  // Not graded differs from "none" in colour, glyph and pattern.
  CHECK(chart::grade_fill(std::nullopt) != chart::grade_fill(G::None));
  CHECK(chart::grade_glyph(std::nullopt) != chart::grade_glyph(G::None));
  CHECK(chart::grade_pattern_id(std::nullopt) != chart::grade_pattern_id(G::None));
  // Every grade has its own glyph and pattern, so colour is never the only cue.
  for (int a = 0; a < 4; ++a)
    for (int b = a + 1; b < 4; ++b) {
      CHECK(chart::grade_glyph(static_cast<G>(a)) != chart::grade_glyph(static_cast<G>(b)));
      CHECK(chart::grade_pattern_id(static_cast<G>(a)) != chart::grade_pattern_id(static_cast<G>(b)));
    }
}

TEST_CASE("the README's example charts are what the renderer draws today", "[chart][golden]") {
  // Regenerate with: chart_examples docs/images
  const fs::path images = fs::path(MFR_TEST_DATA).parent_path().parent_path() / "docs" / "images";
  CHECK(slurp(images / "spine-map.svg") == chart::render_spine_map(first_visit()));
  CHECK(slurp(images / "course.svg") == chart::render_course(course()));
}
