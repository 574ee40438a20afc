#include "legacy/note/lexicon.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace mfr::legacy::note {
namespace {

struct LanguageData {
  Lang lang;
  std::string_view name;
  std::span<const LexWord> (*words)();
  std::span<const std::string_view> (*markers)();
};

// The languages the reader knows, in the order a word is looked for when the note's own
// language has no entry for it.
const std::array<LanguageData, kLangCount> kLanguages = {{
    {Lang::En, "en", english_words, english_markers},
    {Lang::Fr, "fr", french_words, french_markers},
    {Lang::De, "de", german_words, german_markers},
}};

bool is_heading_kind(Lex k) noexcept {
  return k == Lex::Section || k == Lex::PatientKey || k == Lex::PractitionerKey || k == Lex::DateKey ||
         k == Lex::IdKey;
}

struct Slot {
  std::array<const LexWord*, kLangCount> by_lang{};
};


struct Tables {
  std::unordered_map<std::string_view, Slot> words;     // findings vocabulary
  std::unordered_map<std::string_view, Slot> headings;  // what comes before a ':' at a line start
  std::unordered_set<std::string_view> starters;            // first words of phrases
  std::unordered_map<std::string_view, Lang> markers;
  std::unordered_map<std::string_view, unsigned> languages;  // first words of entries -> languages
  int longest = 1;
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
        t.languages[w.text.substr(0, first_end == std::string_view::npos ? w.text.size() : first_end)] |= 1u << li;
        if (first_end != std::string_view::npos && first_end > 0) {
          int words = 1;
          for (char c : w.text) words += c == ' ';
          t.starters.emplace(w.text.substr(0, first_end));
          t.longest = std::max(t.longest, words);
        }
      }
      for (std::string_view m : l.markers()) t.markers.emplace(m, l.lang);
    }
    return t;
  }();
  return built;
}

LexEntry pick(const Slot& slot, Lang lang) {
  const LexWord* own = slot.by_lang[static_cast<int>(lang)];
  const LexWord* w = own;
  for (int i = 0; !w && i < kLangCount; ++i)
    if (slot.by_lang[i] && !slot.by_lang[i]->local) w = slot.by_lang[i];
  if (!w) return {};
  return {w->kind, w->value, false};
}

LexEntry find_in(const std::unordered_map<std::string_view, Slot>& map, std::string_view folded, Lang lang) {
  const auto it = map.find(folded);
  LexEntry e = it == map.end() ? LexEntry{} : pick(it->second, lang);
  e.starter = tables().starters.count(folded) != 0;
  return e;
}

}  // namespace

LexEntry lookup(std::string_view folded, Lang lang) { return find_in(tables().words, folded, lang); }

LexEntry lookup_heading(std::string_view folded, Lang lang) { return find_in(tables().headings, folded, lang); }

bool starts_phrase(std::string_view folded) {
  const auto& s = tables().starters;
  return s.find(folded) != s.end();
}

int longest_phrase() { return tables().longest; }

const Lang* marker_language(std::string_view folded) {
  const auto& m = tables().markers;
  const auto it = m.find(folded);
  return it == m.end() ? nullptr : &it->second;
}

unsigned language_mask(std::string_view folded) {
  const auto& m = tables().languages;
  const auto it = m.find(folded);
  return it == m.end() ? 0u : it->second;
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
