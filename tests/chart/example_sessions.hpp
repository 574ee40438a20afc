#pragma once
// Realistic sessions for the chart tests and the README examples: a six-week course of
// skin rolling for thoracic restrictions, with one missed week.
#include <cstdint>
#include <string>
#include <vector>

#include "model/session.hpp"

namespace mfr::chart_test {

Finding finding(Site site, std::optional<RestrictionGrade> grade, std::optional<int> pain = std::nullopt,
                ReleaseResponse released = ReleaseResponse::Unknown, std::optional<bool> tender = std::nullopt);
Finding at(SpinalLevel level, Side side, std::optional<RestrictionGrade> grade, std::optional<int> pain = std::nullopt,
           ReleaseResponse released = ReleaseResponse::Unknown, std::optional<bool> tender = std::nullopt);

// "2019-03-04" for day 17959 (days since 1970-01-01).
std::string iso_date(std::int64_t day);

Session session_on(std::string date, std::string id, std::string patient = "Patient/4711");

// The first visit: restrictions T3-T6 both sides, upper trapezius, interscapular region.
Session first_visit();
// Six sessions over seven weeks (week 4 missed), improving, given in shuffled order.
std::vector<Session> course();

}  // namespace mfr::chart_test
