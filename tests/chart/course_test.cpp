// Course chart: heat map cells per session and side, the trend over a date axis, refusals.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "chart/chart.hpp"
#include "example_sessions.hpp"
#include "svg_read.hpp"

using namespace mfr;
using namespace mfr::chart_test;
using G = RestrictionGrade;

namespace {

// The expected session order: by start date.
std::vector<Session> by_date(std::vector<Session> sessions) {
  std::sort(sessions.begin(), sessions.end(),
            [](const Session& a, const Session& b) { return a.start.epoch_seconds() < b.start.epoch_seconds(); });
  return sessions;
}

int restricted(const Session& s) {
  int n = 0;
  for (const auto& f : s.findings) n += f.restriction && *f.restriction >= G::Mild;
  return n;
}

std::int64_t day_of(const Session& s) { return s.start.epoch_seconds() / 86400; }

}  // namespace

TEST_CASE("course heat map cells carry each session's grade per level and side, in date order", "[chart][course]") {
  const auto given = course();
  const auto sorted = by_date(given);
  REQUIRE(given.front().start == sorted.front().start);
  REQUIRE_FALSE(given.back().start == sorted.back().start);  // the input really is out of order
  const auto elements = read_elements(chart::render_course(given));

  std::size_t expected_cells = 0;
  for (std::size_t j = 0; j < sorted.size(); ++j) {
    for (const Finding& f : sorted[j].findings) {
      ++expected_cells;
      const auto found = select(elements, "finding",
                                {{"data-session", std::to_string(j + 1)},
                                 {f.site.is_vertebra() ? "data-level" : "data-region",
                                  std::string(f.site.is_vertebra() ? level_name(f.site.level) : region_key(f.site.region))},
                                 {"data-side", std::string(side_name(f.site.side))}});
      REQUIRE(found.size() == 1);
      CHECK(found.front().get("data-date") == sorted[j].start.date_part());
      CHECK(found.front().get("data-grade") ==
            (f.restriction ? std::to_string(static_cast<int>(*f.restriction)) : "ungraded"));
    }
  }
  CHECK(select(elements, "finding").size() == expected_cells);
  // Midline findings exist (C7 and the interscapular region in the first session), so there is a midline panel.
  CHECK(select(elements, "heatmap", {{"data-side", "midline"}}).size() == 1);
}

TEST_CASE("the course trend places sessions by date and carries highest pain and restricted sites",
          "[chart][course]") {
  const auto sorted = by_date(course());
  const auto elements = read_elements(chart::render_course(course()));
  const auto pains = select(elements, "pain");
  const auto sites = select(elements, "restricted");
  REQUIRE(sites.size() == sorted.size());
  REQUIRE(pains.size() == sorted.size());
  for (std::size_t j = 0; j < sorted.size(); ++j) {
    int max_pain = -1;
    for (const auto& f : sorted[j].findings) max_pain = std::max(max_pain, f.pain_nrs.value_or(-1));
    CHECK(pains[j].get("data-pain") == std::to_string(max_pain));
    CHECK(pains[j].get("data-date") == sorted[j].start.date_part());
    CHECK(sites[j].get("data-restricted") == std::to_string(restricted(sorted[j])));
  }
  // x is proportional to the date: the missed week is twice as wide as a regular one.
  const double x0 = pains.front().number("cx");
  const double per_day = (pains.back().number("cx") - x0) / static_cast<double>(day_of(sorted.back()) - day_of(sorted.front()));
  REQUIRE(per_day > 0);
  for (std::size_t j = 0; j < sorted.size(); ++j)
    CHECK(pains[j].number("cx") ==
          Approx(x0 + per_day * static_cast<double>(day_of(sorted[j]) - day_of(sorted.front()))).margin(0.15));
  // Improvement is visible: the last point sits lower than the first (larger y).
  CHECK(pains.back().number("cy") > pains.front().number("cy"));
}

TEST_CASE("the course text alternative gives first and last pain and restricted sites", "[chart][course]") {
  const std::string svg = chart::render_course(course());
  CHECK(text_of(svg, "desc") ==
        "Course of treatment: 6 sessions, 2019-03-04 \xE2\x80\x93 2019-04-22; highest pain (0\xE2\x80\x93" "10) 7/10 "
        "\xE2\x86\x92 1/10; restricted sites 12 \xE2\x86\x92 0.");
}

TEST_CASE("sessions of two patients are refused with a sentence naming the sessions", "[chart][course]") {
  auto sessions = course();
  sessions[3].patient = "Patient/other";
  try {
    chart::render_course(sessions);
    FAIL("render_course accepted two patients");
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    CHECK(what.find("one patient") != std::string::npos);
    CHECK(what.find(sessions[3].id) != std::string::npos);
    CHECK(what.find("Patient/other") == std::string::npos);  // no patient data in messages
  }
}

TEST_CASE("a session without a start date cannot be placed on the course and is refused", "[chart][course]") {
  auto sessions = course();
  sessions[1].start = DateTime();
  CHECK_THROWS_AS(chart::render_course(sessions), std::invalid_argument);
}

TEST_CASE("a course of one session and a course of none both render", "[chart][course]") {
  const std::string one = chart::render_course({first_visit()});
  const auto elements = read_elements(one);
  CHECK(select(elements, "pain").size() == 1);
  CHECK(text_of(one, "desc") ==
        "Course of treatment: 1 Session, 2019-03-04; highest pain (0\xE2\x80\x93" "10) 7/10; restricted sites 12.");
  const std::string none = chart::render_course({});
  CHECK(select(read_elements(none), "finding").empty());
  CHECK(none.find(">No sessions<") != std::string::npos);
}

TEST_CASE("a course of 50 weekly sessions draws every cell and thins the column numbers", "[chart][course]") {
  std::vector<Session> sessions;
  for (int w = 0; w < 50; ++w) {
    const std::int64_t day = 17959 + 7 * w + (w > 20 ? 21 : 0);  // 2019-03-04 onwards, a three-week break
    Session s = session_on("2019-01-01", "S" + std::to_string(w));
    s.start = *DateTime::parse(iso_date(day));
    REQUIRE(s.start.epoch_seconds() / 86400 == day);
    s.findings = {at(SpinalLevel::L4, Side::Left, static_cast<G>(3 - w * 4 / 50), 9 - w / 6),
                  at(SpinalLevel::L5, Side::Right, w % 5 == 0 ? std::nullopt : std::optional<G>(G::Mild))};
    sessions.push_back(std::move(s));
  }
  const std::string svg = chart::render_course(sessions);
  const auto elements = read_elements(svg);
  CHECK(select(elements, "finding").size() == 100);
  CHECK(only(select(elements, "finding", {{"data-session", "50"}, {"data-level", "L4"}})).get("data-grade") == "0");
  CHECK(select(elements, "finding", {{"data-grade", "ungraded"}}).size() == 10);
  // Column numbers under the left panel: no two closer than 20px.
  std::vector<double> xs;
  bool in_left = false;
  for (const auto& e : elements) {
    if (e.get("class") == "heatmap") in_left = e.get("data-side") == "left";
    if (in_left && e.name == "text" && e.get("text-anchor") == "middle") xs.push_back(e.number("x"));
  }
  REQUIRE(xs.size() >= 5);
  CHECK(xs.size() < 50);
  for (std::size_t i = 1; i < xs.size(); ++i) CHECK(xs[i] - xs[i - 1] >= 20);
}

TEST_CASE("off-spine regions get heat map rows below the levels, also when the spine had no finding",
          "[chart][course]") {
  std::vector<Session> sessions;
  for (const char* date : {"2020-01-06", "2020-01-20"}) {
    Session s = session_on(date, std::string("S") + date);
    s.findings = {finding(Site::at_region(BodyRegion::UpperTrapezius, Side::Left), G::Moderate, 4),
                  finding(Site::at_region(BodyRegion::Other, Side::Right, "gluteal <fold>"), G::Mild)};
    sessions.push_back(std::move(s));
  }
  sessions[1].findings[0].restriction = G::Mild;
  const std::string svg = chart::render_course(sessions);
  const auto elements = read_elements(svg);
  CHECK(select(elements, "heatmap").size() == 2);
  CHECK(only(select(elements, "finding", {{"data-region", "upper-trapezius"}, {"data-session", "1"}}))
            .get("data-grade") == "2");
  CHECK(only(select(elements, "finding", {{"data-region", "upper-trapezius"}, {"data-session", "2"}}))
            .get("data-grade") == "1");
  CHECK(select(elements, "finding", {{"data-region-text", "gluteal <fold>"}, {"data-side", "right"}}).size() == 2);
  CHECK(svg.find(">upper trapezius<") != std::string::npos);
  CHECK(select(elements, "restricted", {{"data-restricted", "2"}}).size() == 2);
  // No level rows: the spine had nothing, so no level is drawn.
  for (const auto& e : elements) CHECK_FALSE(e.has("data-level"));
}

TEST_CASE("a course whose sessions have no findings at all says so", "[chart][course]") {
  const std::string svg = chart::render_course({session_on("2020-01-06", "A"), session_on("2020-01-13", "B")});
  CHECK(svg.find(">No findings recorded<") != std::string::npos);
  CHECK(select(read_elements(svg), "restricted", {{"data-restricted", "0"}}).size() == 2);
}

TEST_CASE("VAS-only sessions are plotted at mm/10 with a hollow marker and keep their mm", "[chart][course]") {
  std::vector<Session> sessions;
  Session a = session_on("2020-01-06", "A");
  a.findings = {at(SpinalLevel::T4, Side::Left, G::Mild)};
  a.findings[0].pain_vas_mm = Decimal::parse("60");
  Session b = session_on("2020-01-13", "B");
  b.findings = {at(SpinalLevel::T4, Side::Left, G::Mild, 6)};
  Session c = session_on("2020-01-20", "C");
  c.findings = {at(SpinalLevel::T4, Side::Left, G::None)};  // no pain score: the line breaks here
  const auto elements = read_elements(chart::render_course({a, b, c}));
  const auto pains = select(elements, "pain");
  REQUIRE(pains.size() == 2);
  CHECK(pains[0].get("data-pain-vas") == "60");
  CHECK(pains[0].get("fill") == "#ffffff");
  CHECK(pains[1].get("data-pain") == "6");
  CHECK(pains[0].number("cy") == Approx(pains[1].number("cy")));
}

TEST_CASE("sessions entered in error or not done stay off the course, and days are the clinic's calendar days",
          "[chart][course]") {
  auto sessions = course();
  Session wrong = session_on("2019-03-20", "S-wrong");
  wrong.status = SessionStatus::EnteredInError;
  wrong.findings = {at(SpinalLevel::T4, Side::Left, G::Marked, 10)};
  Session skipped = session_on("2019-03-27", "S-skipped");
  skipped.status = SessionStatus::NotDone;
  sessions.push_back(wrong);
  sessions.push_back(skipped);
  // Just after midnight local time is the previous day in UTC; the chart keeps the local date.
  sessions.push_back(session_on("2019-05-06", "S-late"));
  sessions.back().start = *DateTime::parse("2019-05-06T00:30:00+02:00");
  const auto elements = read_elements(chart::render_course(sessions));
  const auto points = select(elements, "restricted");
  REQUIRE(points.size() == 7);
  for (const auto& p : points) {
    CHECK(p.get("data-date") != "2019-03-20");
    CHECK(p.get("data-date") != "2019-03-27");
  }
  CHECK(points.back().get("data-date") == "2019-05-06");
  // 2019-03-04 -> 2019-03-11 is 7 days, 2019-03-04 -> 2019-05-06 is 63 (62 if the UTC day were used).
  const double per_day = (points[1].number("x") - points[0].number("x")) / 7;
  CHECK(points.back().number("x") - points[0].number("x") == Approx(63 * per_day).margin(0.2));
  // The tick on the first date sits exactly under the first point.
  bool tick_found = false;
  for (const auto& e : elements)
    if (e.name == "line" && e.has("y2") && e.number("y2") - e.number("y1") == 4)
      tick_found = tick_found || std::abs(e.number("x1") - (points.front().number("x") + points.front().number("width") / 2)) < 0.2;
  CHECK(tick_found);
}

TEST_CASE("date ticks never crowd, from sessions on one day to a course over decades", "[chart][course]") {
  for (const auto& dates : std::vector<std::vector<std::string>>{
           {"2019-03-04", "2019-03-04"}, {"2019-03-04", "2019-03-05"}, {"2019-03-04", "2019-06-30"},
           {"1990-01-01", "2019-03-04", "2031-12-31"}}) {
    std::vector<Session> sessions;
    for (const auto& d : dates) sessions.push_back(session_on(d, "S" + std::to_string(sessions.size())));
    const auto elements = read_elements(chart::render_course(sessions));
    std::vector<double> ticks;
    for (const auto& e : elements)
      if (e.name == "line" && e.has("y2") && e.number("y2") - e.number("y1") == 4) ticks.push_back(e.number("x1"));
    INFO(dates.front() << " .. " << dates.back());
    REQUIRE_FALSE(ticks.empty());
    CHECK(ticks.size() <= 7);
    for (std::size_t i = 1; i < ticks.size(); ++i) CHECK(ticks[i] - ticks[i - 1] >= 70);  // a date label is ~68px
  }
}
