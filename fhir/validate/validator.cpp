// The table-driven walk over a resource: every member is looked up in the generated R4 tables
// and checked for name, JSON type, cardinality, choice, format and binding; then the invariants
// and profile rules of the structure or resource are run.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <string>
#include <vector>

#include "validate/fast.hpp"
#include "validate/invariants.hpp"
#include "validate/xhtml.hpp"
#include "validate/path.hpp"
#include "validate/primitives.hpp"
#include "validate/profiles.hpp"
#include "validate/sink.hpp"
#include "validate/tables.hpp"
#include "validate/validate.hpp"

namespace mfr::validate {
namespace {

using detail::Sink;
using json::Value;
using r4::Element;
using r4::Kind;
using r4::kNone;

std::string quoted(std::string_view s) {
  std::string out = "'";
  out.append(s.substr(0, 200));
  if (s.size() > 200) out += "...";
  out += "'";
  return out;
}

// 128 bits: which rows of a structure were seen (structures have at most 128 rows).
struct Seen {
  std::uint64_t bits[2] = {0, 0};
  bool test_and_set(std::size_t i) {
    const std::uint64_t mask = std::uint64_t{1} << (i & 63);
    const bool was = (bits[i >> 6] & mask) != 0;
    bits[i >> 6] |= mask;
    return was;
  }
};

class Walker {
 public:
  Walker(Sink& sink, Checks checks) : sink_(sink), checks_(checks), steps_(32) {}

  // `conditional_allowed`: the resource is a transaction or batch entry's, whose conditional
  // references the server resolves.
  void root(const Value& resource, bool conditional_allowed = false) {
    conditional_allowed_ = conditional_allowed;
    walk_resource(resource, {}, false);
  }

 private:
  // What a resource (with the resources it contains) knows while it is walked: ids of its
  // contained resources, and which of them are referenced (dom-3, ref-1).
  struct Contained {
    std::string_view id;
    bool referenced = false;
    bool refers_to_container = false;
    std::string path;
    json::Position where;
  };
  struct Frame {
    std::vector<Contained> contained;
    int current = -1;  // index of the contained resource being walked, -1 for the container
  };

  Sink& sink_;
  Checks checks_;
  static constexpr std::uint32_t kNoIndex = 0xFFFFFFFF;
  struct Step {
    std::string_view name;
    std::uint32_t index;  // kNoIndex for a member name
  };
  std::vector<Step> steps_;  // [0, depth_steps_) in use; grown, never shrunk
  std::size_t depth_steps_ = 0;
  std::vector<Frame> frames_;
  std::size_t depth_ = 0;  // frames_ in use (frames are kept to reuse their storage)
  bool conditional_allowed_ = false;
  // The entries' fullUrls (sorted) of the Bundle being walked: a urn:uuid reference must name one.
  std::vector<std::string_view> bundle_urls_;
  bool in_bundle_ = false;

  // ---- paths -------------------------------------------------------------------------------
  // The path is kept as steps (member names and indexes) and spelled out only for an issue:
  // most elements are valid, so most paths are never written.
  std::size_t push(std::string_view name) { return push_step(Step{name, kNoIndex}); }
  std::size_t push_index(std::size_t i) { return push_step(Step{{}, static_cast<std::uint32_t>(i)}); }
  std::size_t push_step(Step step) {
    if (depth_steps_ == steps_.size()) steps_.resize(steps_.size() * 2);
    steps_[depth_steps_] = step;
    return depth_steps_++;
  }
  void pop(std::size_t mark) { depth_steps_ = mark; }
  std::string path() const {
    std::string out;
    path_to(out);
    return out;
  }
  void path_to(std::string& out) const {
    for (std::size_t k = 0; k < depth_steps_; ++k) {
      const Step& s = steps_[k];
      if (s.index != kNoIndex) {
        char digits[16];
        const auto end = std::to_chars(digits, digits + sizeof digits, s.index).ptr;
        out += '[';
        out.append(digits, end);
        out += ']';
      } else {
        if (!out.empty()) out += '.';
        out += s.name;
      }
    }
  }
  // The current path, spelled only if a check raises an issue.
  detail::Path here() const {
    return detail::Path(this, [](const void* walker, std::string& out) { static_cast<const Walker*>(walker)->path_to(out); });
  }
  std::string child(std::string_view name) const {
    std::string out = path();
    if (!out.empty()) out += '.';
    out += name;
    return out;
  }

  // ---- resources ---------------------------------------------------------------------------
  void walk_resource(const Value& v, std::string_view expected_type, bool contained) {
    if (!v.is_object()) {
      sink_.error(IssueType::Structure, path(), "A resource must be a JSON object, not " + std::string(json::type_name(v.type())) + ".", v.position());
      return;
    }
    const Value* rt = fast::get(v, "resourceType");
    if (rt == nullptr) {
      sink_.error(IssueType::Required, path(), "The resource has no resourceType.", v.position());
      return;
    }
    if (!rt->is_string()) {
      sink_.error(IssueType::Structure, path(), "resourceType must be a string.", rt->position());
      return;
    }
    const std::string_view type = rt->as_string();
    if (!expected_type.empty() && expected_type != "Resource" && type != expected_type) {
      sink_.error(IssueType::Structure, path(), "A " + std::string(expected_type) + " resource is expected here, not " + std::string(type) + ".", rt->position());
      return;
    }
    const std::uint16_t structure = r4::resource_structure(type);
    if (structure == kNone) {
      if (!r4::is_resource_type(type)) {
        sink_.error(IssueType::Invalid, path(), quoted(type) + " is not an R4 resource type.", rt->position());
      } else {
        sink_.add(Severity::Information, IssueType::NotSupported, depth_steps_ == 0 ? std::string(type) : path(),
                  "The validator checks " + std::string(type) + " resources only for their resourceType.", rt->position());
      }
      return;
    }
    const std::size_t mark = depth_steps_;
    if (depth_steps_ == 0) push(rt->as_string());

    if (contained) {
      check_contained(v);
      register_contained(v);
      walk_object(v, structure, true);
      if (depth_ > 0) frames_[depth_ - 1].current = -1;
    } else {
      enter_frame(v);
      const bool saved = conditional_allowed_;
      const bool saved_in_bundle = in_bundle_;
      std::vector<std::string_view> saved_urls;
      if (structure == r4::kBundle) {
        const auto bt = v.string_at("type");
        conditional_allowed_ = bt && (*bt == "transaction" || *bt == "batch");
        saved_urls = std::move(bundle_urls_);
        collect_full_urls(v);
      }
      walk_object(v, structure, true);
      conditional_allowed_ = saved;
      if (structure == r4::kBundle) {
        bundle_urls_ = std::move(saved_urls);
        in_bundle_ = saved_in_bundle;
      }
      leave_frame();
    }
    if (structure == r4::kObservation) {
      const detail::Path at = here();
      detail::check_observation(v, at, sink_);
      detail::check_finding_profile(v, at, sink_);
    } else if (structure == r4::kBundle) {
      detail::check_bundle(v, here(), sink_);
    } else if (structure == r4::kProcedure) {
      detail::check_procedure_profile(v, here(), sink_);
    }
    pop(mark);
  }

  void collect_full_urls(const Value& bundle) {
    bundle_urls_.clear();
    in_bundle_ = true;
    const Value* entries = fast::get(bundle, "entry");
    if (entries == nullptr || !entries->is_array()) return;
    for (const Value& e : entries->as_array())
      if (const Value* url = fast::get(e, "fullUrl"); url && url->is_string()) bundle_urls_.push_back(url->as_string());
    std::sort(bundle_urls_.begin(), bundle_urls_.end());
  }

  void enter_frame(const Value& resource) {
    if (frames_.size() <= depth_) frames_.emplace_back();
    Frame& f = frames_[depth_++];
    f.contained.clear();
    f.current = -1;
    // Contained ids are collected first so that a reference before `contained` resolves (ref-1).
    if (const Value* list = fast::get(resource, "contained"); list && list->is_array()) {
      std::size_t i = 0;
      for (const Value& c : list->as_array()) {
        Contained entry;
        if (c.is_object())
          if (const auto id = c.string_at("id")) entry.id = *id;
        entry.path = child("contained") + "[" + std::to_string(i++) + "]";
        entry.where = c.position();
        f.contained.push_back(std::move(entry));
      }
    }
  }

  void leave_frame() {
    Frame& f = frames_[--depth_];
    for (const Contained& c : f.contained) {
      if (!c.referenced && !c.refers_to_container)
        sink_.error(IssueType::Invariant, c.path,
                    "dom-3: the contained resource" + (c.id.empty() ? std::string() : " " + quoted(c.id)) +
                        " is not referenced from the rest of the resource and does not refer to it.",
                    c.where, "dom-3");
    }
  }

  void register_contained(const Value&) {
    // The frame already lists the contained resources; mark which one is being walked.
    if (depth_ == 0) return;
    Frame& f = frames_[depth_ - 1];
    for (std::size_t i = 0; i < f.contained.size(); ++i)
      if (f.contained[i].path == path()) f.current = static_cast<int>(i);
  }

  void check_contained(const Value& r) {
    if (const Value* c = fast::get(r, "contained"))
      sink_.error(IssueType::Invariant, child("contained"), "dom-2: a contained resource shall not contain resources.", c->position(), "dom-2");
    if (const Value* meta = fast::get(r, "meta"); meta && meta->is_object()) {
      const std::string m = child("meta");
      if (const Value* x = fast::get(*meta, "versionId"))
        sink_.error(IssueType::Invariant, m + ".versionId", "dom-4: a contained resource shall not have a meta.versionId.", x->position(), "dom-4");
      if (const Value* x = fast::get(*meta, "lastUpdated"))
        sink_.error(IssueType::Invariant, m + ".lastUpdated", "dom-4: a contained resource shall not have a meta.lastUpdated.", x->position(), "dom-4");
      if (const Value* x = fast::get(*meta, "security"))
        sink_.error(IssueType::Invariant, m + ".security", "dom-5: a contained resource shall not have security labels.", x->position(), "dom-5");
    }
  }

  // ---- objects -----------------------------------------------------------------------------
  void walk_object(const Value& obj, std::uint16_t structure, bool resource_root) {
    const auto& members = obj.as_object();
    const r4::Structure& st = r4::kStructures[structure];
    const Element* rows = r4::kElements + st.first;
    Seen seen_value, seen_extension;
    std::uint32_t required_seen = 0;
    std::uint32_t choice_seen = 0;
    const Element* choice_first[8] = {};
    std::size_t content = 0;  // members other than id (ele-1)

    for (const json::Member& m : members) {
      std::string_view key = m.key;
      if (resource_root && key == "resourceType") continue;
      const bool underscore = !key.empty() && key.front() == '_';
      const std::string_view name = underscore ? key.substr(1) : key;
      const Element* el = r4::find_element(structure, name);
      if (el == nullptr) {
        sink_.error(IssueType::Structure, child(key),
                    "Unknown element " + quoted(key) + " in " + std::string(st.name) + ".", m.value.position());
        continue;
      }
      if (underscore && !r4::is_primitive(el->kind)) {
        sink_.error(IssueType::Structure, child(key),
                    quoted(key) + " is not allowed: " + std::string(name) + " is a " + std::string(el->type) + ", not a primitive.",
                    m.value.position());
        continue;
      }
      const std::size_t row = static_cast<std::size_t>(el - rows);
      if ((underscore ? seen_extension : seen_value).test_and_set(row)) {
        sink_.error(IssueType::Structure, child(key), "The member " + quoted(key) + " appears twice.", m.value.position());
        continue;
      }
      if (!(name.size() == 2 && name[0] == 'i' && name[1] == 'd')) ++content;
      if (el->choice != 0 && el->choice <= 8) {
        const std::uint32_t bit = 1u << (el->choice - 1);
        const Element*& first = choice_first[el->choice - 1];
        if ((choice_seen & bit) && first != el) {
          sink_.error(IssueType::Structure, child(el->name),
                      "Only one of " + std::string(first->name) + " and " + std::string(el->name) + " may be present: " +
                          std::string(el->choice_name) + " takes one type.",
                      m.value.position());
          continue;
        }
        choice_seen |= bit;
        first = el;
      }
      if (el->required_slot != kNone) required_seen |= 1u << el->required_slot;

      const std::size_t mark = push(name);
      if (el->max == 0) {
        sink_.error(IssueType::Structure, path(), std::string(name) + " is not allowed in " + std::string(st.name) + " (max 0).", m.value.position());
      } else if (el->many()) {
        walk_array(obj, *el, underscore, m.value);
      } else if (m.value.is_array()) {
        sink_.error(IssueType::Structure, path(),
                    std::string(name) + " takes a single value, not an array (max " + std::to_string(el->max) + ").", m.value.position());
      } else {
        walk_item(*el, underscore, m.value, false);
      }
      pop(mark);
    }

    if (st.required_count != 0 && required_seen != (1u << st.required_count) - 1) {
      for (std::uint16_t i = 0; i < st.count; ++i) {
        const Element& el = rows[i];
        if (el.required_slot == kNone || (required_seen & (1u << el.required_slot))) continue;
        required_seen |= 1u << el.required_slot;  // report a choice group once
        const std::string_view shown = el.choice ? std::string_view(el.choice_name).substr(0, el.choice_name.size() - 3) : el.name;
        sink_.error(IssueType::Required, child(shown),
                    std::string(st.name) + "." + std::string(el.choice ? el.choice_name : el.name) + " is required (min " +
                        std::to_string(el.min) + ") but missing.",
                    obj.position());
      }
    }
    if (content == 0 && !members.empty() && !resource_root)
      sink_.error(IssueType::Invariant, path(), "ele-1: an element must have a value or children, not only an id.", obj.position(), "ele-1");
  }

  void walk_array(const Value& parent, const Element& el, bool underscore, const Value& v) {
    if (!v.is_array()) {
      sink_.error(IssueType::Structure, path(),
                  std::string(el.name) + " repeats (max " + (el.max == kNone ? std::string("*") : std::to_string(el.max)) +
                      ") and must be an array, not a single " + std::string(json::type_name(v.type())) + ".",
                  v.position());
      return;
    }
    const auto& items = v.as_array();
    if (items.empty()) {
      sink_.error(IssueType::Structure, path(), "An array must not be empty; leave the element out instead.", v.position(), "ele-1");
      return;
    }
    if (el.max != kNone && items.size() > el.max)
      sink_.error(IssueType::Structure, path(),
                  std::string(el.name) + " allows at most " + std::to_string(el.max) + " items, not " + std::to_string(items.size()) + ".",
                  v.position());
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::size_t mark = push_index(i);
      if (items[i].is_null()) {
        // A null keeps primitive arrays aligned with their `_name` twin; it needs a partner there.
        if (!r4::is_primitive(el.kind) || !partner_present(parent, el.name, underscore, i))
          sink_.error(IssueType::Structure, path(), "null is only allowed to align a primitive array with its extensions.", items[i].position());
      } else {
        walk_item(el, underscore, items[i], true);
      }
      pop(mark);
    }
  }

  static bool partner_present(const Value& parent, std::string_view name, bool underscore, std::size_t i) {
    const Value* twin = nullptr;
    if (underscore) {
      twin = parent.find(name);
    } else {
      std::string key = "_";
      key += name;
      twin = parent.find(key);
    }
    return twin && twin->is_array() && i < twin->as_array().size() && !twin->as_array()[i].is_null();
  }

  void walk_item(const Element& el, bool underscore, const Value& v, bool in_array) {
    (void)in_array;
    if (v.is_null()) {
      sink_.error(IssueType::Structure, path(), "null is not a value; leave the element out instead.", v.position());
      return;
    }
    if (underscore) {
      if (!v.is_object()) {
        sink_.error(IssueType::Structure, path(), "The extensions of a primitive (_" + std::string(el.name) + ") must be an object.", v.position());
        return;
      }
      if (v.as_object().empty()) {
        sink_.error(IssueType::Invariant, path(), "ele-1: an empty object is not an element; leave it out.", v.position(), "ele-1");
        return;
      }
      walk_object(v, r4::kElement, false);
      return;
    }
    if (r4::is_primitive(el.kind)) {
      check_primitive(el, v);
      return;
    }
    if (el.kind == Kind::Resource) {
      walk_resource(v, el.type, el.name == "contained");
      return;
    }
    if (!v.is_object()) {
      sink_.error(IssueType::Structure, path(),
                  std::string(el.name) + " is a " + std::string(el.type) + " and must be a JSON object, not " +
                      std::string(json::type_name(v.type())) + ".",
                  v.position());
      return;
    }
    if (v.as_object().empty()) {
      sink_.error(IssueType::Invariant, path(), "ele-1: an empty object is not an element; leave it out.", v.position(), "ele-1");
      return;
    }
    walk_object(v, el.structure, false);
    switch (el.structure) {
      case r4::kReference: check_reference(el, v); break;
      case r4::kExtension: detail::check_ext_1(v, here(), sink_); break;
      case r4::kPeriod: detail::check_per_1(v, here(), sink_); break;
      case r4::kQuantity: case r4::kSimpleQuantity: case r4::kAge: case r4::kCount: case r4::kDistance:
      case r4::kDuration:
        detail::check_qty_3(v, here(), sink_);
        break;
      case r4::kAttachment: detail::check_att_1(v, here(), sink_); break;
      case r4::kObservationReferenceRange: detail::check_obs_3(v, here(), sink_); break;
      case r4::kPatientContact: detail::check_pat_1(v, here(), sink_); break;
      case r4::kNarrative:
        if (checks_.narrative_xhtml) detail::check_txt_1(v, here(), sink_);
        detail::check_txt_2(v, here(), sink_);
        break;
      default: break;
    }
  }

  // ---- primitives --------------------------------------------------------------------------
  void check_primitive(const Element& el, const Value& v) {
    switch (el.kind) {
      case Kind::Boolean:
        if (!v.is_bool()) wrong_json(el, v, "a JSON boolean");
        return;
      case Kind::Integer:
      case Kind::PositiveInt:
      case Kind::UnsignedInt: {
        if (!v.is_number()) return wrong_json(el, v, "a JSON number");
        const auto n = whole_number(v.number_text());
        if (!n || *n < -2147483648LL || *n > 2147483647LL) {
          sink_.error(IssueType::Value, path(), quoted(v.number_text()) + " is not a valid " + std::string(el.type) + ": a whole number within 32 bits is required.", v.position());
        } else if (el.kind == Kind::PositiveInt && *n < 1) {
          sink_.error(IssueType::Value, path(), quoted(v.number_text()) + " is not a valid positiveInt: it must be 1 or more.", v.position());
        } else if (el.kind == Kind::UnsignedInt && *n < 0) {
          sink_.error(IssueType::Value, path(), quoted(v.number_text()) + " is not a valid unsignedInt: it must be 0 or more.", v.position());
        }
        return;
      }
      case Kind::Decimal:
        // The JSON number grammar is the FHIR decimal regex; the text is kept as written.
        if (!v.is_number()) wrong_json(el, v, "a JSON number");
        return;
      default:
        break;
    }
    if (!v.is_string()) return wrong_json(el, v, "a JSON string");
    const std::string_view text = v.as_string();
    if (text.empty()) {
      sink_.error(IssueType::Invariant, path(), "ele-1: an empty string is not a value; leave the element out.", v.position(), "ele-1");
      return;
    }
    // Most strings have no byte below 0x20: then they are valid and have no control character,
    // and one scan tells it.
    const bool text_kind = el.kind == Kind::String || el.kind == Kind::Markdown;
    if (!text_kind || has_bytes_below(text, 0x20)) {
      if (const auto why = check_string_primitive(el.kind, text); !why.empty()) {
        sink_.error(IssueType::Value, path(), quoted(text) + " is not a valid " + std::string(el.type) + ": " + std::string(why) + ".", v.position());
        return;
      }
      if (text_kind && has_control_characters(text))
        sink_.add(Severity::Warning, IssueType::Value, path(), "The text has control characters; strings should not.", v.position());
    }
    if (el.value_set != kNone) {
      const r4::ValueSet& vs = r4::kValueSets[el.value_set];
      if (vs.enumerable) {
        if (!r4::value_set_has(el.value_set, text))
          sink_.error(IssueType::CodeInvalid, path(), quoted(text) + " is not a code of the required value set " + std::string(vs.url) + ".",
                      v.position());
      } else if (el.value_set == mime_types()) {
        if (const auto why = check_mime_type(text); !why.empty())
          sink_.error(IssueType::CodeInvalid, path(),
                      quoted(text) + " is not a code of the required value set " + std::string(vs.url) + ": " + std::string(why) + ".",
                      v.position());
      }
    }
  }

  static std::uint16_t mime_types() {
    static const std::uint16_t index = r4::value_set_index("http://hl7.org/fhir/ValueSet/mimetypes");
    return index;
  }

  void wrong_json(const Element& el, const Value& v, std::string_view expected) {
    sink_.error(IssueType::Structure, path(),
                std::string(el.name) + " is a " + std::string(el.type) + " and must be " + std::string(expected) + ", not " +
                    std::string(json::type_name(v.type())) + ".",
                v.position());
  }

  // ---- references --------------------------------------------------------------------------
  void check_reference(const Element& el, const Value& ref) {
    const Value* r = fast::get(ref, "reference");
    if (r == nullptr || !r->is_string() || r->as_string().empty()) return;
    const std::string_view s = r->as_string();
    const detail::Path self = here();
    const detail::Path at(self, "reference");
    if (s.front() == '#') {
      local_reference(s.substr(1), at, r->position());
      return;
    }
    if (s.starts_with("urn:uuid:")) {
      if (const auto why = check_string_primitive(Kind::Uuid, s); !why.empty())
        sink_.error(IssueType::Value, at, quoted(s) + " is not a valid reference: " + std::string(why) + ".", r->position());
      else if (in_bundle_ && !std::binary_search(bundle_urls_.begin(), bundle_urls_.end(), s))
        // A urn:uuid names an entry of the same Bundle; outside a Bundle it cannot be resolved here.
        // A warning even in Strict mode: export checks each entry in a Bundle of its own (its
        // conditional references), where the other entries' fullUrls are not there to match.
        sink_.add(Severity::Warning, IssueType::Invalid, at,
                  "The reference " + quoted(s) + " names no entry of the Bundle (no entry has that fullUrl).", r->position(),
                  "mfr-bundle-reference");
      return;
    }
    if (s.starts_with("urn:oid:")) {
      if (const auto why = check_string_primitive(Kind::Oid, s); !why.empty())
        sink_.error(IssueType::Value, at, quoted(s) + " is not a valid reference: " + std::string(why) + ".", r->position());
      return;
    }
    const std::size_t question = s.find('?');
    const std::size_t slash = s.find('/');
    if (question != std::string_view::npos && (slash == std::string_view::npos || question < slash)) {
      // Conditional reference Type?query: only a transaction or batch can resolve it.
      const std::string_view type = s.substr(0, question);
      if (!r4::is_resource_type(type)) {
        sink_.error(IssueType::Value, at, quoted(s) + " is not a valid reference: " + quoted(type) + " is not a resource type.", r->position());
      } else if (!conditional_allowed_) {
        sink_.error(IssueType::Invalid, at, "The conditional reference " + quoted(s) + " is only allowed inside a transaction or batch Bundle.", r->position());
      } else {
        check_target(el, type, at, r->position());
      }
      return;
    }
    const std::size_t colon = s.find(':');
    if (colon != std::string_view::npos && (slash == std::string_view::npos || colon < slash)) {
      // Absolute URL: check the Type/id tail when it has one.
      const std::string_view rest = s.substr(colon + 1);
      if (rest.find(' ') != std::string_view::npos)
        sink_.error(IssueType::Value, at, quoted(s) + " is not a valid reference: a URL has no spaces.", r->position());
      std::string_view tail = s;
      if (const auto h = tail.find("/_history/"); h != std::string_view::npos) tail = tail.substr(0, h);
      const auto last = tail.rfind('/');
      if (last != std::string_view::npos && last > 0) {
        const auto before = tail.rfind('/', last - 1);
        if (before != std::string_view::npos) {
          const std::string_view type = tail.substr(before + 1, last - before - 1);
          if (r4::is_resource_type(type)) check_target(el, type, at, r->position());
        }
      }
      return;
    }
    // Relative: Type/id or Type/id/_history/vid.
    const std::string_view type = s.substr(0, slash);
    std::string_view id = slash == std::string_view::npos ? std::string_view{} : s.substr(slash + 1);
    std::string_view version;
    if (const auto h = id.find("/_history/"); h != std::string_view::npos) {
      version = id.substr(h + 10);
      id = id.substr(0, h);
      if (version.empty()) id = {};
    }
    if (!in_targets(el, type) && !r4::is_resource_type(type)) {
      sink_.error(IssueType::Value, at,
                  quoted(s) + " is not a valid reference: expected Type/id, an absolute URL, urn:uuid: or #contained, and " +
                      quoted(type) + " is not a resource type.",
                  r->position());
      return;
    }
    if (id.empty() || !check_string_primitive(Kind::Id, id).empty() ||
        (!version.empty() && !check_string_primitive(Kind::Id, version).empty())) {
      sink_.error(IssueType::Value, at, quoted(s) + " is not a valid reference: the id after " + std::string(type) + "/ is not a valid id.", r->position());
      return;
    }
    check_target(el, type, at, r->position());
  }

  // targets is "|A|B|": find "|type|".
  static bool in_targets(const Element& el, std::string_view type) {
    std::size_t p = 0;
    while ((p = el.targets.find(type, p)) != std::string_view::npos) {
      if (p > 0 && el.targets[p - 1] == '|' && p + type.size() < el.targets.size() && el.targets[p + type.size()] == '|') return true;
      ++p;
    }
    return false;
  }

  void check_target(const Element& el, std::string_view type, const detail::Path& at, json::Position where) {
    if (el.targets.empty() || in_targets(el, type)) return;
    std::string allowed(el.targets.substr(1, el.targets.size() - 2));
    for (char& c : allowed)
      if (c == '|') c = ',';
    sink_.error(IssueType::Invalid, at,
                "The reference points to a " + std::string(type) + ", but " + std::string(el.name) + " may only refer to " + allowed + ".",
                where);
  }

  void local_reference(std::string_view id, const detail::Path& at, json::Position where) {
    if (depth_ == 0) return;
    Frame& f = frames_[depth_ - 1];
    if (id.empty()) {  // "#": the container itself
      if (f.current >= 0) f.contained[f.current].refers_to_container = true;
      return;
    }
    for (Contained& c : f.contained) {
      if (c.id == id) {
        c.referenced = true;
        return;
      }
    }
    sink_.error(IssueType::Invariant, at, "ref-1: the local reference #" + std::string(id) + " has no contained resource with that id.", where, "ref-1");
  }
};

// The one walk behind every entry point; `conditional_allowed` for a transaction entry's resource.
std::vector<Issue> run(const json::Value& resource, Strictness strictness, Checks checks, bool conditional_allowed) {
  std::vector<Issue> issues;
  Sink sink(issues, strictness);
  Walker walker(sink, checks);
  walker.root(resource, conditional_allowed);
  return issues;
}

}  // namespace

std::vector<Issue> validate(const json::Value& resource, Strictness strictness, Checks checks) {
  return run(resource, strictness, checks, false);
}

std::vector<Issue> validate_transaction_entry(const json::Value& resource, Strictness strictness, Checks checks) {
  return run(resource, strictness, checks, true);
}

}  // namespace mfr::validate
