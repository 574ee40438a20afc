#pragma once
// The ordered clinical scales a finding is graded on.
#include <cstdint>
#include <optional>
#include <string_view>

namespace mfr {

// How restricted the superficial fascia feels when the skin is rolled (0 none … 3 marked).
enum class RestrictionGrade : std::uint8_t { None = 0, Mild = 1, Moderate = 2, Marked = 3 };

// What gentle kneading did to the restriction.
enum class ReleaseResponse : std::uint8_t { Unknown, Released, Partial, NotReleased };

// Every R4 Procedure.status (event-status) and Observation.status, so nothing read is changed.
enum class SessionStatus : std::uint8_t {
  Completed, InProgress, NotDone, EnteredInError, Preparation, OnHold, Stopped, Unknown };
enum class FindingStatus : std::uint8_t {
  Final, Amended, EnteredInError, Registered, Preliminary, Corrected, Cancelled, Unknown };

std::string_view grade_name(RestrictionGrade grade) noexcept;  // "none", "mild", "moderate", "marked"
std::optional<RestrictionGrade> grade_from_int(long value) noexcept;

std::string_view release_key(ReleaseResponse r) noexcept;  // "unknown", "released", "partial", "not-released"
std::optional<ReleaseResponse> release_from_key(std::string_view key) noexcept;

std::string_view status_code(SessionStatus s) noexcept;  // FHIR Procedure.status codes
std::optional<SessionStatus> session_status_from_code(std::string_view code) noexcept;
std::string_view status_code(FindingStatus s) noexcept;  // FHIR Observation.status codes
std::optional<FindingStatus> finding_status_from_code(std::string_view code) noexcept;

}  // namespace mfr
