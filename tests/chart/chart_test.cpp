// Spine map: what each cell says, which rows are drawn, text, privacy and determinism.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>

#include "chart/chart.hpp"
#include "chart/labels.hpp"
#include "chart/scale.hpp"
#include "example_sessions.hpp"
#include "svg_read.hpp"

using namespace mfr;
using namespace mfr::chart_test;
using G = RestrictionGrade;
using R = ReleaseResponse;

namespace {

Element cell(const std::vector<Element>& elements, std::string level, std::string side) {
  auto found = select(elements, "cell", {{"data-level", level}, {"data-side", side}});
  REQUIRE(found.size() == 1);
  return found.front();
}

std::set<std::string> shown_levels(const std::vector<Element>& elements) {
  std::set<std::string> levels;
  for (const auto& e : elements)
    if (e.has("data-level") && !e.has("data-session")) levels.insert(e.get("data-level"));
  return levels;
}

}  // namespace

TEST_CASE("a spine map cell carries the grade, pain, release and tenderness of its finding", "[chart][spine]") {
  const Session session = first_visit();
  const auto elements = read_elements(chart::render_spine_map(session));

  // Every finding of the session is read back from the cell of its site and side.
  for (const Finding& f : session.findings) {
    if (!f.site.is_vertebra()) continue;
    const Element e = cell(elements, std::string(level_name(f.site.level)), std::string(side_name(f.site.side)));
    CHECK(e.get("class") == "cell finding");
    CHECK(e.get("data-grade") == (f.restriction ? std::to_string(static_cast<int>(*f.restriction)) : "ungraded"));
    CHECK(e.get("data-pain") == (f.pain_nrs ? std::to_string(*f.pain_nrs) : ""));
    CHECK(e.get("data-released") == release_key(f.released));
    CHECK(e.get("data-tender") == (f.tender ? (*f.tender ? "true" : "false") : ""));
  }
  const Element t4 = cell(elements, "T4", "left");
  CHECK(t4.get("data-grade") == "2");
  CHECK(t4.get("data-pain") == "6");
  CHECK(t4.get("data-released") == "partial");
  CHECK(t4.get("data-tender") == "true");
  // T7 is shown as the neighbour below T6 but has no finding.
  CHECK(cell(elements, "T7", "right").get("class") == "cell empty");
  CHECK_FALSE(cell(elements, "T7", "right").has("data-grade"));
}

TEST_CASE("the spine map shows the levels with findings and one neighbour above and below", "[chart][spine]") {
  Session s = session_on("2019-03-04", "S1");
  s.findings = {at(SpinalLevel::T4, Side::Left, G::Moderate, 6), at(SpinalLevel::T5, Side::Right, G::Mild),
                at(SpinalLevel::L5, Side::Left, G::Mild), at(SpinalLevel::C1, Side::Right, G::None)};
  const auto levels = shown_levels(read_elements(chart::render_spine_map(s)));
  CHECK(levels == std::set<std::string>{"C1", "C2", "T3", "T4", "T5", "T6", "L4", "L5", "sacrum"});

  SECTION("the full spine option draws all 25 levels, each with a left and a right cell") {
    chart::ChartOptions options;
    options.levels = chart::ChartOptions::Levels::FullSpine;
    const auto elements = read_elements(chart::render_spine_map(s, options));
    CHECK(shown_levels(elements).size() == 25);
    for (int i = 0; i < kSpinalLevelCount; ++i) {
      const std::string level(level_name(static_cast<SpinalLevel>(i)));
      CHECK(select(elements, "cell", {{"data-level", level}, {"data-side", "left"}}).size() == 1);
      CHECK(select(elements, "cell", {{"data-level", level}, {"data-side", "right"}}).size() == 1);
      CHECK(select(elements, "vertebra", {{"data-level", level}}).size() == 1);
    }
    CHECK(select(elements, "finding").size() == 4);
  }
}

TEST_CASE("a midline finding is drawn in the centre box of its level, beside left and right findings",
          "[chart][spine]") {
  Session s = session_on("2019-03-04", "S1");
  s.findings = {at(SpinalLevel::L3, Side::Midline, G::Marked, 8), at(SpinalLevel::L3, Side::Left, G::Mild, 2),
                at(SpinalLevel::L3, Side::Right, std::nullopt)};
  const auto elements = read_elements(chart::render_spine_map(s));
  CHECK(cell(elements, "L3", "midline").get("data-grade") == "3");
  CHECK(cell(elements, "L3", "midline").get("data-pain") == "8");
  CHECK(cell(elements, "L3", "left").get("data-grade") == "1");
  CHECK(cell(elements, "L3", "right").get("data-grade") == "ungraded");
  // The centre box of a level with a midline finding is the finding, not a plain vertebra.
  CHECK(select(elements, "vertebra", {{"data-level", "L3"}}).empty());
  CHECK(select(elements, "vertebra", {{"data-level", "L2"}}).size() == 1);
  // Left of the centre, right of the centre.
  const auto rect_x = [&](const std::string& side) {
    const auto all = read_elements(chart::render_spine_map(s));
    for (std::size_t i = 0; i < all.size(); ++i)
      if (all[i].get("data-level") == "L3" && all[i].get("data-side") == side)
        for (std::size_t k = i + 1; k < all.size(); ++k)
          if (all[k].name == "rect") return all[k].number("x");
    return -1.0;
  };
  CHECK(rect_x("left") < rect_x("midline"));
  CHECK(rect_x("midline") < rect_x("right"));
}

TEST_CASE("every off-spine region gets a row, with a cell per side and one wide cell for the midline",
          "[chart][spine]") {
  Session s = session_on("2019-03-04", "S1");
  const BodyRegion regions[] = {BodyRegion::UpperTrapezius, BodyRegion::RibCage,    BodyRegion::Interscapular,
                                BodyRegion::LumbarRegion,   BodyRegion::Scapular,   BodyRegion::ChestWall,
                                BodyRegion::Neck,           BodyRegion::Shoulder};
  int pain = 0;
  for (const BodyRegion r : regions) s.findings.push_back(finding(Site::at_region(r, Side::Left), G::Mild, pain++));
  s.findings.push_back(finding(Site::at_region(BodyRegion::Other, Side::Right, "gluteal fold"), G::Moderate, 4));
  s.findings.push_back(finding(Site::at_region(BodyRegion::Other, Side::Midline, "sternum"), G::None));
  s.findings.push_back(finding(Site::at_region(BodyRegion::Interscapular, Side::Midline), G::Marked, 7));

  const std::string svg = chart::render_spine_map(s);
  const auto elements = read_elements(svg);
  pain = 0;
  for (const BodyRegion r : regions) {
    const auto left = select(elements, "finding", {{"data-region", std::string(region_key(r))}, {"data-side", "left"}});
    REQUIRE(left.size() == 1);
    CHECK(left.front().get("data-pain") == std::to_string(pain++));
    // A region with a finding on one side still shows the other side, empty.
    CHECK(select(elements, "empty", {{"data-region", std::string(region_key(r))}, {"data-side", "right"}}).size() == 1);
    CHECK(svg.find(">" + std::string(region_label(r))) != std::string::npos);
  }
  CHECK(select(elements, "finding", {{"data-region", "other"}, {"data-region-text", "gluteal fold"}}).size() == 1);
  CHECK(only(select(elements, "finding", {{"data-region-text", "sternum"}, {"data-side", "midline"}}))
            .get("data-grade") == "0");
  CHECK(only(select(elements, "finding", {{"data-region", "interscapular"}, {"data-side", "midline"}}))
            .get("data-grade") == "3");
  // Only off-spine findings: no spinal rows, and the chart says so.
  CHECK(shown_levels(elements).empty());
  CHECK(svg.find("No findings on the spine") != std::string::npos);
}

TEST_CASE("free text with markup characters is escaped in cells, data attributes and titles", "[chart][spine]") {
  Session s = session_on("2019-03-04", "S1");
  const std::string nasty = "<b>\"hip\" & 'groin'</b>";
  s.findings.push_back(finding(Site::at_region(BodyRegion::Other, Side::Left, nasty), G::Mild, 3));
  chart::ChartOptions options;
  options.title = "Findings <script>alert(1)</script> & more";
  options.show_patient = true;
  options.patient_label = "O'Brien, \"Jo\" <jo@example.org>";
  const std::string svg = chart::render_spine_map(s, options);
  CHECK(svg.find("<b>") == std::string::npos);
  CHECK(svg.find("<script>") == std::string::npos);
  CHECK(svg.find("&lt;b&gt;&quot;hip&quot; &amp; &apos;groin&apos;&lt;/b&gt;") != std::string::npos);
  const auto elements = read_elements(svg);
  CHECK(select(elements, "finding", {{"data-region-text", nasty}}).size() == 1);
  CHECK(text_of(svg, "title") == options.title);
  CHECK(svg.find("O&apos;Brien, &quot;Jo&quot; &lt;jo@example.org&gt;") != std::string::npos);
}

TEST_CASE("control characters and broken UTF-8 in free text never break the document", "[chart][spine]") {
  Session s = session_on("2019-03-04", "S1");
  s.findings.push_back(finding(Site::at_region(BodyRegion::Other, Side::Left, std::string("rib\x01\x1f \xff\xfe ok\xc3")),
                               G::Mild));
  const std::string svg = chart::render_spine_map(s);
  CHECK(svg.find('\x1f') == std::string::npos);
  CHECK(svg.find("\xff") == std::string::npos);
  CHECK(select(read_elements(svg), "finding", {{"data-region-text", "rib \xEF\xBF\xBD\xEF\xBF\xBD ok\xEF\xBF\xBD"}})
            .size() == 1);
}

TEST_CASE("the patient's reference never appears, and the host's label only when asked", "[chart][spine]") {
  Session s = first_visit();
  s.patient = "Patient/secret-4711";
  chart::ChartOptions options;
  options.patient_label = "Jane Roe, born 1961";
  std::string svg = chart::render_spine_map(s, options);
  CHECK(svg.find("secret-4711") == std::string::npos);
  CHECK(svg.find("Jane Roe") == std::string::npos);
  options.show_patient = true;
  svg = chart::render_spine_map(s, options);
  CHECK(svg.find("secret-4711") == std::string::npos);
  CHECK(svg.find("Jane Roe, born 1961") != std::string::npos);
}

TEST_CASE("a session with no findings renders a chart that says so", "[chart][spine]") {
  const Session s = session_on("2019-05-06", "S-empty");
  const std::string svg = chart::render_spine_map(s);
  const auto elements = read_elements(svg);
  CHECK(select(elements, "cell").empty());
  CHECK(svg.find(">No findings recorded<") != std::string::npos);
  CHECK(text_of(svg, "desc") == "Session 2019-05-06: No findings recorded.");
  CHECK(elements.front().name == "svg");
  CHECK(elements.front().get("data-findings") == "0");
}

TEST_CASE("missing pain scores are left out and VAS is written as VAS with its millimetres", "[chart][spine]") {
  Session s = session_on("2019-03-04", "S1");
  s.findings = {at(SpinalLevel::T8, Side::Left, G::Moderate), at(SpinalLevel::T8, Side::Right, G::Mild)};
  s.findings[1].pain_vas_mm = Decimal::parse("62.5");
  const std::string svg = chart::render_spine_map(s);
  const auto elements = read_elements(svg);
  CHECK_FALSE(cell(elements, "T8", "left").has("data-pain"));
  CHECK_FALSE(cell(elements, "T8", "left").has("data-pain-vas"));
  CHECK(cell(elements, "T8", "right").get("data-pain-vas") == "62.5");
  CHECK(svg.find(">VAS 62.5<") != std::string::npos);
  CHECK(svg.find("/10<") == std::string::npos);
  CHECK(text_of(svg, "desc") == "Session 2019-03-04: 2 restricted sites, worst: T8 Left (moderate), pain VAS 62.5 mm.");
}

TEST_CASE("findings entered in error are left out and a later finding at the same site wins", "[chart][spine]") {
  Session s = session_on("2019-03-04", "S1");
  s.findings = {at(SpinalLevel::T2, Side::Left, G::Marked, 9), at(SpinalLevel::T2, Side::Left, G::Mild, 2),
                at(SpinalLevel::T9, Side::Right, G::Marked, 9)};
  s.findings[2].status = FindingStatus::EnteredInError;
  const auto elements = read_elements(chart::render_spine_map(s));
  CHECK(cell(elements, "T2", "left").get("data-grade") == "1");
  CHECK(select(elements, "finding").size() == 1);
  CHECK(shown_levels(elements).count("T9") == 0);
}

TEST_CASE("the text alternative summarises the session and the root is an accessible image", "[chart][spine]") {
  const std::string svg = chart::render_spine_map(first_visit());
  CHECK(text_of(svg, "desc") ==
        "Session 2019-03-04: 12 restricted sites, worst: T4 Right (marked), pain 7/10.");
  const auto root = read_elements(svg).front();
  REQUIRE(root.name == "svg");
  CHECK(root.get("role") == "img");
  const std::string ids = root.get("aria-labelledby");
  const auto space = ids.find(' ');
  REQUIRE(space != std::string::npos);
  CHECK(svg.find("<title id=\"" + ids.substr(0, space) + "\">") != std::string::npos);
  CHECK(svg.find("<desc id=\"" + ids.substr(space + 1) + "\">") != std::string::npos);
}

TEST_CASE("every text is at least 11px at the default width", "[chart][spine][course]") {
  for (const std::string& svg : {chart::render_spine_map(first_visit()), chart::render_course(course())}) {
    int texts = 0;
    for (const auto& e : read_elements(svg)) {
      if (e.name != "text") continue;
      ++texts;
      CHECK(e.number("font-size") >= 11);
    }
    CHECK(texts > 20);
    CHECK(read_elements(svg).front().number("width") >= 480);
  }
}

TEST_CASE("rendering twice gives the same bytes, and different charts get different ids", "[chart][spine][course]") {
  const Session s = first_visit();
  CHECK(chart::render_spine_map(s) == chart::render_spine_map(s));
  CHECK(chart::render_course(course()) == chart::render_course(course()));
  chart::ChartOptions french;
  french.language = "fr";
  const auto a = read_elements(chart::render_spine_map(s)).front().get("aria-labelledby");
  const auto b = read_elements(chart::render_spine_map(s, french)).front().get("aria-labelledby");
  CHECK(a != b);
}

TEST_CASE("labels follow the language, and an unknown language falls back to English", "[chart][labels]") {
  chart::ChartOptions options;
  options.language = "fr";
  std::string svg = chart::render_spine_map(first_visit(), options);
  CHECK(svg.find(">Gauche<") != std::string::npos);
  CHECK(svg.find(">trap\xC3\xA8ze sup\xC3\xA9rieur<") != std::string::npos);
  CHECK(svg.find("xml:lang=\"fr\"") != std::string::npos);
  options.language = "de-CH";
  svg = chart::render_spine_map(first_visit(), options);
  CHECK(svg.find(">Links<") != std::string::npos);
  CHECK(svg.find(">oberer Trapezius<") != std::string::npos);
  options.language = "tlh";
  svg = chart::render_spine_map(first_visit(), options);
  CHECK(svg.find(">Left<") != std::string::npos);
  CHECK(svg.find("xml:lang=\"en\"") != std::string::npos);
  // Every language names every region and grade.
  for (const char* lang : {"en", "fr", "de"}) {
    const auto& labels = chart::labels_for(lang);
    CHECK(labels.language == lang);
    for (const auto region : labels.regions) CHECK_FALSE(region.empty());
    for (const auto grade : labels.grades) CHECK_FALSE(grade.empty());
  }
}

TEST_CASE("a requested height scales the drawing into it and a tiny width is raised to a readable one",
          "[chart][spine]") {
  chart::ChartOptions options;
  const auto natural = read_elements(chart::render_spine_map(first_visit(), options)).front();
  options.height_px = 300;
  const auto fitted = read_elements(chart::render_spine_map(first_visit(), options)).front();
  CHECK(fitted.get("height") == "300");
  CHECK(fitted.get("viewBox") == natural.get("viewBox"));  // same drawing, scaled by the viewer
  CHECK(fitted.get("preserveAspectRatio") == "xMidYMin meet");
  options.height_px = 0;
  options.width_px = 50;
  const auto narrow = read_elements(chart::render_spine_map(first_visit(), options)).front();
  CHECK(narrow.get("width") == "320");
}

TEST_CASE("a session without a start date still gets a spine map, without a date", "[chart][spine]") {
  Session s = first_visit();
  s.start = DateTime();
  const std::string svg = chart::render_spine_map(s);
  CHECK(text_of(svg, "desc").rfind("Session: 12 restricted sites", 0) == 0);
  CHECK(read_elements(svg).front().get("data-date").empty());
  CHECK(select(read_elements(svg), "finding").size() == s.findings.size());
}
