#include "example_sessions.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace mfr::chart_test {

using G = RestrictionGrade;
using R = ReleaseResponse;

Finding finding(Site site, std::optional<RestrictionGrade> grade, std::optional<int> pain, ReleaseResponse released,
                std::optional<bool> tender) {
  Finding f;
  f.site = std::move(site);
  f.restriction = grade;
  f.pain_nrs = pain;
  f.released = released;
  f.tender = tender;
  return f;
}

Finding at(SpinalLevel level, Side side, std::optional<RestrictionGrade> grade, std::optional<int> pain,
           ReleaseResponse released, std::optional<bool> tender) {
  return finding(Site::vertebra(level, side), grade, pain, released, tender);
}

std::string iso_date(std::int64_t day) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{day}}};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

Session session_on(std::string date, std::string id, std::string patient) {
  Session s;
  s.id = std::move(id);
  s.patient = std::move(patient);
  s.practitioner = "Practitioner/9";
  s.start = *DateTime::parse(date + "T09:30:00+01:00");
  s.regions = {BodyRegion::ThoracicSpine, BodyRegion::UpperTrapezius};
  return s;
}

Session first_visit() {
  Session s = session_on("2019-03-04", "S-2019-0304");
  s.session_number = 1;
  s.planned_sessions = 6;
  using L = SpinalLevel;
  s.findings = {
      at(L::T3, Side::Left, G::Mild, 3, R::Released),
      at(L::T3, Side::Right, G::Mild, std::nullopt, R::Released),
      at(L::T4, Side::Left, G::Moderate, 6, R::Partial, true),
      at(L::T4, Side::Right, G::Marked, 7, R::NotReleased, true),
      at(L::T5, Side::Left, G::Moderate, 5, R::Partial),
      at(L::T5, Side::Right, G::Moderate, 4, R::Released),
      at(L::T6, Side::Left, G::None),
      at(L::T6, Side::Right, G::Mild, 2),
      at(L::C7, Side::Midline, G::Mild, 3, R::Released),
      at(L::L4, Side::Right, std::nullopt, 2),
      finding(Site::at_region(BodyRegion::UpperTrapezius, Side::Left), G::Moderate, 5, R::Partial, true),
      finding(Site::at_region(BodyRegion::UpperTrapezius, Side::Right), G::Mild, 3, R::Released),
      finding(Site::at_region(BodyRegion::Interscapular, Side::Midline), G::Mild, std::nullopt, R::Released),
  };
  s.findings.push_back(finding(Site::at_region(BodyRegion::RibCage, Side::Right), G::Mild));
  s.findings.back().pain_vas_mm = Decimal::parse("40");
  return s;
}

std::vector<Session> course() {
  using L = SpinalLevel;
  std::vector<Session> sessions;
  sessions.push_back(first_visit());
  struct Step {
    const char* date;
    G t4l, t4r, t5;
    int pain;
  };
  // Week 4 (2019-03-25) was missed; the last visit is a follow-up two weeks later.
  const Step steps[] = {{"2019-03-11", G::Moderate, G::Moderate, G::Mild, 5},
                        {"2019-03-18", G::Mild, G::Moderate, G::Mild, 4},
                        {"2019-04-01", G::Mild, G::Mild, G::None, 3},
                        {"2019-04-08", G::None, G::Mild, G::None, 2},
                        {"2019-04-22", G::None, G::None, G::None, 1}};
  int number = 2;
  for (const Step& step : steps) {
    Session s = session_on(step.date, std::string("S-") + step.date);
    s.session_number = number++;
    s.planned_sessions = 6;
    s.findings = {
        at(L::T3, Side::Left, step.t5, step.pain - 1 > 0 ? std::optional<int>(step.pain - 1) : std::nullopt),
        at(L::T4, Side::Left, step.t4l, step.pain, R::Released),
        at(L::T4, Side::Right, step.t4r, step.pain, R::Partial, step.t4r >= G::Moderate),
        at(L::T5, Side::Left, step.t5, std::nullopt, R::Released),
        at(L::T5, Side::Right, step.t5),
        finding(Site::at_region(BodyRegion::UpperTrapezius, Side::Left), step.t5, step.pain > 2 ? 2 : 1),
    };
    sessions.push_back(std::move(s));
  }
  // Hosts hand sessions over in any order; the chart sorts them by date.
  std::reverse(sessions.begin() + 2, sessions.end());
  return sessions;
}

}  // namespace mfr::chart_test
