#include "model/grades.hpp"

namespace mfr {

std::string_view grade_name(RestrictionGrade grade) noexcept {
  switch (grade) {
    case RestrictionGrade::None: return "none";
    case RestrictionGrade::Mild: return "mild";
    case RestrictionGrade::Moderate: return "moderate";
    case RestrictionGrade::Marked: break;
  }
  return "marked";
}

std::optional<RestrictionGrade> grade_from_int(long value) noexcept {
  if (value < 0 || value > 3) return std::nullopt;
  return static_cast<RestrictionGrade>(value);
}

std::string_view release_key(ReleaseResponse r) noexcept {
  switch (r) {
    case ReleaseResponse::Released: return "released";
    case ReleaseResponse::Partial: return "partial";
    case ReleaseResponse::NotReleased: return "not-released";
    case ReleaseResponse::Unknown: break;
  }
  return "unknown";
}

std::optional<ReleaseResponse> release_from_key(std::string_view key) noexcept {
  if (key == "released") return ReleaseResponse::Released;
  if (key == "partial") return ReleaseResponse::Partial;
  if (key == "not-released") return ReleaseResponse::NotReleased;
  if (key == "unknown") return ReleaseResponse::Unknown;
  return std::nullopt;
}

std::string_view status_code(SessionStatus s) noexcept {
  switch (s) {
    case SessionStatus::InProgress: return "in-progress";
    case SessionStatus::NotDone: return "not-done";
    case SessionStatus::EnteredInError: return "entered-in-error";
    case SessionStatus::Completed: break;
  }
  return "completed";
}

std::optional<SessionStatus> session_status_from_code(std::string_view code) noexcept {
  if (code == "completed") return SessionStatus::Completed;
  if (code == "in-progress") return SessionStatus::InProgress;
  if (code == "not-done") return SessionStatus::NotDone;
  if (code == "entered-in-error") return SessionStatus::EnteredInError;
  return std::nullopt;
}

std::string_view status_code(FindingStatus s) noexcept {
  switch (s) {
    case FindingStatus::Amended: return "amended";
    case FindingStatus::EnteredInError: return "entered-in-error";
    case FindingStatus::Final: break;
  }
  return "final";
}

std::optional<FindingStatus> finding_status_from_code(std::string_view code) noexcept {
  if (code == "final") return FindingStatus::Final;
  if (code == "amended") return FindingStatus::Amended;
  if (code == "entered-in-error") return FindingStatus::EnteredInError;
  return std::nullopt;
}

}  // namespace mfr
