#pragma once
// Which CSV column holds what: header names as clinics' exports write them, in English, French
// and German, matched without regard to case, accents or punctuation ("N° patient" = "n patient",
// "Date de séance" = "date de seance", "Patient-ID" = "patient id").
//
// Known names per field (after normalising; the first name found in this order wins):
//   patient       patient, patient id, mrn, medical record number, patient number, chart number,
//                 n patient, numero de patient, dossier, patientennummer, patienten nr, pat nr ...;
//                 a bare "id" only when no other patient column is there (else it is the row's key)
//   date          date, visit date, session date, treatment date, date of service, datum,
//                 behandlungsdatum, termin, date de seance, date de visite, date de consultation ...
//                 (never a date of birth: "DOB", "Geburtsdatum", "date de naissance" are no dates here)
//   note          note, notes, text, treatment note, clinical note, progress note, comments, remarks,
//                 notiz, bemerkung, befund, verlauf, dokumentation, remarque, observation, compte rendu ...
//   practitioner  practitioner, therapist, clinician, provider, author, therapeut, behandler,
//                 praticien, therapeute, kinesitherapeute ...
//   id            note id, visit id, record id, session id, entry id, id, ...
#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace mfr::legacy {

enum class CsvField { Patient, Date, Practitioner, Note, Id };
inline constexpr std::size_t kCsvFieldCount = 5;

// Lower case ASCII, Latin accents folded (é -> e, ß -> ss, œ -> oe), every run of other
// characters one space, trimmed. `header` is UTF-8.
std::string normalise_header(std::string_view header);

// Index of the header (normalised names) each field maps to by its known names, -1 when none;
// `taken` marks headers already given to a field by name or position, never reused.
std::array<int, kCsvFieldCount> map_known_headers(const std::vector<std::string>& normalised,
                                                  std::vector<bool> taken, std::array<bool, kCsvFieldCount> wanted);

std::string_view csv_field_name(CsvField field) noexcept;  // "patient", "date", ...

}  // namespace mfr::legacy
