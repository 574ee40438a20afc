// German: Physiotherapie and Masseur notes (Kibler-Falte, Bindegewebsmassage, "o.B.").
// Th4 is T4; "li" / "re" are sides; BWS / LWS / HWS are the spine's segments.
#include "legacy/note/lexicon.hpp"
#include "model/grades.hpp"
#include "model/site.hpp"

namespace mfr::legacy::note {
namespace {

constexpr auto R(BodyRegion r) { return static_cast<std::uint8_t>(r); }
constexpr auto S(SectionKind s) { return static_cast<std::uint8_t>(s); }
constexpr auto Rel(ReleaseResponse r) { return static_cast<std::uint8_t>(r); }

constexpr LexWord kWords[] = {
    // comparisons: value 5 left worse, 6 right worse
    {"links betont", Lex::Side, 5}, {"rechts betont", Lex::Side, 6}, {"linksbetont", Lex::Side, 5},
    {"rechtsbetont", Lex::Side, 6}, {"li betont", Lex::Side, 5}, {"re betont", Lex::Side, 6},
    {"links", Lex::Side, 1}, {"li", Lex::Side, 1, true}, {"lks", Lex::Side, 1, true}, {"linke", Lex::Side, 1},
    {"linken", Lex::Side, 1}, {"linker", Lex::Side, 1}, {"linkes", Lex::Side, 1}, {"linksseitig", Lex::Side, 1},
    {"rechts", Lex::Side, 2}, {"re", Lex::Side, 2, true}, {"rts", Lex::Side, 2, true}, {"rechte", Lex::Side, 2},
    {"rechten", Lex::Side, 2}, {"rechter", Lex::Side, 2}, {"rechtes", Lex::Side, 2}, {"rechtsseitig", Lex::Side, 2},
    {"beidseits", Lex::Side, 3}, {"bds", Lex::Side, 3}, {"bds.", Lex::Side, 3}, {"beidseitig", Lex::Side, 3},
    {"beiderseits", Lex::Side, 3}, {"bilateral", Lex::Side, 3}, {"auf beiden seiten", Lex::Side, 3},
    {"mittig", Lex::Filler}, {"median", Lex::Filler}, {"zentral", Lex::Filler},
    {"o.b.", Lex::Grade, 0}, {"ob", Lex::Grade, 0, true}, {"ohne befund", Lex::Grade, 0}, {"unauffallig", Lex::Grade, 0},
    {"frei", Lex::Grade, 0}, {"freie", Lex::Grade, 0}, {"normal", Lex::Grade, 0}, {"regelrecht", Lex::Grade, 0},
    {"unauffalliger", Lex::Grade, 0}, {"negativ", Lex::Grade, 0}, {"weich", Lex::Grade, 0}, {"verschieblich", Lex::Grade, 0},
    {"leicht", Lex::Grade, 1}, {"leichte", Lex::Grade, 1}, {"leichter", Lex::Grade, 1}, {"leichten", Lex::Grade, 1},
    {"gering", Lex::Grade, 1}, {"geringe", Lex::Grade, 1}, {"geringgradig", Lex::Grade, 1}, {"diskret", Lex::Grade, 1},
    {"minimal", Lex::Grade, 1}, {"etwas", Lex::Grade, 1},
    {"massig", Lex::Grade, 2}, {"massige", Lex::Grade, 2}, {"massiger", Lex::Grade, 2}, {"maessig", Lex::Grade, 2},
    {"maessige", Lex::Grade, 2}, {"mittelgradig", Lex::Grade, 2}, {"mittelgradige", Lex::Grade, 2},
    {"mittel", Lex::Grade, 2}, {"mittelstark", Lex::Grade, 2}, {"moderat", Lex::Grade, 2},
    {"stark", Lex::Grade, 3}, {"starke", Lex::Grade, 3}, {"starker", Lex::Grade, 3}, {"starken", Lex::Grade, 3},
    {"hochgradig", Lex::Grade, 3}, {"ausgepragt", Lex::Grade, 3}, {"ausgepragte", Lex::Grade, 3}, {"massiv", Lex::Grade, 3},
    {"grad", Lex::GradeKeyword},
    {"eingeschrankt", Lex::Restricted}, {"einschrankung", Lex::Restricted}, {"eingeschrankte", Lex::Restricted},
    {"restriktion", Lex::Restricted}, {"restriktionen", Lex::Restricted}, {"verklebt", Lex::Restricted},
    {"verklebung", Lex::Restricted}, {"verklebungen", Lex::Restricted}, {"verquollen", Lex::Restricted},
    {"verquellung", Lex::Restricted}, {"verhartung", Lex::Restricted}, {"verhartet", Lex::Restricted},
    {"fest", Lex::Restricted}, {"zah", Lex::Restricted}, {"verspannt", Lex::Restricted}, {"verdickt", Lex::Restricted},
    {"deutlich", Lex::Restricted}, {"gestort", Lex::Restricted}, {"vermindert", Lex::Restricted},
    {"druckschmerzhaft", Lex::Tender, 1}, {"druckschmerz", Lex::Tender, 1}, {"druckdolent", Lex::Tender, 1},
    {"druckschmerzhaftigkeit", Lex::Tender, 1}, {"dolent", Lex::Tender, 1},
    {"gelost", Lex::Release, Rel(ReleaseResponse::Released)}, {"gelockert", Lex::Release, Rel(ReleaseResponse::Released)},
    {"teilweise", Lex::Release, Rel(ReleaseResponse::Partial)}, {"unverandert", Lex::Release, Rel(ReleaseResponse::NotReleased)},
    {"kibler-falte", Lex::Technique}, {"kiblerfalte", Lex::Technique}, {"kibler", Lex::Technique},
    {"kiblersche hautfalte", Lex::Technique}, {"kiblerschen hautfalte", Lex::Technique}, {"hautfalte", Lex::Technique},
    {"bindegewebsmassage", Lex::Technique}, {"bgm", Lex::Technique}, {"hautverschieblichkeit", Lex::Technique},
    {"der hautverschieblichkeit", Lex::Technique}, {"massage", Lex::Technique}, {"kg", Lex::Technique},
    {"mld", Lex::Technique}, {"falte", Lex::Technique}, {"hautrollung", Lex::Technique},
    {"akupunktur", Lex::Therapy}, {"ultraschall", Lex::Therapy}, {"tens", Lex::Therapy}, {"elektrotherapie", Lex::Therapy},
    {"fango", Lex::Therapy}, {"warme", Lex::Therapy}, {"heissluft", Lex::Therapy}, {"eis", Lex::Therapy},
    {"ubungen", Lex::Therapy}, {"eigenubungen", Lex::Therapy}, {"faszienrolle", Lex::Therapy}, {"dry needling", Lex::Therapy},
    {"atemtherapie", Lex::Therapy}, {"manuelle therapie", Lex::Therapy}, {"taping", Lex::Therapy}, {"dehnung", Lex::Therapy},
    {"familienanamnese", Lex::Excluded},
    {"nicht untersucht", Lex::Excluded}, {"nicht getestet", Lex::Excluded}, {"beweglichkeit", Lex::Excluded}, {"flexion", Lex::Excluded}, {"rotation", Lex::Excluded}, {"uberwies", Lex::Excluded}, {"uberwiesen", Lex::Excluded}, {"uberweisung", Lex::Excluded}, {"skala", Lex::Excluded}, {"legende", Lex::Excluded}, {"vorgeschichte", Lex::Excluded}, {"schober", Lex::Excluded},
    {"lasegue", Lex::Excluded}, {"blutdruck", Lex::Excluded}, {"rr", Lex::Excluded, 0, true},
    {"hufte", Lex::Foreign}, {"knie", Lex::Foreign}, {"handgelenk", Lex::Foreign}, {"sprunggelenk", Lex::Foreign},
    {"ellenbogen", Lex::Foreign}, {"hand", Lex::Foreign}, {"fuss", Lex::Foreign}, {"gesass", Lex::Foreign},
    {"oberschenkel", Lex::Foreign}, {"wade", Lex::Foreign}, {"kopf", Lex::Foreign}, {"kiefer", Lex::Foreign},
    {"arm", Lex::Foreign}, {"bein", Lex::Foreign}, {"isg", Lex::Foreign}, {"steissbein", Lex::Foreign},
    {"leiste", Lex::Foreign}, {"bauch", Lex::Foreign},
    {"trapezius", Lex::Region, R(BodyRegion::UpperTrapezius)}, {"oberer trapezius", Lex::Region, R(BodyRegion::UpperTrapezius)},
    {"oberen trapezius", Lex::Region, R(BodyRegion::UpperTrapezius)}, {"ob. trapezius", Lex::Region, R(BodyRegion::UpperTrapezius)},
    {"pars descendens", Lex::Region, R(BodyRegion::UpperTrapezius)}, {"schulter-nacken-bereich", Lex::Region, R(BodyRegion::UpperTrapezius)},
    {"zwischen den schulterblattern", Lex::Region, R(BodyRegion::Interscapular)},
    {"zwischen den schulterblaettern", Lex::Region, R(BodyRegion::Interscapular)},
    {"interskapular", Lex::Region, R(BodyRegion::Interscapular)}, {"interscapular", Lex::Region, R(BodyRegion::Interscapular)},
    {"skapula", Lex::Region, R(BodyRegion::Scapular)}, {"schulterblatter", Lex::Region, R(BodyRegion::Scapular)},
    {"schulterblaetter", Lex::Region, R(BodyRegion::Scapular)}, {"schulterblatt", Lex::Region, R(BodyRegion::Scapular)},
    {"skapularegion", Lex::Region, R(BodyRegion::Scapular)}, {"scapula", Lex::Region, R(BodyRegion::Scapular)},
    {"rippen", Lex::Region, R(BodyRegion::RibCage)}, {"rippenbogen", Lex::Region, R(BodyRegion::RibCage)},
    {"thorax", Lex::Region, R(BodyRegion::RibCage)}, {"brustkorb", Lex::Region, R(BodyRegion::RibCage)},
    {"unteren rippen", Lex::Region, R(BodyRegion::RibCage)},
    {"lws", Lex::Region, R(BodyRegion::LumbarRegion)}, {"lws-bereich", Lex::Region, R(BodyRegion::LumbarRegion)},
    {"lendenwirbelsaule", Lex::Region, R(BodyRegion::LumbarRegion)}, {"lende", Lex::Region, R(BodyRegion::LumbarRegion)},
    {"lumbal", Lex::Region, R(BodyRegion::LumbarRegion)},
    {"bws", Lex::Region, R(BodyRegion::ThoracicSpine)}, {"brustwirbelsaule", Lex::Region, R(BodyRegion::ThoracicSpine)},
    {"hws", Lex::Region, R(BodyRegion::CervicalSpine)}, {"halswirbelsaule", Lex::Region, R(BodyRegion::CervicalSpine)},
    {"wirbelsaule", Lex::Region, R(BodyRegion::Spine)},
    {"nacken", Lex::Region, R(BodyRegion::Neck)}, {"schulter", Lex::Region, R(BodyRegion::Shoulder)},
    {"schultern", Lex::Region, R(BodyRegion::Shoulder)},
    {"sakrum", Lex::Region, kSacrumValue}, {"sacrum", Lex::Region, kSacrumValue}, {"kreuzbein", Lex::Region, kSacrumValue},
    {"und", Lex::Connector}, {"sowie", Lex::Connector},
    {"aber", Lex::Separator}, {"jedoch", Lex::Separator}, {"wahrend", Lex::Separator},
    {"keine", Lex::Negation}, {"kein", Lex::Negation}, {"keiner", Lex::Negation}, {"keinen", Lex::Negation},
    {"ohne", Lex::Negation}, {"nicht", Lex::Negation},
    {"der", Lex::Filler}, {"die", Lex::Filler}, {"das", Lex::Filler}, {"den", Lex::Filler}, {"dem", Lex::Filler},
    {"eine", Lex::Filler}, {"ein", Lex::Filler}, {"bei", Lex::Filler}, {"am", Lex::Filler}, {"im", Lex::Filler},
    {"an", Lex::Filler}, {"uber", Lex::Filler}, {"von", Lex::Filler},
    {"schmerz", Lex::PainWord, 0}, {"schmerzen", Lex::PainWord, 0}, {"schmerzhaft", Lex::PainWord, 0},
    {"nrs", Lex::PainWord, 0}, {"vas", Lex::PainWord, 1},
    {"behandlungen", Lex::SessionWord}, {"behandlung", Lex::SessionWord}, {"einheiten", Lex::SessionWord},
    {"sitzungen", Lex::SessionWord}, {"termine", Lex::SessionWord},
    {"weitere", Lex::MoreWord},
    {"wochentlich", Lex::Schedule},
    {"kontrolle", Lex::PlanMarker}, {"weiter", Lex::PlanMarker}, {"fortsetzen", Lex::PlanMarker},
    {"wiedervorstellung", Lex::PlanMarker}, {"nachster termin", Lex::PlanMarker},
    {"klagt", Lex::Reported}, {"berichtet", Lex::Reported}, {"gibt an", Lex::Reported}, {"gibt", Lex::Reported},
    {"selbstangabe", Lex::Reported}, {"eigenangabe", Lex::Reported}, {"beklagt", Lex::Reported},
    {"insgesamt", Lex::Overall},
    {"anamnese", Lex::Section, S(SectionKind::Subjective)}, {"beschwerden", Lex::Section, S(SectionKind::Subjective)},
    {"subjektiv", Lex::Section, S(SectionKind::Subjective)}, {"vorgeschichte", Lex::Section, S(SectionKind::Subjective)},
    // a technique as a line heading ("Palper-rouler :", "Kibler-Falte:") opens the examination
    {"kibler-falte", Lex::Section, S(SectionKind::Objective)}, {"kiblerfalte", Lex::Section, S(SectionKind::Objective)}, {"kibler", Lex::Section, S(SectionKind::Objective)}, {"hautfalte", Lex::Section, S(SectionKind::Objective)}, 
    {"befund", Lex::Section, S(SectionKind::Objective)}, {"untersuchung", Lex::Section, S(SectionKind::Objective)},
    {"objektiv", Lex::Section, S(SectionKind::Objective)}, {"tastbefund", Lex::Section, S(SectionKind::Objective)},
    {"befund kibler-falte", Lex::Section, S(SectionKind::Objective)}, {"palpation", Lex::Section, S(SectionKind::Objective)},
    {"beurteilung", Lex::Section, S(SectionKind::Assessment)}, {"diagnose", Lex::Section, S(SectionKind::Assessment)},
    {"einschatzung", Lex::Section, S(SectionKind::Assessment)}, {"fazit", Lex::Section, S(SectionKind::Assessment)},
    {"plan", Lex::Section, S(SectionKind::Plan)}, {"planung", Lex::Section, S(SectionKind::Plan)},
    {"procedere", Lex::Section, S(SectionKind::Plan)}, {"prozedere", Lex::Section, S(SectionKind::Plan)},
    {"empfehlung", Lex::Section, S(SectionKind::Plan)}, {"nachster termin", Lex::Section, S(SectionKind::Plan)},
    {"therapie", Lex::Section, S(SectionKind::Treatment)}, {"th", Lex::Section, S(SectionKind::Treatment)},
    {"ther", Lex::Section, S(SectionKind::Treatment)}, {"ther.", Lex::Section, S(SectionKind::Treatment)},
    {"behandlung", Lex::Section, S(SectionKind::Treatment)}, {"massnahmen", Lex::Section, S(SectionKind::Treatment)},
    {"patient", Lex::PatientKey}, {"patientin", Lex::PatientKey}, {"pat", Lex::PatientKey}, {"pat.", Lex::PatientKey},
    {"name", Lex::PatientKey},
    {"therapeut", Lex::PractitionerKey}, {"therapeutin", Lex::PractitionerKey}, {"physiotherapeut", Lex::PractitionerKey},
    {"physiotherapeutin", Lex::PractitionerKey}, {"behandler", Lex::PractitionerKey}, {"behandlerin", Lex::PractitionerKey},
    {"datum", Lex::DateKey}, {"behandlungsdatum", Lex::DateKey},
    {"patientennummer", Lex::IdKey}, {"pat.-nr", Lex::IdKey}, {"pat-nr", Lex::IdKey},
};

constexpr std::string_view kMarkers[] = {"der", "die", "das", "und", "mit", "bei", "links", "rechts", "nicht", "ist",
                                         "eingeschrankt", "befund", "schmerz", "im", "am", "zwischen", "den", "von"};

}  // namespace

std::span<const LexWord> german_words() { return kWords; }
std::span<const std::string_view> german_markers() { return kMarkers; }

}  // namespace mfr::legacy::note
