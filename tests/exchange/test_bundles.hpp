#pragma once
// Transaction Bundles written by hand the way the codec will write them (DOMAIN.md §3):
// one skin-rolling Procedure and two findings, urn:uuid fullUrls, POST with ifNoneExist on the
// business identifier, and the patient as a conditional reference.
#include <string>

namespace mfr::test {

inline constexpr const char* kSessionSystem = "https://clinic-lyon.example.org/fhir/sessions";
inline constexpr const char* kFindingSystem = "https://clinic-lyon.example.org/fhir/findings";
inline constexpr const char* kPatientReference = "Patient?identifier=https://clinic-lyon.example.org/mrn|884422";

// `session` is the host's session id ("S-2024-0311"); `day` (1-28) varies the date.
std::string session_bundle(const std::string& session, int day = 4);

}  // namespace mfr::test
