#include "validate/invariants.hpp"

#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

#include "validate/fast.hpp"
#include "validate/primitives.hpp"

namespace mfr::validate::detail {

using json::Value;

const Value* value_x(const Value& object) noexcept {
  if (!object.is_object()) return nullptr;
  for (const json::Member& m : object.as_object())
    if (m.key.size() > 5 && m.key.view().starts_with("value") && m.key[5] >= 'A' && m.key[5] <= 'Z') return &m.value;
  return nullptr;
}

bool has_value_x(const Value& object) noexcept { return value_x(object) != nullptr; }

bool has_coding(const Value* cc, std::string_view system, std::string_view code) noexcept {
  const Value* codings = fast::get(cc, "coding");
  if (codings == nullptr || !codings->is_array()) return false;
  for (const Value& c : codings->as_array())
    if (fast::eq(fast::text(c, "code"), code) && fast::eq(fast::text(c, "system"), system)) return true;
  return false;
}

void check_ext_1(const Value& ext, const Path& at, Sink& sink) {
  const Value* nested = fast::get(ext, "extension");
  const bool has_nested = nested && nested->is_array() && !nested->as_array().empty();
  const bool has_value = has_value_x(ext);
  if (has_nested == has_value)
    sink.error(IssueType::Invariant, at,
               has_value ? "ext-1: an extension has either nested extensions or a value[x], not both."
                         : "ext-1: an extension needs nested extensions or a value[x].",
               ext.position(), "ext-1");
}

void check_per_1(const Value& period, const Path& at, Sink& sink) {
  const auto start = period.string_at("start");
  const auto end = period.string_at("end");
  if (!start || !end) return;
  // Formats are checked by the walk; only compare what is well formed.
  using r4::Kind;
  if (!check_string_primitive(Kind::DateTime, *start).empty() || !check_string_primitive(Kind::DateTime, *end).empty()) return;
  if (compare_date_times(*start, *end) == 1)
    sink.error(IssueType::Invariant, at + ".end",
               "per-1: the period ends (" + std::string(*end) + ") before it starts (" + std::string(*start) + ").",
               fast::get(period, "end")->position(), "per-1");
}

void check_qty_3(const Value& q, const Path& at, Sink& sink) {
  if (fast::get(q, "code") != nullptr && fast::get(q, "system") == nullptr)
    sink.error(IssueType::Invariant, at + ".system", "qty-3: a quantity with a unit code needs the code's system.",
               q.position(), "qty-3");
}

void check_att_1(const Value& a, const Path& at, Sink& sink) {
  if (fast::get(a, "data") != nullptr && fast::get(a, "contentType") == nullptr)
    sink.error(IssueType::Invariant, at + ".contentType", "att-1: an attachment with data needs a contentType.",
               a.position(), "att-1");
}

void check_obs_3(const Value& range, const Path& at, Sink& sink) {
  if (!fast::get(range, "low") && !fast::get(range, "high") && !fast::get(range, "text"))
    sink.error(IssueType::Invariant, at, "obs-3: a reference range needs low, high or text.", range.position(), "obs-3");
}

void check_pat_1(const Value& contact, const Path& at, Sink& sink) {
  if (!fast::get(contact, "name") && !fast::get(contact, "telecom") && !fast::get(contact, "address") && !fast::get(contact, "organization"))
    sink.error(IssueType::Invariant, at, "pat-1: a contact needs a name, telecom, address or organization.",
               contact.position(), "pat-1");
}

void check_txt_2(const Value& narrative, const Path& at, Sink& sink) {
  const Value* div = fast::get(narrative, "div");
  if (div == nullptr || !div->is_string()) return;
  // Some text outside the tags, or an image, counts as content.
  const std::string_view s = div->as_string();
  for (std::size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (c == '<') {
      if (s.compare(i, 4, "<img") == 0) return;
      i = s.find('>', i);  // a tag is skipped whole
      if (i == std::string_view::npos) break;
      ++i;
    } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
      return;
    } else {
      ++i;
    }
  }
  sink.error(IssueType::Invariant, at + ".div", "txt-2: the narrative has no content.", div->position(), "txt-2");
}

void check_observation(const Value& obs, const Path& at, Sink& sink) {
  const Value* value = value_x(obs);
  if (value != nullptr) {
    if (const Value* dar = fast::get(obs, "dataAbsentReason"))
      sink.error(IssueType::Invariant, at + ".dataAbsentReason",
                 "obs-6: dataAbsentReason shall only be present when the observation has no value.", dar->position(), "obs-6");
    // obs-7: with a value, no component may repeat the observation's code.
    const Value* codings = fast::get(fast::get(obs, "code"), "coding");
    const Value* components = fast::get(obs, "component");
    if (codings && codings->is_array() && components && components->is_array()) {
      // The observation's own (system, code) pairs, looked up once rather than per component.
      struct Pair {
        std::string_view system, code;
      };
      constexpr std::size_t kKept = 8;
      Pair kept[kKept];
      std::size_t n = 0;
      for (const Value& o : codings->as_array()) {
        if (n == kKept) break;
        kept[n++] = {fast::text(o, "system"), fast::text(o, "code")};
      }
      const auto is_own = [&](std::string_view system, std::string_view code) {
        for (std::size_t k = 0; k < n; ++k)
          if (fast::eq(kept[k].code, code) && fast::eq(kept[k].system, system)) return true;
        // More codings than kept (rare): compare the rest in place.
        const auto& all = codings->as_array();
        for (std::size_t k = n; k < all.size(); ++k)
          if (fast::eq(fast::text(all[k], "code"), code) && fast::eq(fast::text(all[k], "system"), system)) return true;
        return false;
      };
      const auto& list = components->as_array();
      for (std::size_t i = 0; i < list.size(); ++i) {
        const Value* cc = fast::get(list[i], "code");
        const Value* own = fast::get(cc, "coding");
        if (!own || !own->is_array()) continue;
        bool same = false;
        for (const Value& c : own->as_array()) {
          const std::string_view code = fast::text(c, "code");
          if (code.empty()) continue;
          same = same || is_own(fast::text(c, "system"), code);
        }
        if (same)
          sink.error(IssueType::Invariant, at + ".component[" + std::to_string(i) + "].code",
                     "obs-7: the component has the observation's own code while the observation has a value.",
                     cc->position(), "obs-7");
      }
    }
  }
}

void check_bundle(const Value& bundle, const Path& at, Sink& sink) {
  const std::string_view type = bundle.string_at("type").value_or("");
  const bool search = type == "searchset", history = type == "history";
  const bool wants_request = type == "batch" || type == "transaction" || history;
  const bool wants_response = type == "batch-response" || type == "transaction-response" || history;

  if (const Value* total = fast::get(bundle, "total"); total && !search && !history)
    sink.error(IssueType::Invariant, at + ".total", "bdl-1: total is only for a searchset or history Bundle.", total->position(), "bdl-1");

  const Value* entries = fast::get(bundle, "entry");
  const json::Array empty;
  const auto& list = entries && entries->is_array() ? entries->as_array() : empty;
  // fullUrl + meta.versionId, sorted to find repeats (bdl-7).
  std::vector<std::pair<std::pair<std::string_view, std::string_view>, std::size_t>> urls;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const Value& e = list[i];
    if (!e.is_object()) continue;
    const Path here(at, "entry", i);
    const Value* resource = fast::get(e, "resource");
    const Value* request = fast::get(e, "request");
    const Value* response = fast::get(e, "response");
    if (const Value* s = fast::get(e, "search"); s && !search)
      sink.error(IssueType::Invariant, here + ".search", "bdl-2: entry.search is only for a searchset Bundle.", s->position(), "bdl-2");
    if (wants_request && !request)
      sink.error(IssueType::Invariant, here + ".request", "bdl-3: every entry of a " + std::string(type) + " Bundle needs a request.", e.position(), "bdl-3");
    if (!wants_request && request)
      sink.error(IssueType::Invariant, here + ".request", "bdl-3: entry.request is only for batch, transaction and history Bundles.", request->position(), "bdl-3");
    if (wants_response && !response)
      sink.error(IssueType::Invariant, here + ".response", "bdl-4: every entry of a " + std::string(type) + " Bundle needs a response.", e.position(), "bdl-4");
    if (!wants_response && response)
      sink.error(IssueType::Invariant, here + ".response", "bdl-4: entry.response is only for batch-response, transaction-response and history Bundles.", response->position(), "bdl-4");
    if (!resource && !request && !response)
      sink.error(IssueType::Invariant, here, "bdl-5: an entry needs a resource, a request or a response.", e.position(), "bdl-5");
    if (const auto full_url = e.string_at("fullUrl")) {
      if (full_url->find("/_history/") != std::string_view::npos)
        sink.error(IssueType::Invariant, here + ".fullUrl", "bdl-8: fullUrl cannot be a version-specific reference.", fast::get(e, "fullUrl")->position(), "bdl-8");
      std::string_view version;
      if (resource && resource->is_object())
        if (const Value* meta = fast::get(*resource, "meta"); meta && meta->is_object()) version = meta->string_at("versionId").value_or("");
      urls.push_back({{*full_url, version}, i});
    }
  }
  if (!history && urls.size() > 1) {
    std::sort(urls.begin(), urls.end());
    for (std::size_t k = 1; k < urls.size(); ++k) {
      if (urls[k].first != urls[k - 1].first) continue;
      const std::size_t i = std::max(urls[k].second, urls[k - 1].second);
      sink.error(IssueType::Invariant, at + ".entry[" + std::to_string(i) + "].fullUrl",
                 "bdl-7: the fullUrl " + std::string(urls[k].first.first) + " appears in more than one entry.",
                 fast::get(list[i], "fullUrl")->position(), "bdl-7");
    }
  }
  auto first_resource_type = [&]() -> std::string_view {
    if (list.empty() || !list[0].is_object()) return {};
    const Value* r = list[0].find("resource");
    return r ? r->string_at("resourceType").value_or("") : std::string_view{};
  };
  if (type == "document") {
    const Value* id = fast::get(bundle, "identifier");
    if (!id || !id->is_object() || !fast::get(*id, "system") || !fast::get(*id, "value"))
      sink.error(IssueType::Invariant, at + ".identifier", "bdl-9: a document Bundle needs an identifier with a system and a value.", bundle.position(), "bdl-9");
    if (!fast::get(bundle, "timestamp"))
      sink.error(IssueType::Invariant, at + ".timestamp", "bdl-10: a document Bundle needs a timestamp.", bundle.position(), "bdl-10");
    if (first_resource_type() != "Composition")
      sink.error(IssueType::Invariant, at + ".entry[0].resource", "bdl-11: the first resource of a document Bundle must be a Composition.", bundle.position(), "bdl-11");
  } else if (type == "message" && first_resource_type() != "MessageHeader") {
    sink.error(IssueType::Invariant, at + ".entry[0].resource", "bdl-12: the first resource of a message Bundle must be a MessageHeader.", bundle.position(), "bdl-12");
  }
}

}  // namespace mfr::validate::detail
