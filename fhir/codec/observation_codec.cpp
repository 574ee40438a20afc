#include "codec/observation_codec.hpp"

#include "codec/elements.hpp"
#include "codec/narrative.hpp"
#include "codec/reader.hpp"
#include "codec/received.hpp"
#include "terminology/codes.hpp"

namespace mfr::codec {
namespace t = terminology;

namespace {

constexpr std::string_view kSourceSpanExtension = "https://mfr-fhir.org/fhir/StructureDefinition/source-span";

std::string slug(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out += c;
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? std::string("unspecified") : out;
}

std::optional<t::Coding> site_coding(const Site& site) {
  if (site.is_vertebra()) return t::level_coding(site.level);
  return t::region_coding(site.region);
}

// Builders append members in their final order with add(): every key is new.
json::Value array_of(json::Value item) {
  json::Value list = json::Value::array();
  list.as_array().reserve(1);
  list.push_back(std::move(item));
  return list;
}

json::Value body_site(const Site& site) {
  json::Value v = json::Value::object();
  v.as_object().reserve(3);
  if (auto lat = t::laterality_coding(site.side)) {
    v.add("extension", array_of(extension(t::kLateralityExtension, "valueCodeableConcept", concept_of({*lat}))));
  }
  if (auto c = site_coding(site)) v.add("coding", array_of(coding(*c)));
  std::string text = site.name();
  if (site.side != Side::Midline) text.append(", ").append(side_name(site.side));
  v.add("text", std::move(text));
  return v;
}

json::Value build_grade_value(RestrictionGrade grade) {
  json::Value c = json::Value::object();
  c.as_object().reserve(4);
  c.add("extension", array_of(extension(t::kOrdinalValueExtension, "valueDecimal", json::Value(static_cast<int>(grade)))));
  const t::Coding g = t::grade_coding(grade);
  c.add("system", g.system);
  c.add("code", g.code);
  c.add("display", g.display);
  json::Value v = json::Value::object();
  v.as_object().reserve(2);
  v.add("coding", array_of(std::move(c)));
  v.add("text", g.display);
  return v;
}

// The parts every Observation repeats are built once and copied: a copy allocates as building
// does but skips the member-by-member assembly.
const json::Value& grade_value(RestrictionGrade grade) {
  static const json::Value kGrades[] = {build_grade_value(RestrictionGrade::None), build_grade_value(RestrictionGrade::Mild),
                                        build_grade_value(RestrictionGrade::Moderate), build_grade_value(RestrictionGrade::Marked)};
  return kGrades[static_cast<int>(grade)];
}

json::Value component(const t::Coding& code, std::string_view value_key, json::Value value) {
  json::Value c = json::Value::object();
  c.as_object().reserve(2);
  static const json::Value kPain = concept_of({t::kPainNrs}), kVas = concept_of({t::kPainVas}),
                           kTender = concept_of({t::kTender}), kReleased = concept_of({t::kReleased});
  const auto is = [&](const t::Coding& k) { return code.system == k.system && code.code == k.code && code.display == k.display; };
  const json::Value* known = is(t::kPainNrs) ? &kPain : is(t::kPainVas) ? &kVas : is(t::kTender) ? &kTender
                             : is(t::kReleased) ? &kReleased : nullptr;
  c.add("code", known ? *known : concept_of({code}));
  c.add(value_key, std::move(value));
  return c;
}

// The generated components, keyed by which finding field they carry.
enum class Part { Pain, Vas, Tender, Released };

std::optional<json::Value> generated_component(const Finding& f, Part part) {
  switch (part) {
    case Part::Pain:
      if (!f.pain_nrs) return std::nullopt;
      return component(t::kPainNrs, "valueInteger", json::Value(*f.pain_nrs));
    case Part::Vas: {
      if (!f.pain_vas_mm) return std::nullopt;
      json::Value q = json::Value::object();
      q.as_object().reserve(4);
      q.add("value", json::Value::number(f.pain_vas_mm->text));
      q.add("unit", "mm");
      q.add("system", t::kUcum);
      q.add("code", "mm");
      return component(t::kPainVas, "valueQuantity", std::move(q));
    }
    case Part::Tender:
      if (!f.tender) return std::nullopt;
      return component(t::kTender, "valueBoolean", json::Value(*f.tender));
    case Part::Released: {
      auto c = t::release_coding(f.released);
      if (!c) return std::nullopt;
      return component(t::kReleased, "valueCodeableConcept", concept_of({*c}));
    }
  }
  return std::nullopt;
}

std::optional<Part> component_part(const json::Value& comp) {
  const json::Value* code = comp.find("code");
  if (find_coding(code, t::kLoinc, t::kPainNrs.code)) return Part::Pain;
  if (find_coding(code, t::kLoinc, t::kPainVas.code)) return Part::Vas;
  if (find_coding(code, t::kMfrSystem, t::kTender.code)) return Part::Tender;
  if (find_coding(code, t::kMfrSystem, t::kReleased.code)) return Part::Released;
  return std::nullopt;
}

bool part_equal(const Finding& a, const Finding& b, Part part) {
  switch (part) {
    case Part::Pain: return a.pain_nrs == b.pain_nrs;
    case Part::Vas: return a.pain_vas_mm == b.pain_vas_mm;
    case Part::Tender: return a.tender == b.tender;
    case Part::Released: return a.released == b.released;
  }
  return false;
}

constexpr Part kParts[] = {Part::Pain, Part::Vas, Part::Tender, Part::Released};

json::Value derived_from(const Finding& f, const FindingContext& ctx) {
  std::string quote;
  if (f.source_span && ctx.session.source && f.source_span->offset <= ctx.session.source->text.size()) {
    quote = "\"" + ctx.session.source->text.substr(f.source_span->offset, f.source_span->length) + "\"";
  }
  json::Value ref = reference(ctx.document_ref, quote);
  if (f.source_span) {
    json::Value span = json::Value::object();
    span["url"] = kSourceSpanExtension;
    span["extension"].push_back(extension("offset", "valueUnsignedInt", json::Value(f.source_span->offset)));
    span["extension"].push_back(extension("length", "valueUnsignedInt", json::Value(f.source_span->length)));
    json::Value list = json::Value::array();
    list.push_back(std::move(span));
    // extension goes first in an element
    json::Value ordered = json::Value::object();
    ordered["extension"] = std::move(list);
    for (auto& m : ref.as_object()) ordered[m.key] = std::move(m.value);
    ref = std::move(ordered);
  }
  return ref;
}

json::Value generate(const Finding& f, const FindingContext& ctx, std::string_view resource_id) {
  const Session& s = ctx.session;
  json::Value o = json::Value::object();
  o.as_object().reserve(20);  // every member below
  o.add("resourceType", "Observation");
  if (!resource_id.empty()) o.add("id", resource_id);
  static const json::Value kMeta = [] {
    json::Value meta = json::Value::object();
    meta.add("profile", array_of(t::kFindingProfile));
    return meta;
  }();
  static const json::Value kCategory = array_of(concept_of({t::kExamCategory}));
  static const json::Value kCode = concept_of({t::kRestriction, t::kFindingByPalpation}, "Superficial fascia restriction");
  static const json::Value kNotAsked = concept_of({t::kNotAsked});
  static const json::Value kMethod = concept_of({t::kPalpation});
  o.add("meta", kMeta);
  o.add("text", narrative::finding(f, ctx.language));
  o.add("identifier", array_of(identifier(ctx.identifier_system, finding_identifier_value(s, f))));
  o.add("partOf", array_of(reference(ctx.procedure_ref)));
  o.add("status", status_code(f.status));
  o.add("category", kCategory);
  o.add("code", kCode);
  const bool conditional = ctx.conditional_references;
  o.add("subject", reference_for(s.patient, conditional));
  if (!s.encounter.empty()) o.add("encounter", reference_for(s.encounter, conditional));
  if (!s.start.empty()) o.add("effectiveDateTime", s.start.text());
  else o.add("_effectiveDateTime", unknown_value());  // the session's date is not known
  if (!s.practitioner.empty()) o.add("performer", array_of(reference_for(s.practitioner, conditional)));
  if (f.restriction) {
    o.add("valueCodeableConcept", grade_value(*f.restriction));
  } else {
    o.add("dataAbsentReason", kNotAsked);
  }
  if (!f.note.empty()) {
    json::Value n = json::Value::object();
    n.add("text", f.note);
    o.add("note", array_of(std::move(n)));
  }
  o.add("bodySite", body_site(f.site));
  o.add("method", kMethod);
  if (!ctx.document_ref.empty()) o.add("derivedFrom", array_of(derived_from(f, ctx)));
  json::Value components = json::Value::array();
  components.as_array().reserve(4);
  for (Part p : kParts)
    if (auto c = generated_component(f, p)) components.push_back(std::move(*c));
  if (components.size()) o.add("component", std::move(components));
  return o;
}


// What the finding itself holds (not its session) is the same in both.
bool same_finding(const Finding& a, const Finding& b) {
  return a.status == b.status && a.restriction == b.restriction && a.site == b.site && a.pain_nrs == b.pain_nrs &&
         a.pain_vas_mm == b.pain_vas_mm && a.tender == b.tender && a.released == b.released && a.note == b.note;
}

// Whether the model differs from what the received Observation said, by the tests merge() makes.
bool model_changed(const Finding& f, const DecodedObservation& before, const FindingContext& ctx) {
  const Session& s = ctx.session;
  const Session* was = ctx.imported_session;
  return !same_finding(f, before.finding) || s.patient != (was ? was->patient : before.subject) ||
         s.encounter != (was ? was->encounter : before.encounter) ||
         s.practitioner != (was ? was->practitioner : before.performer) ||
         (was ? s.start != was->start : (!before.effective || s.start != *before.effective));
}

// Import -> export loses nothing: unchanged model fields keep the original element verbatim,
// changed ones are regenerated, and elements the model has no field for are left alone.
// `before` is what `out` was read as at import.
json::Value merge(const Finding& f, const FindingContext& ctx, json::Value out, const json::Value& fresh,
                  const DecodedObservation* before) {
  const Finding& b = before->finding;
  const Session& s = ctx.session;
  if (f.status != b.status) replace_element(out, "status", fresh.find("status"));
  const Session* was = ctx.imported_session;
  if (s.patient != (was ? was->patient : before->subject)) replace_element(out, "subject", fresh.find("subject"));
  if (s.encounter != (was ? was->encounter : before->encounter)) replace_element(out, "encounter", fresh.find("encounter"));
  if (s.practitioner != (was ? was->practitioner : before->performer)) replace_element(out, "performer", fresh.find("performer"));
  if (was ? s.start != was->start : (!before->effective || s.start != *before->effective)) {
    out.erase("effectivePeriod");
    out.erase("effectiveInstant");
    replace_element(out, "effectiveDateTime", fresh.find("effectiveDateTime"));
  }
  if (f.restriction != b.restriction) {
    for (const char* k : {"valueCodeableConcept", "valueInteger", "valueString", "valueQuantity", "dataAbsentReason"})
      out.erase(k);
    replace_element(out, "valueCodeableConcept", fresh.find("valueCodeableConcept"));
    replace_element(out, "dataAbsentReason", fresh.find("dataAbsentReason"));
  }
  if (!(f.site == b.site)) replace_element(out, "bodySite", fresh.find("bodySite"));
  if (f.pain_nrs != b.pain_nrs && find_coding(out.find("code"), t::kLoinc, t::kPainNrs.code)) {
    // The pain score is this Observation's own value: update it where it was written.
    if (json::Value* q = out.find("valueQuantity"); q && q->is_object() && f.pain_nrs) {
      (*q)["value"] = json::Value(*f.pain_nrs);
    } else if (f.pain_nrs) {
      out.erase("valueQuantity");
      out["valueInteger"] = json::Value(*f.pain_nrs);
    } else {
      out.erase("valueQuantity");
      out.erase("valueInteger");
    }
  }
  if (f.note != b.note) replace_element(out, "note", fresh.find("note"));
  // partOf points at this export's Procedure; an original spelling of the same target stays.
  if (reference_key(before->part_of, "Procedure") != reference_key(ctx.procedure_ref, "Procedure"))
    replace_element(out, "partOf", fresh.find("partOf"));
  if (!out.find("identifier")) replace_element(out, "identifier", fresh.find("identifier"));

  // Components: ours are regenerated one by one when changed; foreign ones stay.
  json::Value components = json::Value::array();
  bool seen[4] = {false, false, false, false};
  if (const json::Value* list = out.find("component"); list && list->is_array()) {
    for (const json::Value& c : list->as_array()) {
      auto part = component_part(c);
      if (!part) {
        components.push_back(c);
        continue;
      }
      seen[static_cast<int>(*part)] = true;
      if (part_equal(f, b, *part)) {
        components.push_back(c);
      } else if (auto g = generated_component(f, *part)) {
        components.push_back(std::move(*g));
      }
    }
  }
  // A part the original did not carry as a component is added only when it changed: an
  // unchanged one is already written elsewhere (a pain score as the Observation's own value).
  for (Part p : kParts)
    if (!seen[static_cast<int>(p)] && !part_equal(f, b, p))
      if (auto g = generated_component(f, p)) components.push_back(std::move(*g));
  replace_element(out, "component", components.size() ? &components : nullptr);
  if (!out.find("text") || model_changed(f, *before, ctx)) replace_element(out, "text", fresh.find("text"));
  return out;
}

}  // namespace

std::string site_key(const Site& site) {
  if (auto c = site_coding(site)) return std::string(c->code);
  return slug(site.region_text);
}

std::string finding_identifier_value(const Session& session, const Finding& finding) {
  std::string v = session.id;
  v.append("/").append(site_key(finding.site)).append("/").append(side_name(finding.site.side));
  return v;
}

bool finding_changed(const Finding& finding, const ReceivedObservation* received) {
  return !received || !same_finding(finding, received->decoded.finding);
}

json::Value encode_observation(const Finding& finding, const FindingContext& ctx, std::string_view resource_id) {
  json::Value fresh = generate(finding, ctx, resource_id);
  const ReceivedObservation* received = ctx.received ? ctx.received->observation(finding) : nullptr;
  if (!received) return fresh;
  json::Value original = received->writable(ctx.conditional_references);
  if (!original.is_object()) return fresh;
  if (!resource_id.empty()) original["id"] = resource_id;
  return merge(finding, ctx, std::move(original), fresh, &received->decoded);
}

// ---- reading ------------------------------------------------------------------------

namespace {

std::optional<Site> read_body_site(const json::Value& bs, const std::string& path, Reader& r) {
  Side side = Side::Midline;
  if (const json::Value* lat = find_extension(&bs, t::kLateralityExtension)) {
    const json::Value* cc = lat->find("valueCodeableConcept");
    const json::Value* c = find_coding(cc, t::kSnomed);
    auto s = c ? t::side_from_snomed(c->string_at("code").value_or("")) : std::nullopt;
    if (!s) {
      r.warning(path + ".extension", "The laterality extension does not hold SNOMED CT 7771000 or 24028007; the side is read as midline.", lat, IssueType::CodeInvalid);
    } else {
      side = *s;
    }
  }
  const std::string text(bs.string_at("text").value_or(""));
  if (side == Side::Midline && !text.empty()) {
    // Other systems often say the side only in text: "T4, left", "Right upper trapezius".
    std::string lower;
    for (char c : text) lower += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    const bool left = lower.find("left") != std::string::npos;
    const bool right = lower.find("right") != std::string::npos;
    if (left != right) side = left ? Side::Left : Side::Right;
  }
  if (const json::Value* list = bs.find("coding"); list && list->is_array()) {
    for (const json::Value& c : list->as_array()) {
      if (c.string_at("system") != t::kSnomed) continue;
      const std::string_view code = c.string_at("code").value_or("");
      if (auto level = t::level_from_snomed(code)) return Site::vertebra(*level, side);
      if (auto region = t::region_from_snomed(code)) return Site::at_region(*region, side);
    }
  }
  if (!text.empty()) {
    // "T4", "T4, left", "L5 right"
    std::size_t end = 0;
    while (end < text.size() && text[end] != ',' && text[end] != ' ') ++end;
    if (auto level = level_from_name(std::string_view(text).substr(0, end))) return Site::vertebra(*level, side);
    r.warning(path, "The body site has no SNOMED CT code of a vertebra or region; it is kept as the text \"" + text + "\".", &bs, IssueType::CodeInvalid);
    // We write "levator scapulae, right": the side is not part of the region's name.
    std::string name = text;
    const std::string suffix = ", " + std::string(side_name(side));
    if (side != Side::Midline && name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      name.resize(name.size() - suffix.size());
    return Site::at_region(BodyRegion::Other, side, std::move(name));
  }
  return std::nullopt;
}

std::optional<RestrictionGrade> read_grade(const json::Value& obs, Reader& r) {
  if (const json::Value* v = obs.find("valueCodeableConcept")) {
    if (const json::Value* c = find_coding(v, t::kGradeSystem)) {
      const std::string_view code = c->string_at("code").value_or("");
      if (auto g = t::grade_from_code(code)) return g;
      r.error("Observation.valueCodeableConcept.coding", "Restriction grade code \"" + std::string(code) + "\" is not one of 0, 1, 2, 3.", c, IssueType::CodeInvalid);
      return std::nullopt;
    }
    r.warning("Observation.valueCodeableConcept", "The value has no restriction-grade coding; the finding is read as not graded and the value is kept as received.", v, IssueType::CodeInvalid);
    return std::nullopt;
  }
  if (const json::Value* v = obs.find("valueInteger")) {
    if (auto n = v->as_integer(); n && *n >= 0 && *n <= 3) return grade_from_int(*n);
    r.warning("Observation.valueInteger", "An integer value outside 0-3 is not a restriction grade; it is kept as received.", v, IssueType::Value);
  }
  return std::nullopt;
}

// `index` is the component's place in Observation.component; its FHIRPath is spelled only
// when an issue names it.
void read_component(const json::Value& c, const std::string& obs_path, std::size_t index, Finding& f, Reader& r) {
  const auto path = [&] { return indexed(join_path(obs_path, "component"), index); };
  auto part = component_part(c);
  if (!part) return;  // someone else's component: kept verbatim on export
  switch (*part) {
    case Part::Pain: {
      const json::Value* v = c.find("valueInteger");
      if (!v) {
        // Other systems send the 0-10 score as a Quantity.
        if (const json::Value* q = c.find("valueQuantity"); q && q->is_object()) v = q->find("value");
      }
      if (!v) {
        r.warning(path(), "The pain component has no valueInteger or valueQuantity; it is kept as received.", &c, IssueType::Required);
        return;
      }
      if (!v->is_number()) {
        r.error(path() + ".valueInteger", "The pain score must be a JSON number, not " + std::string(json::type_name(v->type())) + ".", v);
        return;
      }
      const auto n = v->as_integer();
      if (!n || *n < 0 || *n > 10) {
        r.error(path() + ".valueInteger", "The pain score " + std::string(v->number_text()) + " is not an integer from 0 to 10.", v, IssueType::Value);
        return;
      }
      f.pain_nrs = static_cast<int>(*n);
      return;
    }
    case Part::Vas: {
      const json::Value* q = c.find("valueQuantity");
      const json::Value* v = q && q->is_object() ? q->find("value") : nullptr;
      if (!v || !v->is_number()) {
        r.error(path() + ".valueQuantity.value", "The VAS component needs a numeric valueQuantity.value.", v ? v : &c);
        return;
      }
      const auto unit = q->string_at("code").value_or(q->string_at("unit").value_or("mm"));
      if (unit != "mm") {
        r.warning(path() + ".valueQuantity", "VAS in \"" + std::string(unit) + "\" is not read as millimetres (never converted); it is kept as received.", q, IssueType::Value);
        return;
      }
      f.pain_vas_mm = Decimal{std::string(v->number_text())};
      return;
    }
    case Part::Tender: {
      const json::Value* v = c.find("valueBoolean");
      if (!v || !v->is_bool()) {
        r.error(path() + ".valueBoolean", "The tenderness component needs a boolean valueBoolean.", v ? v : &c);
        return;
      }
      f.tender = v->as_bool();
      return;
    }
    case Part::Released: {
      const json::Value* v = c.find("valueCodeableConcept");
      const json::Value* coding = find_coding(v, t::kReleaseSystem);
      auto resp = coding ? t::release_from_code(coding->string_at("code").value_or("")) : std::nullopt;
      if (!resp) {
        r.error(path() + ".valueCodeableConcept", "The release component needs a release-response code (released, partial, not-released).", v ? v : &c, IssueType::CodeInvalid);
        return;
      }
      f.released = *resp;
      return;
    }
  }
}

}  // namespace

std::optional<DecodedObservation> decode_observation(const json::Value& obs, std::vector<Issue>& issues,
                                                     std::string_view path_view) {
  const std::string path(path_view);
  Reader r(issues);
  const std::size_t errors_before = r.error_count();
  if (!obs.is_object() || obs.string_at("resourceType") != "Observation") {
    r.error(path, "Expected an Observation resource.", &obs, IssueType::Invalid);
    return std::nullopt;
  }
  DecodedObservation d;
  Finding& f = d.finding;
  if (auto id = r.string(obs, "id", path)) f.id = *id;
  if (auto st = r.string(obs, "status", path)) {
    if (auto s = finding_status_from_code(*st)) {
      f.status = *s;
    } else {
      r.error(join_path(path, "status"), "\"" + *st + "\" is not an Observation status.", obs.find("status"), IssueType::CodeInvalid);
    }
  } else if (!obs.find("status")) {
    r.error(join_path(path, "status"), "Observation.status is required.", &obs, IssueType::Required);
  }
  if (const json::Value* bs = r.member(obs, "bodySite", json::Type::Object, path)) {
    if (auto site = read_body_site(*bs, join_path(path, "bodySite"), r)) {
      f.site = std::move(*site);
    } else {
      r.error(join_path(path, "bodySite"), "The body site has neither a code nor text; the finding has no site.", bs, IssueType::Required);
    }
  } else if (!obs.find("bodySite")) {
    r.error(join_path(path, "bodySite"), "A skin-rolling finding needs a bodySite (the level or region and side).", &obs, IssueType::Required);
  }
  f.restriction = read_grade(obs, r);
  if (find_coding(obs.find("code"), t::kLoinc, t::kPainNrs.code)) {
    // Some systems send the pain score as the Observation itself (code 72514-3).
    const json::Value* v = obs.find("valueInteger");
    if (const json::Value* q = obs.find("valueQuantity"); !v && q && q->is_object()) v = q->find("value");
    const auto n = v ? v->as_integer() : std::nullopt;
    if (n && *n >= 0 && *n <= 10) {
      f.pain_nrs = static_cast<int>(*n);
    } else if (v) {
      r.error(join_path(path, "value[x]"), "The pain score is not an integer from 0 to 10.", v, IssueType::Value);
    }
  }
  if (const json::Array* comps = r.array(obs, "component", path)) {
    for (std::size_t i = 0; i < comps->size(); ++i) {
      const json::Value& c = (*comps)[i];
      if (!c.is_object()) {
        r.error(indexed(join_path(path, "component"), i), "A component must be a JSON object.", &c);
        continue;
      }
      read_component(c, path, i, f, r);
    }
  }
  if (const json::Array* notes = r.array(obs, "note", path); notes && !notes->empty()) {
    f.note = std::string((*notes)[0].string_at("text").value_or(""));
  }
  if (const json::Value* subj = r.member(obs, "subject", json::Type::Object, path)) d.subject = reference_text(subj);
  if (const json::Value* enc = r.member(obs, "encounter", json::Type::Object, path)) d.encounter = reference_text(enc);
  if (const json::Array* perf = r.array(obs, "performer", path); perf && !perf->empty()) d.performer = reference_text(&(*perf)[0]);
  if (const json::Array* part = r.array(obs, "partOf", path); part && !part->empty()) d.part_of = reference_text(&(*part)[0]);
  if (auto eff = r.string(obs, "effectiveDateTime", path)) {
    d.effective = DateTime::parse(*eff);
    if (!d.effective) r.error(join_path(path, "effectiveDateTime"), "\"" + *eff + "\" is not a valid dateTime.", obs.find("effectiveDateTime"), IssueType::Value);
  } else if (const json::Value* per = obs.find("effectivePeriod"); per && per->is_object()) {
    if (auto start = per->string_at("start")) d.effective = DateTime::parse(*start);
  }
  if (const json::Array* ids = r.array(obs, "identifier", path); ids && !ids->empty()) {
    d.identifier_system = std::string((*ids)[0].string_at("system").value_or(""));
    d.identifier_value = std::string((*ids)[0].string_at("value").value_or(""));
  }
  if (const json::Array* from = r.array(obs, "derivedFrom", path); from && !from->empty()) {
    if (const json::Value* span = find_extension(&(*from)[0], kSourceSpanExtension)) {
      const json::Value* off = find_extension(span, "offset");
      const json::Value* len = find_extension(span, "length");
      const json::Value* o = off ? off->find("valueUnsignedInt") : nullptr;
      const json::Value* l = len ? len->find("valueUnsignedInt") : nullptr;
      if (o && l && o->as_integer() && l->as_integer() && *o->as_integer() >= 0 && *l->as_integer() >= 0)
        f.source_span = SourceSpan{static_cast<std::size_t>(*o->as_integer()), static_cast<std::size_t>(*l->as_integer())};
    }
  }
  if (r.error_count() > errors_before) return std::nullopt;
  return d;
}

}  // namespace mfr::codec
