#include "exchange/bundle_parts.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <string_view>

#include "exchange/errors.hpp"

namespace mfr::exchange {
namespace {

void collect_references(const json::Value& v, std::vector<std::string_view>& out) {
  if (v.is_array()) {
    for (const json::Value& item : v.as_array()) collect_references(item, out);
  } else if (v.is_object()) {
    for (const json::Member& m : v.as_object()) {
      if (m.key.view() == "reference" && m.value.is_string()) out.push_back(m.value.as_string());
      else collect_references(m.value, out);
    }
  }
}

struct Groups {
  std::vector<std::size_t> parent;
  std::size_t root(std::size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  }
  void join(std::size_t a, std::size_t b) {
    a = root(a);
    b = root(b);
    if (a != b) parent[a] = b;
  }
};

// The session a group of entries is: its Procedure's identifier, else the Procedure it is part of.
std::string session_name(const json::Array& entries, const std::vector<std::size_t>& members, std::string_view shared) {
  for (std::size_t i : members) {
    const json::Value* r = entries[i].find("resource");
    if (!r || r->string_at("resourceType") != "Procedure") continue;
    if (const json::Value* ids = r->find("identifier"); ids && ids->is_array() && ids->size())
      if (auto value = ids->as_array()[0].string_at("value")) return "session \"" + std::string(*value) + "\"";
  }
  if (!shared.empty()) return "the session of " + std::string(shared);
  return "the entry " + std::string(entries[members.front()].string_at("fullUrl").value_or("without fullUrl"));
}

// What a session's entries are, by type in order of first appearance: "1 Procedure, 8 Observations".
std::string contents(const json::Array& entries, const std::vector<std::size_t>& members) {
  std::vector<std::pair<std::string, int>> types;
  for (std::size_t i : members) {
    const json::Value* r = entries[i].find("resource");
    const std::string type(r ? r->string_at("resourceType").value_or("resource") : "resource");
    auto at = std::find_if(types.begin(), types.end(), [&](const auto& t) { return t.first == type; });
    if (at == types.end()) types.emplace_back(type, 1);
    else ++at->second;
  }
  std::string out;
  for (const auto& [type, count] : types)
    out += (out.empty() ? "" : ", ") + std::to_string(count) + " " + type + (count > 1 ? "s" : "");
  return out;
}

std::string part_json(const json::Value& skeleton, const json::Array& entries, const std::vector<std::size_t>& members) {
  json::Value part = skeleton;
  json::Value list = json::Value::array();
  for (std::size_t i : members) list.push_back(entries[i]);
  part["entry"] = std::move(list);
  return part.dump();
}

}  // namespace

BundleCut cut_transaction(const json::Value& bundle, const BundleLimits& limits) {
  BundleCut cut;
  const json::Value* entry_value = bundle.find("entry");
  const bool has_entries = entry_value && entry_value->is_array();
  const int total = has_entries ? static_cast<int>(entry_value->size()) : 0;
  std::string whole = bundle.dump();
  if (!limits.any() || !has_entries || ((limits.max_entries <= 0 || total <= limits.max_entries) &&
                                        (limits.max_bytes == 0 || whole.size() <= limits.max_bytes)))
  {
    cut.parts.push_back(BundlePart{std::move(whole), total});
    return cut;
  }

  const json::Array& entries = entry_value->as_array();
  const std::size_t n = entries.size();
  // Link entries that refer to one another, or to the same Procedure outside the Bundle.
  std::map<std::string, std::size_t, std::less<>> holder;  // fullUrl or Procedure/id -> first entry
  for (std::size_t i = 0; i < n; ++i)
    if (auto url = entries[i].string_at("fullUrl")) holder.emplace(std::string(*url), i);
  Groups groups{std::vector<std::size_t>(n)};
  std::iota(groups.parent.begin(), groups.parent.end(), std::size_t{0});
  std::map<std::size_t, std::string> shared_procedure;  // group root -> "Procedure/id" it shares
  std::vector<std::string_view> refs;
  for (std::size_t i = 0; i < n; ++i) {
    refs.clear();
    if (const json::Value* r = entries[i].find("resource")) collect_references(*r, refs);
    for (std::string_view ref : refs) {
      const bool in_bundle = holder.count(ref) > 0;
      if (!in_bundle && !ref.starts_with("Procedure/")) continue;  // patients, practitioners: shared by all
      const auto at = holder.emplace(std::string(ref), i).first;
      groups.join(i, at->second);
      if (!in_bundle) shared_procedure[i] = std::string(ref);
    }
  }
  // Groups in the order of their first entry; entries in Bundle order within each.
  std::vector<std::vector<std::size_t>> sessions;
  std::map<std::size_t, std::size_t> index_of_root;
  for (std::size_t i = 0; i < n; ++i) {
    const auto [at, added] = index_of_root.emplace(groups.root(i), sessions.size());
    if (added) sessions.emplace_back();
    sessions[at->second].push_back(i);
  }

  json::Value skeleton = bundle;
  skeleton.erase("entry");
  skeleton["entry"] = json::Value::array();
  const std::size_t skeleton_bytes = skeleton.dump().size();  // ...,"entry":[]}
  std::vector<std::size_t> entry_bytes(n);
  for (std::size_t i = 0; i < n; ++i) entry_bytes[i] = entries[i].dump().size();

  std::vector<std::size_t> current;
  std::size_t current_bytes = skeleton_bytes;
  const auto bytes_with = [&](std::size_t bytes, std::size_t count, std::size_t added) {
    return bytes + added + (count ? 1 : 0);  // a comma between entries
  };
  const auto close = [&] {
    if (current.empty()) return;
    cut.parts.push_back(BundlePart{part_json(skeleton, entries, current), static_cast<int>(current.size())});
    current.clear();
    current_bytes = skeleton_bytes;
  };
  for (const std::vector<std::size_t>& s : sessions) {
    std::size_t s_bytes = 0;
    for (std::size_t k = 0; k < s.size(); ++k) s_bytes += entry_bytes[s[k]] + (k ? 1 : 0);
    const std::size_t alone = skeleton_bytes + s_bytes;
    const int count = static_cast<int>(s.size());
    std::string shared;
    for (std::size_t i : s)
      if (auto f = shared_procedure.find(i); f != shared_procedure.end()) shared = f->second;
    if (limits.max_entries > 0 && count > limits.max_entries) {
      cut.oversized = session_name(entries, s, shared) + ": its " + std::to_string(count) +
                      " entries (" + contents(entries, s) + ") travel in one transaction Bundle, "
                      "more than the partner's limit of " + std::to_string(limits.max_entries) +
                      " (max_bundle_entries, --max-bundle-entries)";
      cut.parts.clear();
      return cut;
    }
    if (limits.max_bytes > 0 && alone > limits.max_bytes) {
      cut.oversized = session_name(entries, s, shared) + ": its transaction Bundle is " + std::to_string(alone) +
                      " bytes, more than the partner's limit of " + std::to_string(limits.max_bytes) +
                      " bytes (max_bundle_bytes, --max-bundle-bytes)";
      cut.parts.clear();
      return cut;
    }
    const bool fits_entries = limits.max_entries <= 0 || static_cast<int>(current.size()) + count <= limits.max_entries;
    const bool fits_bytes = limits.max_bytes == 0 || bytes_with(current_bytes, current.size(), s_bytes) <= limits.max_bytes;
    if (!fits_entries || !fits_bytes) close();
    current_bytes = bytes_with(current_bytes, current.size(), s_bytes);
    current.insert(current.end(), s.begin(), s.end());
  }
  close();
  return cut;
}

std::vector<BundlePart> split_transaction(const json::Value& bundle, const BundleLimits& limits) {
  BundleCut cut = cut_transaction(bundle, limits);
  if (cut.oversized)
    throw ExchangeError(ErrorKind::configuration,
                        "Cannot push " + *cut.oversized + "; a session travels whole, so nothing was queued.");
  return std::move(cut.parts);
}

}  // namespace mfr::exchange
