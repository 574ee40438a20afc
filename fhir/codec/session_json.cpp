#include "codec/session_json.hpp"

#include "codec/reader.hpp"

namespace mfr::codec {
namespace {

std::string at(std::string_view path, std::string_view key) {
  return path.empty() ? std::string(key) : std::string(path) + "." + std::string(key);
}

std::optional<int> bounded_int(const json::Value& obj, std::string_view key, long long lo, long long hi,
                               std::string_view path, Reader& r) {
  const json::Value* v = obj.find(key);
  if (!v || v->is_null()) return std::nullopt;
  const auto n = v->as_integer();
  if (!n || *n < lo || *n > hi) {
    r.error(at(path, key), "\"" + std::string(key) + "\" must be a whole number from " + std::to_string(lo) + " to " +
                               std::to_string(hi) + ".", v, IssueType::Value);
    return std::nullopt;
  }
  return static_cast<int>(*n);
}

std::optional<std::string> text(const json::Value& obj, std::string_view key, std::string_view path, Reader& r) {
  const json::Value* v = obj.find(key);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_string()) {
    r.error(at(path, key), "\"" + std::string(key) + "\" must be a string.", v);
    return std::nullopt;
  }
  return std::string(v->as_string());
}

void read_finding(const json::Value& f, std::string_view path, Session& s, Reader& r) {
  if (!f.is_object()) {
    r.error(std::string(path), "A finding must be a JSON object.", &f);
    return;
  }
  static constexpr std::string_view kKnown[] = {"site", "region", "regionText", "side", "restriction", "pain",
                                                "vasMm", "tender", "released", "note", "status", "id"};
  for (const json::Member& m : f.as_object()) {
    bool known = false;
    for (auto k : kKnown) known |= (m.key == k);
    if (!known) r.error(at(path, m.key), "Unknown finding field \"" + m.key.str() + "\".", &m.value);
  }
  Finding finding;
  bool has_site = false;
  if (auto site = text(f, "site", path, r)) {
    if (auto level = level_from_name(*site)) {
      finding.site = Site::vertebra(*level, Side::Midline);
      has_site = true;
    } else if (auto region = region_from_key(*site)) {
      finding.site = Site::at_region(*region, Side::Midline);
      has_site = true;
    } else {
      r.error(at(path, "site"), "\"" + *site + "\" is not a spinal level (C1-C7, T1-T12, L1-L5, sacrum) or a region key.", f.find("site"), IssueType::Value);
    }
  } else if (auto region = text(f, "region", path, r)) {
    if (auto known = region_from_key(*region)) {
      finding.site = Site::at_region(*known, Side::Midline);
      has_site = true;
    } else {
      r.error(at(path, "region"), "\"" + *region + "\" is not a region key (e.g. upper-trapezius, rib-cage).", f.find("region"), IssueType::Value);
    }
  } else if (auto other = text(f, "regionText", path, r)) {
    finding.site = Site::at_region(BodyRegion::Other, Side::Midline, *other);
    has_site = !other->empty();
  }
  if (!has_site && r.error_count() == 0) r.error(std::string(path), "A finding needs \"site\", \"region\" or \"regionText\".", &f, IssueType::Required);
  bool bilateral = false;
  if (auto side = text(f, "side", path, r)) {
    if (*side == "bilateral") {
      bilateral = true;
    } else if (auto sd = side_from_name(*side)) {
      finding.site.side = *sd;
    } else {
      r.error(at(path, "side"), "\"" + *side + "\" is not a side (left, right, midline, bilateral).", f.find("side"), IssueType::Value);
    }
  }
  if (auto g = bounded_int(f, "restriction", 0, 3, path, r)) finding.restriction = static_cast<RestrictionGrade>(*g);
  finding.pain_nrs = bounded_int(f, "pain", 0, 10, path, r);
  if (const json::Value* vas = f.find("vasMm"); vas && !vas->is_null()) {
    std::optional<Decimal> d;
    if (vas->is_number()) d = Decimal::parse(vas->number_text());
    else if (vas->is_string()) d = Decimal::parse(vas->as_string());
    if (!d || d->value() < 0 || d->value() > 100) {
      r.error(at(path, "vasMm"), "\"vasMm\" must be a number of millimetres from 0 to 100.", vas, IssueType::Value);
    } else {
      finding.pain_vas_mm = std::move(d);
    }
  }
  if (const json::Value* t = f.find("tender"); t && !t->is_null()) {
    if (t->is_bool()) finding.tender = t->as_bool();
    else r.error(at(path, "tender"), "\"tender\" must be true or false.", t);
  }
  if (auto rel = text(f, "released", path, r)) {
    if (auto v = release_from_key(*rel)) finding.released = *v;
    else r.error(at(path, "released"), "\"" + *rel + "\" is not one of released, partial, not-released, unknown.", f.find("released"), IssueType::Value);
  }
  if (auto st = text(f, "status", path, r)) {
    if (auto v = finding_status_from_code(*st)) finding.status = *v;
    else r.error(at(path, "status"), "\"" + *st + "\" is not an Observation status.", f.find("status"), IssueType::Value);
  }
  if (auto n = text(f, "note", path, r)) finding.note = *n;
  if (auto id = text(f, "id", path, r)) finding.id = *id;
  if (bilateral) {
    add_bilateral(s, std::move(finding));
  } else {
    s.findings.push_back(std::move(finding));
  }
}

}  // namespace

std::optional<Session> session_from_json(const json::Value& v, std::vector<Issue>& issues, std::string_view path) {
  Reader r(issues);
  const std::size_t errors_before = r.error_count();
  if (!v.is_object()) {
    r.error(path.empty() ? "$" : std::string(path), "A session must be a JSON object.", &v);
    return std::nullopt;
  }
  static constexpr std::string_view kKnown[] = {"id", "identifierSystem", "patient", "practitioner", "encounter", "start",
                                                "end", "status", "regions", "note", "sessionNumber", "plannedSessions",
                                                "findings", "source", "resourceId"};
  for (const json::Member& m : v.as_object()) {
    bool known = false;
    for (auto k : kKnown) known |= (m.key == k);
    if (!known) r.error(at(path, m.key), "Unknown session field \"" + m.key.str() + "\".", &m.value);
  }
  Session s;
  s.id = text(v, "id", path, r).value_or("");
  if (s.id.empty() && !v.find("id")) r.error(at(path, "id"), "\"id\" (the session's business key) is required.", &v, IssueType::Required);
  s.identifier_system = text(v, "identifierSystem", path, r).value_or("");
  s.patient = text(v, "patient", path, r).value_or("");
  if (s.patient.empty() && !v.find("patient")) r.error(at(path, "patient"), "\"patient\" (a Patient reference) is required.", &v, IssueType::Required);
  s.practitioner = text(v, "practitioner", path, r).value_or("");
  s.encounter = text(v, "encounter", path, r).value_or("");
  s.resource_id = text(v, "resourceId", path, r).value_or("");
  if (auto start = text(v, "start", path, r)) {
    if (auto dt = DateTime::parse(*start)) s.start = *dt;
    else r.error(at(path, "start"), "\"" + *start + "\" is not a FHIR dateTime (e.g. 2019-03-04T10:30:00+01:00).", v.find("start"), IssueType::Value);
  } else if (!v.find("start")) {
    r.error(at(path, "start"), "\"start\" (when the session began) is required.", &v, IssueType::Required);
  }
  if (auto end = text(v, "end", path, r)) {
    if (auto dt = DateTime::parse(*end)) s.end = *dt;
    else r.error(at(path, "end"), "\"" + *end + "\" is not a FHIR dateTime.", v.find("end"), IssueType::Value);
  }
  if (auto st = text(v, "status", path, r)) {
    if (auto code = session_status_from_code(*st)) s.status = *code;
    else r.error(at(path, "status"), "\"" + *st + "\" is not a Procedure status (completed, in-progress, not-done, entered-in-error, ...).", v.find("status"), IssueType::Value);
  }
  if (const json::Value* regions = v.find("regions")) {
    if (!regions->is_array()) {
      r.error(at(path, "regions"), "\"regions\" must be an array of region keys.", regions);
    } else {
      for (std::size_t i = 0; i < regions->size(); ++i) {
        const json::Value& reg = regions->as_array()[i];
        auto key = reg.is_string() ? region_from_key(reg.as_string()) : std::nullopt;
        if (!key || *key == BodyRegion::Other) {
          r.error(at(path, "regions") + "[" + std::to_string(i) + "]", "Not a region key (e.g. thoracic-spine, upper-trapezius).", &reg, IssueType::Value);
        } else {
          s.regions.push_back(*key);
        }
      }
    }
  }
  s.note = text(v, "note", path, r).value_or("");
  s.session_number = bounded_int(v, "sessionNumber", 1, 1000, path, r);
  s.planned_sessions = bounded_int(v, "plannedSessions", 1, 1000, path, r);
  if (const json::Value* findings = v.find("findings")) {
    if (!findings->is_array()) {
      r.error(at(path, "findings"), "\"findings\" must be an array.", findings);
    } else {
      for (std::size_t i = 0; i < findings->size(); ++i)
        read_finding(findings->as_array()[i], at(path, "findings") + "[" + std::to_string(i) + "]", s, r);
    }
  }
  if (const json::Value* src = v.find("source"); src && src->is_object()) {
    LegacySource ls;
    ls.text = text(*src, "text", at(path, "source"), r).value_or("");
    ls.origin = text(*src, "origin", at(path, "source"), r).value_or("");
    s.source = std::move(ls);
  }
  if (r.error_count() > errors_before) return std::nullopt;
  return s;
}

std::optional<std::vector<Session>> sessions_from_json_text(std::string_view text_in, std::vector<Issue>& issues) {
  json::Value v;
  try {
    v = json::Value::parse(text_in);
  } catch (const json::ParseError& e) {
    issues.push_back(validate::parse_error_issue(e));
    return std::nullopt;
  }
  std::vector<Session> out;
  bool ok = true;
  if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      auto s = session_from_json(v.as_array()[i], issues, "[" + std::to_string(i) + "]");
      if (s) out.push_back(std::move(*s));
      else ok = false;
    }
  } else if (auto s = session_from_json(v, issues)) {
    out.push_back(std::move(*s));
  } else {
    ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

json::Value session_to_json(const Session& s) {
  json::Value v = json::Value::object();
  v["id"] = s.id;
  if (!s.identifier_system.empty()) v["identifierSystem"] = s.identifier_system;
  if (!s.resource_id.empty()) v["resourceId"] = s.resource_id;
  v["patient"] = s.patient;
  if (!s.practitioner.empty()) v["practitioner"] = s.practitioner;
  if (!s.encounter.empty()) v["encounter"] = s.encounter;
  if (!s.start.empty()) v["start"] = s.start.text();
  if (s.end) v["end"] = s.end->text();
  v["status"] = status_code(s.status);
  if (!s.regions.empty()) {
    json::Value& regions = v["regions"] = json::Value::array();
    for (BodyRegion r : s.regions) regions.push_back(region_key(r));
  }
  if (!s.note.empty()) v["note"] = s.note;
  if (s.session_number) v["sessionNumber"] = *s.session_number;
  if (s.planned_sessions) v["plannedSessions"] = *s.planned_sessions;
  json::Value& findings = v["findings"] = json::Value::array();
  for (const Finding& f : s.findings) {
    json::Value o = json::Value::object();
    if (!f.id.empty()) o["id"] = f.id;
    if (f.site.is_vertebra()) o["site"] = level_name(f.site.level);
    else if (f.site.region != BodyRegion::Other) o["region"] = region_key(f.site.region);
    else o["regionText"] = f.site.region_text;
    o["side"] = side_name(f.site.side);
    if (f.restriction) o["restriction"] = static_cast<int>(*f.restriction);
    if (f.pain_nrs) o["pain"] = *f.pain_nrs;
    if (f.pain_vas_mm) o["vasMm"] = json::Value::number(f.pain_vas_mm->text);
    if (f.tender) o["tender"] = *f.tender;
    if (f.released != ReleaseResponse::Unknown) o["released"] = release_key(f.released);
    if (f.status != FindingStatus::Final) o["status"] = status_code(f.status);
    if (!f.note.empty()) o["note"] = f.note;
    findings.push_back(std::move(o));
  }
  if (s.source) {
    json::Value& src = v["source"] = json::Value::object();
    src["text"] = s.source->text;
    if (!s.source->origin.empty()) src["origin"] = s.source->origin;
  }
  return v;
}

}  // namespace mfr::codec
