#pragma once
// Every system, code and display mfr-fhir writes, from DOMAIN.md. Each was checked against a
// published source; where no standard code exists the code is ours (CodeSystem/mfr & co).
#include <optional>
#include <string_view>

#include "model/grades.hpp"
#include "model/site.hpp"

namespace mfr::terminology {

struct Coding {
  std::string_view system;
  std::string_view code;
  std::string_view display;  // empty: we write no display (text carries the words)
};

inline constexpr std::string_view kBase = "https://mfr-fhir.org/fhir";
inline constexpr std::string_view kMfrSystem = "https://mfr-fhir.org/fhir/CodeSystem/mfr";
inline constexpr std::string_view kGradeSystem = "https://mfr-fhir.org/fhir/CodeSystem/restriction-grade";
inline constexpr std::string_view kReleaseSystem = "https://mfr-fhir.org/fhir/CodeSystem/release-response";
inline constexpr std::string_view kProcedureProfile = "https://mfr-fhir.org/fhir/StructureDefinition/mfr-skin-rolling-procedure";
inline constexpr std::string_view kFindingProfile = "https://mfr-fhir.org/fhir/StructureDefinition/mfr-skin-rolling-finding";
inline constexpr std::string_view kLateralityExtension = "https://mfr-fhir.org/fhir/StructureDefinition/laterality";
inline constexpr std::string_view kOrdinalValueExtension = "http://hl7.org/fhir/StructureDefinition/ordinalValue";
inline constexpr std::string_view kSnomed = "http://snomed.info/sct";
inline constexpr std::string_view kLoinc = "http://loinc.org";
inline constexpr std::string_view kCpt = "http://www.ama-assn.org/go/cpt";
inline constexpr std::string_view kUcum = "http://unitsofmeasure.org";
inline constexpr std::string_view kObservationCategory = "http://terminology.hl7.org/CodeSystem/observation-category";
inline constexpr std::string_view kDataAbsentReason = "http://terminology.hl7.org/CodeSystem/data-absent-reason";
// Identifier system for legacy notes when the host configured none.
inline constexpr std::string_view kLegacyNoteSystem = "https://mfr-fhir.org/fhir/legacy-note";

// Procedure
inline constexpr Coding kSkinRolling{kMfrSystem, "skin-rolling", "Myofascial release by skin rolling"};
inline constexpr Coding kCptManualTherapy{kCpt, "97140",
    "Manual therapy techniques (eg, mobilization/ manipulation, manual lymphatic drainage, manual traction), "
    "1 or more regions, each 15 minutes"};
inline constexpr Coding kPhysicalTherapyProcedure{kSnomed, "91251008", "Physical therapy procedure"};
inline constexpr std::string_view kProcedureText = "Myofascial release by skin rolling";

// Observation
inline constexpr Coding kExamCategory{kObservationCategory, "exam", "Exam"};
inline constexpr Coding kRestriction{kMfrSystem, "restriction", "Superficial fascia restriction on skin rolling"};
inline constexpr Coding kFindingByPalpation{kSnomed, "118242002", "Finding by palpation"};
inline constexpr Coding kPalpation{kSnomed, "129434008", "Palpation - action"};
inline constexpr Coding kPainNrs{kLoinc, "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported"};
inline constexpr Coding kPainVas{kLoinc, "38214-3", "Pain severity [Score] Visual analog score"};
inline constexpr Coding kTender{kMfrSystem, "tender", "Tender to palpation"};
inline constexpr Coding kReleased{kMfrSystem, "released", "Response to kneading"};
// Provenance.activity of a session read from a plain-text or CSV note (codec/provenance_codec.hpp).
inline constexpr Coding kLegacyNoteImport{kMfrSystem, "legacy-note-import", "Read from a legacy treatment note"};
inline constexpr Coding kNotAsked{kDataAbsentReason, "not-performed", "Not Performed"};
// The extension that marks a primitive as absent with a reason: a session read from a legacy
// note that gives no date has its start marked "unknown" rather than made up.
inline constexpr std::string_view kDataAbsentReasonExtension = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";

Coding level_coding(SpinalLevel level) noexcept;
// A SNOMED CT code of a vertebra (DICOM CID 7603) or the sacrum.
std::optional<SpinalLevel> level_from_snomed(std::string_view code) noexcept;
// nullopt for BodyRegion::Other, which has no code.
std::optional<Coding> region_coding(BodyRegion region) noexcept;
std::optional<BodyRegion> region_from_snomed(std::string_view code) noexcept;
// nullopt for Side::Midline (no laterality extension).
std::optional<Coding> laterality_coding(Side side) noexcept;
std::optional<Side> side_from_snomed(std::string_view code) noexcept;
Coding grade_coding(RestrictionGrade grade) noexcept;
std::optional<RestrictionGrade> grade_from_code(std::string_view code) noexcept;
// nullopt for ReleaseResponse::Unknown (no component).
std::optional<Coding> release_coding(ReleaseResponse response) noexcept;
std::optional<ReleaseResponse> release_from_code(std::string_view code) noexcept;

}  // namespace mfr::terminology
