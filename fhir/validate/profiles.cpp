#include "validate/profiles.hpp"

#include <string_view>

#include "terminology/codes.hpp"
#include "validate/fast.hpp"
#include "validate/invariants.hpp"
#include "validate/primitives.hpp"
#include "validate/validate.hpp"

namespace mfr::validate::detail {
namespace {

using json::Value;
namespace t = mfr::terminology;

bool names_profile(const Value& resource, std::string_view canonical) {
  const Value* meta = fast::get(resource, "meta");
  const Value* profiles = meta && meta->is_object() ? fast::get(*meta, "profile") : nullptr;
  if (!profiles || !profiles->is_array()) return false;
  for (const Value& p : profiles->as_array()) {
    if (!p.is_string()) continue;
    std::string_view s = p.as_string();
    s = s.substr(0, s.find('|'));
    if (s == canonical) return true;
  }
  return false;
}

bool has(const Value* cc, const t::Coding& c) { return has_coding(cc, c.system, c.code); }

const Value* member(const Value& v, std::string_view key) { return fast::get(v, key); }

json::Position pos(const Value* v, const Value& fallback) { return v ? v->position() : fallback.position(); }

std::string coding_text(const t::Coding& c) { return std::string(c.system) + "#" + std::string(c.code); }

// "identifier: at least one with system and value" (the business key of idempotent exchange).
void require_identifier(const Value& r, const Path& at, Sink& sink, std::string_view rule) {
  const Value* ids = member(r, "identifier");
  if (ids && ids->is_array())
    for (const Value& id : ids->as_array())
      if (id.is_object() && fast::get(id, "system") && fast::get(id, "value")) return;
  sink.profile(IssueType::Required, at + ".identifier", "The profile requires an identifier with a system and a value.",
               pos(ids, r), rule);
}

// A bodySite coding: SNOMED CT code of a vertebra or of one of our regions.
bool known_site(std::string_view code) {
  return t::level_from_snomed(code).has_value() || t::region_from_snomed(code).has_value();
}

// The SNOMED CT codings of a CodeableConcept must be vertebrae or our regions.
void check_site_codings(const Value& cc, const Path& at, Sink& sink, std::string_view rule, int* snomed_count) {
  const Value* codings = member(cc, "coding");
  if (!codings || !codings->is_array()) return;
  const auto& list = codings->as_array();
  for (std::size_t j = 0; j < list.size(); ++j) {
    if (!fast::eq(fast::text(list[j], "system"), t::kSnomed)) continue;
    if (snomed_count) ++*snomed_count;
    const std::string_view code = fast::text(list[j], "code");
    if (!known_site(code))
      sink.profile(IssueType::CodeInvalid, at + (".coding[" + std::to_string(j) + "].code"),
                   "The SNOMED CT code " + std::string(code.empty() ? "(none)" : code) +
                       " is not a vertebra or a body region of the profile.",
                   pos(fast::get(list[j], "code"), list[j]), rule);
  }
}

void check_status(const Value& r, const Path& at, Sink& sink, std::initializer_list<std::string_view> allowed,
                  std::string_view rule) {
  const Value* status = member(r, "status");
  if (!status || !status->is_string()) return;  // the base check reports it
  for (std::string_view s : allowed)
    if (status->as_string() == s) return;
  std::string list;
  for (std::string_view s : allowed) list += (list.empty() ? "" : ", ") + std::string(s);
  sink.profile(IssueType::CodeInvalid, at + ".status",
               "The profile allows status " + list + ", not '" + std::string(status->as_string()) + "'.", status->position(), rule);
}

}  // namespace

bool claims_procedure_profile(const Value& p) noexcept {
  return names_profile(p, t::kProcedureProfile) || has(member(p, "code"), t::kSkinRolling);
}

bool claims_finding_profile(const Value& o) noexcept {
  return names_profile(o, t::kFindingProfile) || has(member(o, "code"), t::kRestriction);
}

}  // namespace mfr::validate::detail

namespace mfr::validate {

bool claims_our_profile(const json::Value& resource) noexcept {
  if (!resource.is_object()) return false;
  const std::string_view type = fast::text(resource, "resourceType");
  if (type == "Procedure") return detail::claims_procedure_profile(resource);
  if (type == "Observation") return detail::claims_finding_profile(resource);
  return false;
}

}  // namespace mfr::validate

namespace mfr::validate::detail {

void check_procedure_profile(const Value& p, const Path& at, Sink& sink) {
  if (!claims_procedure_profile(p)) return;
  check_status(p, at, sink, {"completed", "in-progress", "not-done", "entered-in-error"}, "mfr-procedure-status");

  const Value* category = member(p, "category");
  if (!has(category, t::kPhysicalTherapyProcedure))
    sink.profile(IssueType::Required, at + ".category",
                 "The profile requires the category " + coding_text(t::kPhysicalTherapyProcedure) + " (Physical therapy procedure).",
                 pos(category, p), "mfr-procedure-category");

  const Value* code = member(p, "code");
  for (const t::Coding* c : {&t::kSkinRolling, &t::kCptManualTherapy})
    if (!has(code, *c))
      sink.profile(IssueType::Required, at + ".code.coding", "The profile requires the coding " + coding_text(*c) + " in code.",
                   pos(code, p), "mfr-procedure-code");
  if (code && !fast::get(*code, "text"))
    sink.profile(IssueType::Required, at + ".code.text", "The profile requires code.text.", code->position(), "mfr-procedure-code");

  // us-core-7: a completed or in-progress procedure says when it was performed.
  const std::string_view status = p.string_at("status").value_or("");
  const Value* period = member(p, "performedPeriod");
  const bool any_performed = period || fast::get(p, "performedDateTime") || fast::get(p, "performedString") ||
                             fast::get(p, "performedAge") || fast::get(p, "performedRange");
  if ((status == "completed" || status == "in-progress") && !any_performed) {
    sink.profile(IssueType::Invariant, at + ".performed",
                 "us-core-7: a " + std::string(status) + " procedure needs performed[x].", p.position(), "us-core-7");
  } else if (any_performed && !period) {
    sink.profile(IssueType::Structure, at + ".performed", "The profile records the session as performedPeriod.",
                 p.position(), "mfr-procedure-performed");
  } else if (period && status == "completed" && !fast::get(*period, "start") && !fast::get(*period, "_start")) {
    // a start marked unknown (data-absent-reason) is present in FHIR's sense (mfr-proc-3 holds)
    sink.profile(IssueType::Required, at + ".performedPeriod.start", "A completed session needs performedPeriod.start.",
                 period->position(), "mfr-procedure-performed");
  }

  require_identifier(p, at, sink, "mfr-procedure-identifier");

  if (const Value* sites = member(p, "bodySite"); sites && sites->is_array()) {
    const auto& list = sites->as_array();
    for (std::size_t i = 0; i < list.size(); ++i)
      check_site_codings(list[i], Path(at, "bodySite", i), sink, "mfr-procedure-bodysite", nullptr);
  }
}

namespace {

// The restriction grade: restriction-grade 0..3 with the ordinalValue extension on that coding.
void check_grade(const Value& value, const Path& at, Sink& sink) {
  const Value* codings = member(value, "coding");
  if (codings && codings->is_array()) {
    const auto& list = codings->as_array();
    for (std::size_t j = 0; j < list.size(); ++j) {
      if (!fast::eq(fast::text(list[j], "system"), t::kGradeSystem)) continue;
      const auto here = [&] { return at + (".coding[" + std::to_string(j) + "]"); };
      const auto code = list[j].string_at("code");
      if (!code || code->size() != 1 || (*code)[0] < '0' || (*code)[0] > '3') {
        sink.profile(IssueType::CodeInvalid, here() + ".code", "A restriction grade is 0, 1, 2 or 3.", list[j].position(), "mfr-finding-grade");
        return;
      }
      const Value* exts = fast::get(list[j], "extension");
      const Value* ordinal = nullptr;
      std::size_t k = 0;
      if (exts && exts->is_array())
        for (; k < exts->as_array().size(); ++k)
          if (fast::eq(fast::text(exts->as_array()[k], "url"), t::kOrdinalValueExtension)) {
            ordinal = &exts->as_array()[k];
            break;
          }
      if (!ordinal) {
        sink.profile(IssueType::Required, here() + ".extension",
                     "The grade coding needs the ordinalValue extension (" + std::string(t::kOrdinalValueExtension) + ").",
                     list[j].position(), "mfr-finding-grade");
        return;
      }
      const Value* dec = fast::get(*ordinal, "valueDecimal");
      const auto n = dec && dec->is_number() ? whole_number(dec->number_text()) : std::nullopt;
      if (!n || *n != (*code)[0] - '0')
        sink.profile(IssueType::Value, here() + ".extension[" + std::to_string(k) + "].valueDecimal",
                     "The ordinalValue must be a valueDecimal equal to the grade " + std::string(*code) + ".",
                     pos(dec, *ordinal), "mfr-finding-grade");
      return;
    }
  }
  sink.profile(IssueType::Required, at + ".coding",
               "The value needs a coding from " + std::string(t::kGradeSystem) + ".", value.position(), "mfr-finding-grade");
}

enum class Part { Pain, Vas, Tender, Released, Unknown };

// Which component of the profile a code is, in one pass over its codings.
Part component_part(const Value* code) {
  const Value* codings = fast::get(code, "coding");
  if (!codings || !codings->is_array()) return Part::Unknown;
  for (const Value& c : codings->as_array()) {
    const std::string_view system = fast::text(c, "system");
    const std::string_view value = fast::text(c, "code");
    if (fast::eq(system, t::kLoinc)) {
      if (fast::eq(value, t::kPainNrs.code)) return Part::Pain;
      if (fast::eq(value, t::kPainVas.code)) return Part::Vas;
    } else if (fast::eq(system, t::kMfrSystem)) {
      if (fast::eq(value, t::kTender.code)) return Part::Tender;
      if (fast::eq(value, t::kReleased.code)) return Part::Released;
    }
  }
  return Part::Unknown;
}

void check_component(const Value& c, const Path& at, Sink& sink) {
  const Value* code = member(c, "code");
  const Part part = component_part(code);
  const Value* dar = member(c, "dataAbsentReason");
  const Value* any_value = value_x(c);
  if (!any_value && !dar)
    sink.profile(IssueType::Required, at + ".dataAbsentReason", "A component without a value needs a dataAbsentReason.",
                 c.position(), "mfr-finding-component");
  if (any_value && dar)
    sink.profile(IssueType::Invariant, at + ".dataAbsentReason", "A component has a value or a dataAbsentReason, not both.",
                 dar->position(), "mfr-finding-component");
  auto wrong_type = [&](std::string_view expected) {
    for (const json::Member& m : c.as_object())
      if (&m.value == any_value)
        sink.profile(IssueType::Structure, at + ("." + m.key.str()), "This component's value must be " + std::string(expected) + ".",
                     m.value.position(), "mfr-finding-component");
  };
  if (part == Part::Pain) {
    if (!any_value) return;
    const Value* v = member(c, "valueInteger");
    if (!v) return wrong_type("valueInteger");
    const auto n = v->is_number() ? whole_number(v->number_text()) : std::nullopt;
    if (n && (*n < 0 || *n > 10))
      sink.profile(IssueType::Value, at + ".valueInteger", "Pain on the numeric rating scale is 0 to 10, not " + std::to_string(*n) + ".",
                   v->position(), "mfr-finding-pain");
  } else if (part == Part::Vas) {
    if (!any_value) return;
    const Value* q = member(c, "valueQuantity");
    if (!q) return wrong_type("valueQuantity");
    const Value* num = member(*q, "value");
    if (!num || !num->is_number()) {
      sink.profile(IssueType::Required, at + ".valueQuantity.value", "The VAS needs a value in mm.", q->position(), "mfr-finding-vas");
    } else {
      const double mm = number_value(num->number_text());
      if (mm < 0 || mm > 100)
        sink.profile(IssueType::Value, at + ".valueQuantity.value", "The VAS is 0 to 100 mm, not " + std::string(num->number_text()) + ".",
                     num->position(), "mfr-finding-vas");
    }
    if (!fast::eq(fast::text(*q, "system"), t::kUcum) || !fast::eq(fast::text(*q, "code"), "mm"))
      sink.profile(IssueType::CodeInvalid, at + ".valueQuantity.code", "The VAS unit is UCUM mm (system " + std::string(t::kUcum) + ", code mm).",
                   q->position(), "mfr-finding-vas");
  } else if (part == Part::Tender) {
    if (any_value && !member(c, "valueBoolean")) wrong_type("valueBoolean");
  } else if (part == Part::Released) {
    if (!any_value) return;
    const Value* cc = member(c, "valueCodeableConcept");
    if (!cc) return wrong_type("valueCodeableConcept");
    if (!has_coding(cc, t::kReleaseSystem, "released") && !has_coding(cc, t::kReleaseSystem, "partial") &&
        !has_coding(cc, t::kReleaseSystem, "not-released"))
      sink.profile(IssueType::CodeInvalid, at + ".valueCodeableConcept",
                   "The release response is " + std::string(t::kReleaseSystem) + " released, partial or not-released.",
                   cc->position(), "mfr-finding-release");
  } else {
    sink.profile(IssueType::CodeInvalid, at + ".code",
                 "The profile knows the components pain (LOINC 72514-3), VAS (LOINC 38214-3), tender and released (CodeSystem/mfr).",
                 pos(code, c), "mfr-finding-component");
  }
}

}  // namespace

void check_finding_profile(const Value& o, const Path& at, Sink& sink) {
  if (!claims_finding_profile(o)) return;
  check_status(o, at, sink, {"final", "amended", "corrected", "entered-in-error"}, "mfr-finding-status");

  const Value* category = member(o, "category");
  bool exam = false;
  if (category && category->is_array())
    for (const Value& c : category->as_array()) exam = exam || has(&c, t::kExamCategory);
  if (!exam)
    sink.profile(IssueType::Required, at + ".category", "The profile requires the category " + coding_text(t::kExamCategory) + ".",
                 pos(category, o), "mfr-finding-category");

  const Value* code = member(o, "code");
  for (const t::Coding* c : {&t::kRestriction, &t::kFindingByPalpation})
    if (!has(code, *c))
      sink.profile(IssueType::Required, at + ".code.coding", "The profile requires the coding " + coding_text(*c) + " in code.",
                   pos(code, o), "mfr-finding-code");

  const Value* method = member(o, "method");
  if (!has(method, t::kPalpation))
    sink.profile(IssueType::Required, at + ".method", "The profile requires the method " + coding_text(t::kPalpation) + " (Palpation).",
                 pos(method, o), "mfr-finding-method");

  const Value* site = member(o, "bodySite");
  if (!site) {
    sink.profile(IssueType::Required, at + ".bodySite", "The profile requires bodySite.", o.position(), "mfr-finding-bodysite");
  } else if (site->is_object()) {
    int snomed = 0;
    check_site_codings(*site, Path(at, "bodySite"), sink, "mfr-finding-bodysite", &snomed);
    if (snomed > 1)
      sink.profile(IssueType::Structure, at + ".bodySite.coding", "bodySite carries one SNOMED CT code, not " + std::to_string(snomed) + ".",
                   site->position(), "mfr-finding-bodysite");
    if (snomed == 0 && !fast::get(*site, "text"))
      sink.profile(IssueType::Required, at + ".bodySite.text", "A site without a SNOMED CT code needs text.", site->position(),
                   "mfr-finding-bodysite");
    if (const Value* exts = fast::get(*site, "extension"); exts && exts->is_array()) {
      const auto& list = exts->as_array();
      int count = 0;
      for (std::size_t k = 0; k < list.size(); ++k) {
        if (!fast::eq(fast::text(list[k], "url"), t::kLateralityExtension)) continue;
        const auto here = [&] { return at + ".bodySite.extension[" + std::to_string(k) + "]"; };
        if (++count > 1)
          sink.profile(IssueType::Structure, here(), "bodySite has one laterality extension at most.", list[k].position(), "mfr-finding-laterality");
        const Value* cc = fast::get(list[k], "valueCodeableConcept");
        if (!cc) {
          sink.profile(IssueType::Structure, here(), "The laterality extension carries a valueCodeableConcept.", list[k].position(),
                       "mfr-finding-laterality");
        } else if (!has_coding(cc, t::kSnomed, "7771000") && !has_coding(cc, t::kSnomed, "24028007")) {
          sink.profile(IssueType::CodeInvalid, here() + ".valueCodeableConcept",
                       "Laterality is SNOMED CT 7771000 (left) or 24028007 (right).", cc->position(), "mfr-finding-laterality");
        }
      }
    }
  }

  const Value* value = value_x(o);
  if (value) {
    if (const Value* grade = member(o, "valueCodeableConcept")) {
      check_grade(*grade, Path(at, "valueCodeableConcept"), sink);
    } else {
      for (const json::Member& m : o.as_object())
        if (&m.value == value)
          sink.profile(IssueType::Structure, at + "." + m.key.str(), "The finding's value is a valueCodeableConcept restriction grade.",
                       value->position(), "mfr-finding-grade");
    }
  } else if (!fast::get(o, "dataAbsentReason")) {
    sink.profile(IssueType::Required, at + ".dataAbsentReason", "A finding without a grade needs a dataAbsentReason.", o.position(),
                 "mfr-finding-grade");
  }

  if (const Value* comps = member(o, "component"); comps && comps->is_array()) {
    const auto& list = comps->as_array();
    for (std::size_t i = 0; i < list.size(); ++i)
      if (list[i].is_object()) check_component(list[i], Path(at, "component", i), sink);
  }

  const Value* part_of = member(o, "partOf");
  if (!part_of)
    sink.profile(IssueType::Required, at + ".partOf", "The profile requires partOf, the session's Procedure.", o.position(), "mfr-finding-partof");
  if (!fast::get(o, "subject"))
    sink.profile(IssueType::Required, at + ".subject", "The profile requires subject.", o.position(), "mfr-finding-subject");
  if (!fast::get(o, "effectiveDateTime") && !fast::get(o, "_effectiveDateTime"))
    sink.profile(IssueType::Required, at + ".effective", "The profile requires effectiveDateTime (the session start).", o.position(),
                 "mfr-finding-effective");
  require_identifier(o, at, sink, "mfr-finding-identifier");
}

}  // namespace mfr::validate::detail
