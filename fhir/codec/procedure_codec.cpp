#include "codec/procedure_codec.hpp"

#include "codec/document_codec.hpp"
#include "codec/elements.hpp"
#include "codec/narrative.hpp"
#include "codec/observation_codec.hpp"
#include "codec/reader.hpp"
#include "codec/received.hpp"
#include "terminology/codes.hpp"

namespace mfr::codec {
namespace t = terminology;

namespace {

json::Value course_extension(const Session& s) {
  json::Value ext = json::Value::object();
  ext["url"] = kCourseExtension;
  if (s.session_number) ext["extension"].push_back(extension("sessionNumber", "valuePositiveInt", json::Value(*s.session_number)));
  if (s.planned_sessions) ext["extension"].push_back(extension("plannedSessions", "valuePositiveInt", json::Value(*s.planned_sessions)));
  return ext;
}

json::Value region_concept(BodyRegion region) {
  if (auto c = t::region_coding(region)) return concept_of({*c}, region_label(region));
  json::Value v = json::Value::object();
  v["text"] = region_label(region);
  return v;
}

json::Value generate(const Session& s, const ProcedureForm& form) {
  const std::string_view resource_id = form.resource_id, document_ref = form.document_ref;
  const bool conditional = form.conditional_references;
  json::Value p = json::Value::object();
  p["resourceType"] = "Procedure";
  if (!resource_id.empty()) p["id"] = resource_id;
  p["meta"]["profile"].push_back(t::kProcedureProfile);
  p["text"] = narrative::session(s, form.language);
  if (s.session_number || s.planned_sessions) p["extension"].push_back(course_extension(s));
  p["identifier"].push_back(identifier(form.identifier_system, s.id));
  p["status"] = status_code(s.status);
  p["category"] = concept_of({t::kPhysicalTherapyProcedure});
  p["code"] = concept_of({t::kSkinRolling, t::kCptManualTherapy}, t::kProcedureText);
  p["subject"] = reference_for(s.patient, conditional);
  if (!s.encounter.empty()) p["encounter"] = reference_for(s.encounter, conditional);
  const bool needs_start = s.status == SessionStatus::Completed || s.status == SessionStatus::InProgress;
  if (!s.start.empty() || s.end || needs_start) {
    json::Value& period = p["performedPeriod"] = json::Value::object();
    if (!s.start.empty()) period["start"] = s.start.text();
    else if (needs_start) period["_start"] = unknown_value();  // a legacy note with no date (us-core-7)
    if (s.end) period["end"] = s.end->text();
  }
  if (!s.practitioner.empty()) {
    json::Value performer = json::Value::object();
    performer["actor"] = reference_for(s.practitioner, conditional);
    p["performer"].push_back(std::move(performer));
  }
  for (BodyRegion r : s.regions) p["bodySite"].push_back(region_concept(r));
  if (!document_ref.empty()) p["report"].push_back(reference(document_ref, kNoteTypeText));
  if (!s.note.empty()) {
    json::Value n = json::Value::object();
    n["text"] = s.note;
    p["note"].push_back(std::move(n));
  }
  return p;
}


// Whether the session or one of its findings differs from what was received, by merge()'s tests.
bool model_changed(const Session& s, const Session& b, const Received& received) {
  if (s.status != b.status || s.patient != b.patient || s.encounter != b.encounter || s.practitioner != b.practitioner ||
      s.start != b.start || s.end != b.end || s.regions != b.regions || s.note != b.note ||
      s.session_number != b.session_number || s.planned_sessions != b.planned_sessions)
    return true;
  for (const Finding& f : s.findings)
    if (finding_changed(f, received.observation(f))) return true;
  return false;
}

// `b` is what `out` was read as at import.
json::Value merge(const Session& s, const Received& received, json::Value out, const json::Value& fresh) {
  const Session& b = received.procedure->decoded;
  if (s.status != b.status) replace_element(out, "status", fresh.find("status"));
  if (s.patient != b.patient) replace_element(out, "subject", fresh.find("subject"));
  if (s.encounter != b.encounter) replace_element(out, "encounter", fresh.find("encounter"));
  if (s.practitioner != b.practitioner) replace_element(out, "performer", fresh.find("performer"));
  if (s.start != b.start || s.end != b.end) {
    out.erase("performedDateTime");
    replace_element(out, "performedPeriod", fresh.find("performedPeriod"));
  }
  if (s.regions != b.regions) replace_element(out, "bodySite", fresh.find("bodySite"));
  if (s.note != b.note) replace_element(out, "note", fresh.find("note"));
  if (s.session_number != b.session_number || s.planned_sessions != b.planned_sessions) {
    json::Value exts = json::Value::array();
    if (const json::Value* list = out.find("extension"); list && list->is_array())
      for (const json::Value& e : list->as_array())
        if (e.string_at("url") != kCourseExtension) exts.push_back(e);
    if (s.session_number || s.planned_sessions) exts.push_back(course_extension(s));
    replace_element(out, "extension", exts.size() ? &exts : nullptr);
  }
  if (fresh.find("report")) replace_element(out, "report", fresh.find("report"));
  if (!out.find("identifier")) replace_element(out, "identifier", fresh.find("identifier"));
  if (!out.find("text") || model_changed(s, b, received)) replace_element(out, "text", fresh.find("text"));
  return out;
}

std::optional<int> positive_int(const json::Value* ext) {
  const json::Value* v = ext ? ext->find("valuePositiveInt") : nullptr;
  auto n = v ? v->as_integer() : std::nullopt;
  if (!n || *n < 1 || *n > 1000) return std::nullopt;
  return static_cast<int>(*n);
}

}  // namespace

json::Value encode_procedure(const Session& session, const Received* received, const ProcedureForm& form) {
  json::Value fresh = generate(session, form);
  if (!received || !received->procedure) return fresh;
  json::Value original = received->procedure->writable(form.conditional_references);
  if (!original.is_object()) return fresh;
  if (!form.resource_id.empty()) original["id"] = form.resource_id;
  return merge(session, *received, std::move(original), fresh);
}

std::optional<DecodedProcedure> decode_procedure(const json::Value& proc, std::vector<Issue>& issues,
                                                 std::string_view path_view) {
  const std::string path(path_view);
  Reader r(issues);
  const std::size_t errors_before = r.error_count();
  if (!proc.is_object() || proc.string_at("resourceType") != "Procedure") {
    r.error(path, "Expected a Procedure resource.", &proc, IssueType::Invalid);
    return std::nullopt;
  }
  DecodedProcedure d;
  Session& s = d.session;
  if (auto id = r.string(proc, "id", path)) s.resource_id = *id;
  if (const json::Array* ids = r.array(proc, "identifier", path); ids && !ids->empty()) {
    s.identifier_system = std::string((*ids)[0].string_at("system").value_or(""));
    s.id = std::string((*ids)[0].string_at("value").value_or(""));
  }
  if (s.id.empty()) s.id = s.resource_id;
  if (s.id.empty()) r.error(join_path(path, "identifier"), "The Procedure has neither an identifier nor an id, so the session cannot be identified.", &proc, IssueType::Required);
  if (auto st = r.string(proc, "status", path)) {
    if (auto v = session_status_from_code(*st)) {
      s.status = *v;
    } else {
      r.error(join_path(path, "status"), "\"" + *st + "\" is not a Procedure status.", proc.find("status"), IssueType::CodeInvalid);
    }
  } else if (!proc.find("status")) {
    r.error(join_path(path, "status"), "Procedure.status is required.", &proc, IssueType::Required);
  }
  const json::Value* code = r.member(proc, "code", json::Type::Object, path);
  if (!find_coding(code, t::kMfrSystem, t::kSkinRolling.code)) {
    r.warning(join_path(path, "code"), "The Procedure names our profile but does not carry the skin-rolling code; it is read as a skin-rolling session and its code is kept as received.", code ? code : &proc, IssueType::CodeInvalid);
  }
  if (const json::Value* subj = r.member(proc, "subject", json::Type::Object, path)) s.patient = reference_text(subj);
  if (s.patient.empty()) r.error(join_path(path, "subject"), "Procedure.subject (the patient) is required.", &proc, IssueType::Required);
  if (const json::Value* enc = r.member(proc, "encounter", json::Type::Object, path)) s.encounter = reference_text(enc);
  if (const json::Array* perf = r.array(proc, "performer", path); perf && !perf->empty())
    s.practitioner = reference_text((*perf)[0].find("actor"));
  auto read_time = [&](const json::Value* v, const std::string& where) -> std::optional<DateTime> {
    if (!v) return std::nullopt;
    if (!v->is_string()) {
      r.error(where, "A dateTime must be a JSON string.", v);
      return std::nullopt;
    }
    auto dt = DateTime::parse(v->as_string());
    if (!dt) r.error(where, "\"" + std::string(v->as_string()) + "\" is not a valid dateTime.", v, IssueType::Value);
    return dt;
  };
  if (const json::Value* period = r.member(proc, "performedPeriod", json::Type::Object, path)) {
    if (auto st = read_time(period->find("start"), path + ".performedPeriod.start")) s.start = *st;
    s.end = read_time(period->find("end"), path + ".performedPeriod.end");
  } else if (const json::Value* when = proc.find("performedDateTime")) {
    if (auto st = read_time(when, path + ".performedDateTime")) s.start = *st;
  }
  const json::Value* period = proc.find("performedPeriod");
  const bool start_unknown = period && period->is_object() && period->find("_start") && !period->find("start");
  if (s.start.empty() && s.status == SessionStatus::Completed && !start_unknown)
    r.warning(join_path(path, "performed[x]"), "A completed Procedure should say when it was performed (us-core-7).", &proc, IssueType::Required);
  if (const json::Array* sites = r.array(proc, "bodySite", path)) {
    for (std::size_t i = 0; i < sites->size(); ++i) {
      const json::Value* c = find_coding(&(*sites)[i], t::kSnomed);
      auto region = c ? t::region_from_snomed(c->string_at("code").value_or("")) : std::nullopt;
      if (region) {
        s.regions.push_back(*region);
      } else {
        r.warning(indexed(join_path(path, "bodySite"), i), "A treated body site without a known SNOMED CT region code is kept as received.", &(*sites)[i], IssueType::CodeInvalid);
      }
    }
  }
  if (const json::Array* notes = r.array(proc, "note", path); notes && !notes->empty())
    s.note = std::string((*notes)[0].string_at("text").value_or(""));
  if (const json::Value* course = find_extension(&proc, kCourseExtension)) {
    s.session_number = positive_int(find_extension(course, "sessionNumber"));
    s.planned_sessions = positive_int(find_extension(course, "plannedSessions"));
  }
  if (const json::Array* reports = r.array(proc, "report", path)) {
    for (const json::Value& rep : *reports) {
      std::string ref = reference_text(&rep);
      if (ref.rfind("urn:uuid:", 0) == 0 || ref.find("DocumentReference/") != std::string::npos) {
        d.report_ref = std::move(ref);
        break;
      }
    }
  }
  if (r.error_count() > errors_before) return std::nullopt;
  return d;
}

}  // namespace mfr::codec
