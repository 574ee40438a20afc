#include "codec/narrative_words.hpp"

#include "terminology/labels.hpp"

namespace mfr::codec {
namespace {

constexpr NarrativeWords kEnglish{
    "Skin rolling finding", "Skin rolling session", "Site", "not tender", "not released", "Note", "Status",
    "Practitioner", "Regions treated", "Findings", "Plan", "of", "sessions planned", "date not known",
    "Legacy treatment note", "Origin", "Size", "bytes",
    "The note's text is in the attached document, not shown here.",
    "Import of a legacy note", "Imported by", "from", "an HL7 v2 message", "a plain-text or CSV note",
    "Recorded", "Resources written",
};

constexpr NarrativeWords kFrench{
    "Constat du palper-rouler", "S\xC3\xA9" "ance de palper-rouler", "Zone", "non sensible", "non rel\xC3\xA2" "ch\xC3\xA9",
    "Note", "Statut", "Praticien", "R\xC3\xA9gions trait\xC3\xA9" "es", "Constats", "Plan", "sur",
    "s\xC3\xA9" "ances pr\xC3\xA9vues", "date inconnue",
    "Note de traitement ancienne", "Origine", "Taille", "octets",
    "Le texte de la note est dans le document joint et n'est pas repris ici.",
    "Import d'une note ancienne", "Import\xC3\xA9 par", "depuis", "un message HL7 v2", "une note texte ou CSV",
    "Enregistr\xC3\xA9", "Ressources \xC3\xA9" "crites",
};

constexpr NarrativeWords kGerman{
    "Befund der Hautrolltechnik", "Sitzung Hautrolltechnik", "Stelle", "nicht druckempfindlich", "nicht gel\xC3\xB6st",
    "Notiz", "Status", "Behandler", "Behandelte Regionen", "Befunde", "Plan", "von", "Sitzungen geplant",
    "Datum unbekannt",
    "Fr\xC3\xBChere Behandlungsnotiz", "Herkunft", "Gr\xC3\xB6\xC3\x9F" "e", "Bytes",
    "Der Text der Notiz steht im angeh\xC3\xA4ngten Dokument und wird hier nicht wiedergegeben.",
    "Import einer fr\xC3\xBCheren Notiz", "Importiert von", "aus", "einer HL7-v2-Nachricht", "einer Text- oder CSV-Notiz",
    "Erfasst", "Geschriebene Ressourcen",
};

}  // namespace

const NarrativeWords& narrative_words(std::string_view language) noexcept {
  // One reading of the language option for both tables: the Labels' own.
  const std::string_view chosen = terminology::labels_for(language).language;
  if (chosen == "fr") return kFrench;
  if (chosen == "de") return kGerman;
  return kEnglish;
}

}  // namespace mfr::codec
