#include "terminology/labels.hpp"

namespace mfr::terminology {
namespace {

constexpr Labels kEnglish{
    "en",
    "Skin rolling findings",
    "Course of treatment",
    "Left", "Right", "Midline",
    "posterior view",
    "Other regions",
    {"none", "mild", "moderate", "marked"},
    "Restriction",
    "not graded",
    "no finding",
    "released", "partly released", "tender",
    "Session", "sessions",
    "pain",
    "highest pain (0\xE2\x80\x93" "10)",
    "VAS mm \xC3\xB7 10",
    "restricted sites",
    "worst",
    "No findings recorded",
    "No findings on the spine",
    "No sessions",
    "date",
    "sacrum",
    {"spine", "cervical spine", "thoracic spine", "lumbar spine", "sacrum", "upper trapezius", "rib cage",
     "chest wall", "interscapular region", "scapular region", "skin of back", "lumbar region", "neck",
     "shoulder", "other"},
};

constexpr Labels kFrench{
    "fr",
    "Constats du palper-rouler",
    "\xC3\x89volution du traitement",
    "Gauche", "Droite", "Ligne m\xC3\xA9" "diane",
    "vue post\xC3\xA9rieure",
    "Autres r\xC3\xA9gions",
    {"aucune", "l\xC3\xA9g\xC3\xA8re", "mod\xC3\xA9r\xC3\xA9" "e", "marqu\xC3\xA9" "e"},
    "Restriction",
    "non grad\xC3\xA9",
    "aucun constat",
    "rel\xC3\xA2" "ch\xC3\xA9", "rel\xC3\xA2" "chement partiel", "sensible",
    "S\xC3\xA9" "ance", "s\xC3\xA9" "ances",
    "douleur",
    "douleur maximale (0\xE2\x80\x93" "10)",
    "EVA mm \xC3\xB7 10",
    "zones restreintes",
    "la plus marqu\xC3\xA9" "e",
    "Aucun constat enregistr\xC3\xA9",
    "Aucun constat sur le rachis",
    "Aucune s\xC3\xA9" "ance",
    "date",
    "sacrum",
    {"rachis", "rachis cervical", "rachis thoracique", "rachis lombaire", "sacrum", "trap\xC3\xA8ze sup\xC3\xA9rieur",
     "cage thoracique", "paroi thoracique", "r\xC3\xA9gion interscapulaire", "r\xC3\xA9gion scapulaire",
     "peau du dos", "r\xC3\xA9gion lombaire", "cou", "\xC3\xA9paule", "autre"},
};

constexpr Labels kGerman{
    "de",
    "Befunde der Hautrolltechnik",
    "Behandlungsverlauf",
    "Links", "Rechts", "Mittellinie",
    "Ansicht von hinten",
    "Weitere Regionen",
    {"keine", "leicht", "m\xC3\xA4\xC3\x9Fig", "ausgepr\xC3\xA4gt"},
    "Einschr\xC3\xA4nkung",
    "nicht graduiert",
    "kein Befund",
    "gel\xC3\xB6st", "teilweise gel\xC3\xB6st", "druckempfindlich",
    "Sitzung", "Sitzungen",
    "Schmerz",
    "st\xC3\xA4rkster Schmerz (0\xE2\x80\x93" "10)",
    "VAS mm \xC3\xB7 10",
    "eingeschr\xC3\xA4nkte Stellen",
    "am st\xC3\xA4rksten",
    "Keine Befunde erfasst",
    "Keine Befunde an der Wirbels\xC3\xA4ule",
    "Keine Sitzungen",
    "Datum",
    "Sakrum",
    {"Wirbels\xC3\xA4ule", "Halswirbels\xC3\xA4ule", "Brustwirbels\xC3\xA4ule", "Lendenwirbels\xC3\xA4ule", "Sakrum",
     "oberer Trapezius", "Brustkorb", "Brustwand", "Interskapularregion", "Skapularregion", "R\xC3\xBC" "ckenhaut",
     "Lendenregion", "Nacken", "Schulter", "Sonstige"},
};

}  // namespace

const Labels& labels_for(std::string_view language) noexcept {
  // "fr-CA" and "de_CH" get their base language.
  const std::string_view base = language.substr(0, 2);
  if (language.size() >= 2 && (language.size() == 2 || language[2] == '-' || language[2] == '_')) {
    if (base == "fr" || base == "FR" || base == "Fr") return kFrench;
    if (base == "de" || base == "DE" || base == "De") return kGerman;
  }
  return kEnglish;
}

std::string_view level_label(const Labels& labels, SpinalLevel level) noexcept {
  return level == SpinalLevel::Sacrum ? labels.sacrum : level_name(level);
}

std::string_view side_label(const Labels& labels, Side side) noexcept {
  switch (side) {
    case Side::Left: return labels.left;
    case Side::Right: return labels.right;
    case Side::Midline: break;
  }
  return labels.midline;
}

std::string_view grade_label(const Labels& labels, RestrictionGrade grade) noexcept {
  return labels.grades[static_cast<int>(grade)];
}

}  // namespace mfr::terminology
