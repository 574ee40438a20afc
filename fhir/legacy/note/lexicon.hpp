#pragma once
// The words of legacy notes and what they mean, as data: one table per language
// (lexicon_en.cpp, lexicon_fr.cpp, lexicon_de.cpp). Adding Spanish or Dutch is a new table and one
// line in kLanguages, not new code.
//
// Every entry is written folded (note/fold.hpp: lower case, no accents); a phrase is its words
// separated by one space, with punctuation written where it is glued to a word ("o.b.", "b/l",
// "t-spine"). The reader tries the longest phrase first. An entry marked `local` is read only in
// a note of its own language: "re" is "rechts" in German but "Re:" in an English letter, "d" after
// a site is "droite" only in French.
//
// The language of a note is the one most of its words speak: each word counts for the one
// language whose table alone has it ("marquée", "eingeschränkt", "tight"), and a marker word
// (ordinary function words: "the", "le", "der") counts twice; English on a tie. Words of the other tables are still read
// (a note may mix languages) unless they are `local`.
#include <cstdint>
#include <span>
#include <string_view>

namespace mfr::legacy::note {

enum class Lang : std::uint8_t { En, Fr, De };
inline constexpr int kLangCount = 3;

enum class Lex : std::uint8_t {
  None,
  Side,          // value: 1 left, 2 right, 3 both, 5 left worse ("L>R"), 6 right worse
  Grade,         // value: 0..3 (0: free, no restriction: "RAS", "o.B.", "frei", "NAD")
  GradeKeyword,  // "grade", "Grad": a number follows
  Restricted,    // restriction with no grade: "tight", "restriction", "eingeschränkt"
  Tender,        // value 1 tender, 0 not tender
  Release,       // value: ReleaseResponse
  Technique,     // the treatment itself: "kneading", "palper-rouler", "Kibler-Falte"; no meaning
  Therapy,       // another therapy: a clause naming it gives no finding
  Excluded,      // history, family history, orthopaedic tests: a clause naming it gives no finding
  Foreign,       // a body part we do not chart (knee, hip, Gesäß): takes the words around it
  Region,        // value: BodyRegion, or kSacrumValue
  Connector,     // "and", "et", "und"
  Separator,     // "but", "mais", "aber"
  Except,        // "except", "apart from", "sauf", "außer": ends the clause; what follows overrides it
  Before,        // "previously", "last week", "vorher": ends the clause; what follows is history
  Negation,      // "no", "pas de", "kein": the next finding word is negated
  Filler,        // articles and prepositions skipped after a negation or a pain word
  PainWord,      // value 0: a 0-10 score may follow ("pain", "douleur", "Schmerz", "NRS"); 1: also VAS mm
  SessionWord,
  MoreWord,
  Schedule,
  PlanMarker,
  Reported,      // the patient's own words: "reports", "se plaint", "klagt"
  Overall,
  Section,       // value: SectionKind
  PatientKey,    // header keys before ':'
  PractitionerKey,
  DateKey,
  IdKey,
};

// What a section heading opens. Findings come from Objective, Treatment and unsectioned text.
enum class SectionKind : std::uint8_t { None, Subjective, Objective, Assessment, Plan, Treatment };

inline constexpr std::uint8_t kSacrumValue = 200;  // a Region entry that is the sacrum as a level

struct LexWord {
  std::string_view text;
  Lex kind = Lex::None;
  std::uint8_t value = 0;
  bool local = false;
};

struct LexEntry {
  Lex kind = Lex::None;
  std::uint8_t value = 0;
  bool starter = false;  // begins a phrase of several words
};

struct LanguageTable {
  Lang lang;
  std::string_view name;            // "en"
  std::span<const LexWord> words;   // words and phrases
  std::span<const std::string_view> markers;  // function words that tell the language
};

// Each table: its words and phrases, its marker words, and the words that, just before a date,
// make it another kind of date than the visit's (a date of birth, a next appointment, a letter).
std::span<const LexWord> english_words();
std::span<const std::string_view> english_markers();
std::span<const std::string_view> english_other_date_words();
std::span<const LexWord> french_words();
std::span<const std::string_view> french_markers();
std::span<const std::string_view> french_other_date_words();
std::span<const LexWord> german_words();
std::span<const std::string_view> german_markers();
std::span<const std::string_view> german_other_date_words();

// The entry for a folded word or phrase in a note of language `lang`.
LexEntry lookup(std::string_view folded, Lang lang);
// The same for a line's heading key before ':' ("objective", "befund", "conduite a tenir").
LexEntry lookup_heading(std::string_view folded, Lang lang);
// What a word says about the note's language: bit (1 << Lang) for each table that has it (as a
// word, the first word of a phrase or a heading), and the language it is a marker word of (-1).
struct LanguageHint {
  unsigned languages = 0;
  int marker = -1;
};
LanguageHint language_hint(std::string_view folded);
// A folded word any table lists as making the next date another kind of date ("dob", "geb",
// "prochain"...): read in every language, since visits are cut before a note's language is known.
bool is_other_date_word(std::string_view folded);
// "en", "fr", "de"; `Lang` for a name given on the command line ("fr", "french", "francais").
std::string_view language_name(Lang lang) noexcept;
bool language_from_name(std::string_view name, Lang& out) noexcept;

}  // namespace mfr::legacy::note
