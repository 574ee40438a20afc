#include "legacy/note/lexicon.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <unordered_map>

namespace mfr::legacy::note {
namespace {

struct LanguageData {
  Lang lang;
  std::string_view name;
  std::span<const LexWord> (*words)();
  std::span<const std::string_view> (*markers)();
  std::span<const std::string_view> (*other_date_words)();
};

// The languages the reader knows, in the order a word is looked for when the note's own
// language has no entry for it.
const std::array<LanguageData, kLangCount> kLanguages = {{
    {Lang::En, "en", english_words, english_markers, english_other_date_words},
    {Lang::Fr, "fr", french_words, french_markers, french_other_date_words},
    {Lang::De, "de", german_words, german_markers, german_other_date_words},
}};

bool is_heading_kind(Lex k) noexcept {
  return k == Lex::Section || k == Lex::PatientKey || k == Lex::PractitionerKey || k == Lex::DateKey ||
         k == Lex::IdKey;
}

// Everything known about one folded word, found with one hash lookup: its entry per language,
// whether a phrase starts with it, which tables have it, and the language it marks.
struct Slot {
  std::array<const LexWord*, kLangCount> by_lang{};
  bool starter = false;
  unsigned languages = 0;
  int marker = -1;
  bool other_date = false;
};

struct Tables {
  std::unordered_map<std::string_view, Slot> words;     // findings vocabulary, phrase starts, markers
  std::unordered_map<std::string_view, Slot> headings;  // what comes before a ':' at a line start
};

const Tables& tables() {
  static const Tables built = [] {
    Tables t;
    for (const LanguageData& l : kLanguages) {
      const int li = static_cast<int>(l.lang);
      for (const LexWord& w : l.words()) {
        auto& map = is_heading_kind(w.kind) ? t.headings : t.words;
        Slot& slot = map[w.text];
        if (!slot.by_lang[li]) slot.by_lang[li] = &w;  // the first entry of a table wins
        // A phrase is several tokens: words apart or glued by punctuation ("o.b.", "b/l").
        const std::size_t first_end = w.text.find_first_of(" ./-&");
        Slot& first = t.words[w.text.substr(0, first_end == std::string_view::npos ? w.text.size() : first_end)];
        first.languages |= 1u << li;
        if (first_end != std::string_view::npos && first_end > 0) first.starter = true;
      }
      for (std::string_view m : l.markers()) t.words[m].marker = li;
      for (std::string_view d : l.other_date_words()) t.words[d].other_date = true;
    }
    return t;
  }();
  return built;
}

LexEntry pick(const Slot& slot, Lang lang) {
  const LexWord* w = slot.by_lang[static_cast<int>(lang)];
  for (int i = 0; !w && i < kLangCount; ++i)
    if (slot.by_lang[i] && !slot.by_lang[i]->local) w = slot.by_lang[i];
  LexEntry e;
  if (w) e = {w->kind, w->value, false};
  e.starter = slot.starter;
  return e;
}

const Slot* find_slot(const std::unordered_map<std::string_view, Slot>& map, std::string_view folded) {
  const auto it = map.find(folded);
  return it == map.end() ? nullptr : &it->second;
}

}  // namespace

LexEntry lookup(std::string_view folded, Lang lang) {
  const Slot* slot = find_slot(tables().words, folded);
  return slot ? pick(*slot, lang) : LexEntry{};
}

LexEntry lookup_heading(std::string_view folded, Lang lang) {
  const Slot* slot = find_slot(tables().headings, folded);
  return slot ? pick(*slot, lang) : LexEntry{};
}

LanguageHint language_hint(std::string_view folded) {
  const Slot* slot = find_slot(tables().words, folded);
  if (!slot) return {};
  return {slot->languages, slot->marker};
}

bool is_other_date_word(std::string_view folded) {
  const Slot* slot = find_slot(tables().words, folded);
  return slot && slot->other_date;
}

std::string_view language_name(Lang lang) noexcept { return kLanguages[static_cast<int>(lang)].name; }

bool language_from_name(std::string_view name, Lang& out) noexcept {
  static constexpr std::pair<std::string_view, Lang> kNames[] = {
      {"en", Lang::En}, {"english", Lang::En}, {"fr", Lang::Fr}, {"french", Lang::Fr}, {"francais", Lang::Fr},
      {"de", Lang::De}, {"german", Lang::De}, {"deutsch", Lang::De}};
  for (const auto& [n, l] : kNames)
    if (n == name) {
      out = l;
      return true;
    }
  return false;
}

}  // namespace mfr::legacy::note
