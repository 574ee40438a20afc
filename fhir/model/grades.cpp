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

namespace {
constexpr std::string_view kSessionStatusCodes[] = {"completed", "in-progress", "not-done", "entered-in-error",
                                                   "preparation", "on-hold", "stopped", "unknown"};
constexpr std::string_view kFindingStatusCodes[] = {"final", "amended", "entered-in-error", "registered",
                                                   "preliminary", "corrected", "cancelled", "unknown"};
}  // namespace

std::string_view status_code(SessionStatus s) noexcept { return kSessionStatusCodes[static_cast<int>(s)]; }

std::optional<SessionStatus> session_status_from_code(std::string_view code) noexcept {
  for (int i = 0; i < 8; ++i)
    if (kSessionStatusCodes[i] == code) return static_cast<SessionStatus>(i);
  return std::nullopt;
}

std::string_view status_code(FindingStatus s) noexcept { return kFindingStatusCodes[static_cast<int>(s)]; }

std::optional<FindingStatus> finding_status_from_code(std::string_view code) noexcept {
  for (int i = 0; i < 8; ++i)
    if (kFindingStatusCodes[i] == code) return static_cast<FindingStatus>(i);
  return std::nullopt;
}

}  // namespace mfr
