#include "legacy/csv_header.hpp"

#include <span>

namespace mfr::legacy {
namespace {

// The second byte of a two-byte UTF-8 letter U+00C0..U+00FF (lead byte 0xC3), folded: index
// (byte - 0x80). Empty: not a letter (× ÷), read as punctuation.
constexpr std::string_view kLatin1Folded[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",   // À..Ï
    "d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "th", "ss",  // Ð..ß
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",   // à..ï
    "d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "th", "y"};  // ð..ÿ

// Known header names, normalised, best first. A header matches a name exactly.
constexpr std::string_view kPatient[] = {
    "patient", "patient id", "patientid", "patient no", "patient nr", "patient number", "patient identifier",
    "mrn", "medical record number", "medical record no", "record number", "chart number", "chart no", "chart id",
    "client id", "client number", "pid",
    "n patient", "no patient", "numero patient", "numero de patient", "num patient", "id patient",
    "identifiant patient", "dossier", "n dossier", "numero de dossier", "no dossier", "ipp",
    "patientennummer", "patientennr", "patienten nr", "patienten id", "patientenid", "patient nummer", "pat nr",
    "patnr", "pat id", "fallnummer"};
constexpr std::string_view kPatientWeak[] = {"id", "nr", "no", "number", "numero", "nummer"};
constexpr std::string_view kDate[] = {
    "date", "visit date", "date of visit", "session date", "treatment date", "date of treatment", "appointment date",
    "appt date", "encounter date", "service date", "date of service", "dos", "datum", "behandlungsdatum",
    "besuchsdatum", "termin", "termindatum", "sitzungsdatum", "untersuchungsdatum", "datum der behandlung",
    "date de seance", "date seance", "date de la seance", "date de visite", "date visite", "date de consultation",
    "date consultation", "date du rendez vous", "date rdv", "date de soin", "date du soin", "jour"};
constexpr std::string_view kNote[] = {
    "note", "notes", "text", "treatment note", "treatment notes", "clinical note", "clinical notes",
    "progress note", "progress notes", "session note", "session notes", "visit note", "visit notes", "soap",
    "soap note", "narrative", "note text", "free text", "comments", "comment", "remarks", "findings",
    "description", "notiz", "notizen", "bemerkung", "bemerkungen", "befund", "befunde", "behandlungsnotiz",
    "behandlungsnotizen", "dokumentation", "verlauf", "verlaufsnotiz", "freitext", "remarque", "remarques",
    "observation", "observations", "note de seance", "notes de seance", "compte rendu", "commentaire",
    "commentaires", "texte", "bilan", "notes cliniques", "note clinique"};
constexpr std::string_view kPractitioner[] = {
    "practitioner", "therapist", "clinician", "provider", "author", "physiotherapist", "physio", "staff",
    "treating therapist", "therapeut", "therapeutin", "behandler", "behandlerin", "physiotherapeut",
    "physiotherapeutin", "praticien", "therapeute", "kinesitherapeute", "kine", "intervenant", "auteur"};
constexpr std::string_view kId[] = {
    "note id", "noteid", "visit id", "visitid", "record id", "recordid", "session id", "sessionid", "entry id",
    "row id", "key", "id", "id note", "id seance", "id visite", "notiz id", "eintrag id", "eintragsnummer"};

// The best header for `names` among those not taken; -1 when none.
int best(const std::vector<std::string>& headers, const std::vector<bool>& taken,
         std::span<const std::string_view> names) {
  for (std::string_view name : names)
    for (std::size_t i = 0; i < headers.size(); ++i)
      if (!taken[i] && headers[i] == name) return static_cast<int>(i);
  return -1;
}

}  // namespace

std::string normalise_header(std::string_view h) {
  std::string out;
  bool gap = false;
  auto letter = [&](std::string_view s) {
    if (gap && !out.empty()) out += ' ';
    gap = false;
    out += s;
  };
  for (std::size_t i = 0; i < h.size(); ++i) {
    const auto c = static_cast<unsigned char>(h[i]);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      letter(std::string_view(&h[i], 1));
    } else if (c >= 'A' && c <= 'Z') {
      // camelCase and PascalCase join words: "VisitDate" is "visit date", "PatientNo" "patient no"
      if (i > 0 && h[i - 1] >= 'a' && h[i - 1] <= 'z') gap = true;
      const char lower = static_cast<char>(c + 32);
      letter(std::string_view(&lower, 1));
    } else if (c == 0xC3 && i + 1 < h.size() && (static_cast<unsigned char>(h[i + 1]) & 0xC0) == 0x80) {
      const std::string_view folded = kLatin1Folded[static_cast<unsigned char>(h[++i]) & 0x3F];
      if (folded.empty()) gap = true;
      else letter(folded);
    } else if (c == 0xC5 && i + 1 < h.size() && (h[i + 1] == '\x92' || h[i + 1] == '\x93')) {
      ++i;
      letter("oe");  // Œ œ
    } else {
      gap = true;  // punctuation, spaces, ° and any other character
    }
  }
  return out;
}

std::array<int, kCsvFieldCount> map_known_headers(const std::vector<std::string>& headers, std::vector<bool> taken,
                                                  std::array<bool, kCsvFieldCount> wanted) {
  std::array<int, kCsvFieldCount> map;
  map.fill(-1);
  taken.resize(headers.size(), false);
  auto take = [&](CsvField f, std::span<const std::string_view> names) {
    const auto slot = static_cast<std::size_t>(f);
    if (!wanted[slot] || map[slot] >= 0) return;
    map[slot] = best(headers, taken, names);
    if (map[slot] >= 0) taken[static_cast<std::size_t>(map[slot])] = true;
  };
  take(CsvField::Patient, kPatient);
  take(CsvField::Patient, kPatientWeak);  // a bare "ID" is the patient only when nothing better is there
  take(CsvField::Note, kNote);
  take(CsvField::Date, kDate);
  take(CsvField::Practitioner, kPractitioner);
  take(CsvField::Id, kId);
  return map;
}

std::string_view csv_field_name(CsvField field) noexcept {
  switch (field) {
    case CsvField::Patient: return "patient";
    case CsvField::Date: return "date";
    case CsvField::Practitioner: return "practitioner";
    case CsvField::Note: return "note";
    case CsvField::Id: break;
  }
  return "id";
}

}  // namespace mfr::legacy
