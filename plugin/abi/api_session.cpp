// mfr_session: the session builder, read access, and session JSON.
#include <algorithm>
#include <memory>

#include "codec/session_json.hpp"
#include "mfr/mfr.h"
#include "plugin/abi/first_release.hpp"
#include "plugin/abi/guard.hpp"
#include "plugin/abi/handles.hpp"
#include "plugin/abi/input_text.hpp"
#include "plugin/abi/validation.hpp"

using namespace mfr::abi;

namespace {

mfr_session* new_session_handle(mfr::Session s, std::string identifier_system, mfr::codec::Received received = {}) {
  auto h = std::make_unique<mfr_session>();
  h->session = std::move(s);
  h->received = std::move(received);
  h->identifier_system = std::move(identifier_system);
  register_handle(h.get(), HandleKind::Session);
  return h.release();
}

// Session JSON read into a session, or the issues that say why not.
struct SessionJson {
  std::optional<mfr::Session> session;
  std::vector<mfr::codec::Issue> issues;
  bool malformed = false;         // not JSON at all: one fatal issue with line and column
  std::string identifier_system;  // the context's, for the session's handle
};

// What both entry points do after checking `out`: the context and `json` checked, then read.
SessionJson parse_session_json(mfr_context* ctx, const char* json, size_t len) {
  const mfr_context& c = context(ctx);
  require(json, "json");
  SessionJson out;
  out.identifier_system = c.identifier_system;
  try {
    const auto value = mfr::json::Value::parse(view_of(json, len));
    out.session = mfr::codec::session_from_json(value, out.issues);
  } catch (const mfr::json::ParseError& e) {
    out.issues.push_back(mfr::validate::parse_error_issue(e));
    out.malformed = true;
  }
  return out;
}

// Not JSON: the parse issue's sentence (line and column) is the message. Not a session: the
// first error, with its place, and how many more the issues hold.
[[noreturn]] void fail_not_a_session(const SessionJson& parsed) {
  const auto& issues = parsed.issues;
  if (parsed.malformed) fail(MFR_ERR_PARSE, issues.front().diagnostics);
  const auto first = std::find_if(issues.begin(), issues.end(), [](const mfr::codec::Issue& i) {
    return i.severity == mfr::codec::Severity::Error || i.severity == mfr::codec::Severity::Fatal;
  });
  const mfr::codec::Issue& shown = first != issues.end() ? *first : issues.front();
  fail(MFR_ERR_INVALID_DATA,
       "Session JSON is not valid: " + shown.diagnostics + (shown.expression.empty() ? std::string() : " at " + shown.expression) +
           (issues.size() > 1 ? " (and " + std::to_string(issues.size() - 1) + " more issues)" : ""));
}

std::string optional_text(const char* s) { return s ? std::string(s) : std::string(); }

void require_text(const char* s, const char* name) {
  if (!s || !*s) fail(MFR_ERR_INVALID_ARGUMENT, std::string(name) + " is NULL or empty.");
}

mfr::Finding finding_from_host(const mfr_finding& in) {
  mfr::Finding f;
  if (in.site_kind == MFR_SITE_VERTEBRA) {
    if (in.level < MFR_LEVEL_C1 || in.level > MFR_LEVEL_SACRUM)
      fail(MFR_ERR_INVALID_ARGUMENT, "finding->level " + std::to_string(in.level) + " is not an mfr_level (0..24).");
    f.site = mfr::Site::vertebra(static_cast<mfr::SpinalLevel>(in.level), mfr::Side::Midline);
  } else if (in.site_kind == MFR_SITE_REGION) {
    if (in.region < MFR_REGION_SPINE || in.region > MFR_REGION_OTHER)
      fail(MFR_ERR_INVALID_ARGUMENT, "finding->region " + std::to_string(in.region) + " is not an mfr_region (0..14).");
    if (in.region == MFR_REGION_OTHER && (!in.region_text || !*in.region_text))
      fail(MFR_ERR_INVALID_ARGUMENT, "finding->region_text is required when finding->region is MFR_REGION_OTHER.");
    f.site = mfr::Site::at_region(static_cast<mfr::BodyRegion>(in.region), mfr::Side::Midline,
                                  in.region == MFR_REGION_OTHER ? std::string(in.region_text) : std::string());
  } else {
    fail(MFR_ERR_INVALID_ARGUMENT, "finding->site_kind is not an mfr_site_kind.");
  }
  if (in.side < MFR_SIDE_LEFT || in.side > MFR_SIDE_BILATERAL)
    fail(MFR_ERR_INVALID_ARGUMENT, "finding->side is not an mfr_side.");
  if (in.side != MFR_SIDE_BILATERAL) f.site.side = static_cast<mfr::Side>(in.side);
  if (in.restriction < -1 || in.restriction > 3)
    fail(MFR_ERR_INVALID_ARGUMENT, "finding->restriction " + std::to_string(in.restriction) + " is not a grade 0..3 (or -1, not graded).");
  if (in.restriction >= 0) f.restriction = static_cast<mfr::RestrictionGrade>(in.restriction);
  if (in.pain_nrs < -1 || in.pain_nrs > 10)
    fail(MFR_ERR_INVALID_ARGUMENT, "finding->pain_nrs " + std::to_string(in.pain_nrs) + " is not 0..10 (or -1, not recorded).");
  if (in.pain_nrs >= 0) f.pain_nrs = in.pain_nrs;
  if (in.pain_vas_mm) {
    auto vas = mfr::Decimal::parse(in.pain_vas_mm);
    if (!vas || vas->value() < 0 || vas->value() > 100)
      fail(MFR_ERR_INVALID_ARGUMENT, std::string("finding->pain_vas_mm \"") + in.pain_vas_mm + "\" is not a decimal from 0 to 100 (mm).");
    f.pain_vas_mm = std::move(vas);
  }
  if (in.tender < -1 || in.tender > 1) fail(MFR_ERR_INVALID_ARGUMENT, "finding->tender must be 1, 0 or -1.");
  if (in.tender >= 0) f.tender = in.tender == 1;
  if (in.released < MFR_RELEASE_UNKNOWN || in.released > MFR_RELEASE_NOT_RELEASED)
    fail(MFR_ERR_INVALID_ARGUMENT, "finding->released is not an mfr_release.");
  static constexpr mfr::ReleaseResponse kRelease[] = {mfr::ReleaseResponse::Unknown, mfr::ReleaseResponse::Released,
                                                      mfr::ReleaseResponse::Partial, mfr::ReleaseResponse::NotReleased};
  f.released = kRelease[in.released];
  if (in.status < MFR_FINDING_FINAL || in.status > MFR_FINDING_UNKNOWN)
    fail(MFR_ERR_INVALID_ARGUMENT, "finding->status is not an mfr_finding_status.");
  f.status = static_cast<mfr::FindingStatus>(in.status);
  f.note = optional_text(in.note);
  return f;
}

mfr_release release_to_host(mfr::ReleaseResponse r) {
  switch (r) {
    case mfr::ReleaseResponse::Released: return MFR_RELEASE_RELEASED;
    case mfr::ReleaseResponse::Partial: return MFR_RELEASE_PARTIAL;
    case mfr::ReleaseResponse::NotReleased: return MFR_RELEASE_NOT_RELEASED;
    case mfr::ReleaseResponse::Unknown: break;
  }
  return MFR_RELEASE_UNKNOWN;
}

}  // namespace

extern "C" {

MFR_API mfr_status mfr_session_new(mfr_session** out, mfr_context* ctx, const char* id) {
  return guard([&] {
    require(out, "out");
    const mfr_context& c = context(ctx);
    require_text(id, "id");
    mfr::Session s;
    s.id = id;
    *out = new_session_handle(std::move(s), c.identifier_system);
  });
}

MFR_API void mfr_session_free(mfr_session* session) {
  if (!session || !is_live(session, HandleKind::Session) || session->borrowed) return;
  if (unregister_handle(session, HandleKind::Session)) delete session;
}

MFR_API mfr_status mfr_session_clone(mfr_session** out, const mfr_session* session) {
  return guard([&] {
    require(out, "out");
    const mfr_session& s = mfr::abi::session(session);
    *out = new_session_handle(s.session, s.identifier_system, s.received);  // lossless like the original
  });
}

MFR_API mfr_status mfr_session_set_patient(mfr_session* session, const char* reference) {
  return guard([&] {
    mfr_session& s = mfr::abi::session(session);
    require_text(reference, "reference");
    s.session.patient = reference;
  });
}

MFR_API mfr_status mfr_session_set_practitioner(mfr_session* session, const char* reference) {
  return guard([&] { mfr::abi::session(session).session.practitioner = optional_text(reference); });
}

MFR_API mfr_status mfr_session_set_encounter(mfr_session* session, const char* reference) {
  return guard([&] { mfr::abi::session(session).session.encounter = optional_text(reference); });
}

MFR_API mfr_status mfr_session_set_period(mfr_session* session, const char* start, const char* end) {
  return guard([&] {
    mfr_session& s = mfr::abi::session(session);
    require_text(start, "start");
    auto from = mfr::DateTime::parse(start);
    if (!from)
      fail(MFR_ERR_INVALID_ARGUMENT, std::string("start \"") + start +
                                         "\" is not a FHIR dateTime (e.g. 2019-03-04T10:30:00+01:00; a time needs seconds and a zone).");
    std::optional<mfr::DateTime> to;
    if (end) {
      to = mfr::DateTime::parse(end);
      if (!to) fail(MFR_ERR_INVALID_ARGUMENT, std::string("end \"") + end + "\" is not a FHIR dateTime.");
      if (to->epoch_seconds() < from->epoch_seconds()) fail(MFR_ERR_INVALID_ARGUMENT, "end is before start.");
    }
    s.session.start = std::move(*from);
    s.session.end = std::move(to);
  });
}

MFR_API mfr_status mfr_session_set_status(mfr_session* session, mfr_session_status status) {
  return guard([&] {
    mfr_session& s = mfr::abi::session(session);
    if (status < MFR_SESSION_COMPLETED || status > MFR_SESSION_UNKNOWN)
      fail(MFR_ERR_INVALID_ARGUMENT, "status " + std::to_string(status) + " is not an mfr_session_status.");
    s.session.status = static_cast<mfr::SessionStatus>(status);
  });
}

MFR_API mfr_status mfr_session_add_region(mfr_session* session, mfr_region region) {
  return guard([&] {
    mfr_session& s = mfr::abi::session(session);
    if (region < MFR_REGION_SPINE || region >= MFR_REGION_OTHER)
      fail(MFR_ERR_INVALID_ARGUMENT, "region " + std::to_string(region) + " is not a treatable mfr_region (0..13).");
    const auto r = static_cast<mfr::BodyRegion>(region);
    for (auto existing : s.session.regions)
      if (existing == r) return;
    s.session.regions.push_back(r);
  });
}

MFR_API mfr_status mfr_session_set_note(mfr_session* session, const char* note) {
  return guard([&] { mfr::abi::session(session).session.note = optional_text(note); });
}

MFR_API mfr_status mfr_session_set_course(mfr_session* session, int32_t session_number, int32_t planned_sessions) {
  return guard([&] {
    mfr_session& s = mfr::abi::session(session);
    if (session_number < 0 || session_number > 1000 || planned_sessions < 0 || planned_sessions > 1000)
      fail(MFR_ERR_INVALID_ARGUMENT, "session_number and planned_sessions must be 1..1000, or 0 for not known.");
    s.session.session_number = session_number ? std::optional<int>(session_number) : std::nullopt;
    s.session.planned_sessions = planned_sessions ? std::optional<int>(planned_sessions) : std::nullopt;
  });
}

MFR_API mfr_status mfr_session_add_finding(mfr_session* session, const mfr_finding* finding) {
  return guard([&] {
    mfr_session& s = mfr::abi::session(session);
    require_struct(finding, finding ? finding->struct_size : 0, first_release::finding, "finding");
    mfr::Finding f = finding_from_host(*finding);
    if (finding->side == MFR_SIDE_BILATERAL) {
      mfr::add_bilateral(s.session, std::move(f));
    } else {
      s.session.findings.push_back(std::move(f));
    }
  });
}

MFR_API mfr_status mfr_session_info_get(mfr_session_info* out, const mfr_session* session) {
  return guard([&] {
    const mfr_session& h = mfr::abi::session(session);
    require_struct(out, out ? out->struct_size : 0, first_release::session_info, "out");
    const mfr::Session& s = h.session;
    mfr_session_info info{};
    info.struct_size = out->struct_size;
    info.id = s.id.c_str();
    info.patient = s.patient.c_str();
    info.practitioner = s.practitioner.c_str();
    info.encounter = s.encounter.c_str();
    info.start = s.start.text().c_str();
    info.end = s.end ? s.end->text().c_str() : "";
    info.status = static_cast<mfr_session_status>(s.status);
    info.note = s.note.c_str();
    info.session_number = s.session_number.value_or(0);
    info.planned_sessions = s.planned_sessions.value_or(0);
    info.region_count = s.regions.size();
    info.finding_count = s.findings.size();
    info.source_text = s.source ? s.source->text.c_str() : nullptr;
    info.fhir_id = s.resource_id.c_str();
    copy_out(out, info);
  });
}

MFR_API mfr_status mfr_session_finding_get(mfr_finding* out, const mfr_session* session, size_t index) {
  return guard([&] {
    const mfr_session& h = mfr::abi::session(session);
    require_struct(out, out ? out->struct_size : 0, first_release::finding, "out");
    if (index >= h.session.findings.size())
      fail(MFR_ERR_NOT_FOUND, "Finding index " + std::to_string(index) + " is past the end; the session has " +
                                  std::to_string(h.session.findings.size()) + " findings.");
    const mfr::Finding& f = h.session.findings[index];
    mfr_finding r{};
    r.struct_size = out->struct_size;
    r.site_kind = f.site.is_vertebra() ? MFR_SITE_VERTEBRA : MFR_SITE_REGION;
    r.level = static_cast<mfr_level>(f.site.level);
    r.region = static_cast<mfr_region>(f.site.region);
    r.region_text = f.site.region_text.c_str();
    r.side = static_cast<mfr_side>(f.site.side);
    r.restriction = f.restriction ? static_cast<int32_t>(*f.restriction) : -1;
    r.pain_nrs = f.pain_nrs.value_or(-1);
    r.pain_vas_mm = f.pain_vas_mm ? f.pain_vas_mm->text.c_str() : nullptr;
    r.tender = f.tender ? (*f.tender ? 1 : 0) : -1;
    r.released = release_to_host(f.released);
    r.note = f.note.c_str();
    r.status = static_cast<mfr_finding_status>(f.status);
    copy_out(out, r);
  });
}

MFR_API mfr_status mfr_session_region_get(mfr_region* out, const mfr_session* session, size_t index) {
  return guard([&] {
    const mfr_session& h = mfr::abi::session(session);
    require(out, "out");
    if (index >= h.session.regions.size())
      fail(MFR_ERR_NOT_FOUND, "Region index " + std::to_string(index) + " is past the end; the session has " +
                                  std::to_string(h.session.regions.size()) + " regions.");
    *out = static_cast<mfr_region>(h.session.regions[index]);
  });
}

// The first release's out-last forms (deprecated aliases).
MFR_API mfr_status mfr_session_get_info(const mfr_session* session, mfr_session_info* out) {
  return mfr_session_info_get(out, session);
}
MFR_API mfr_status mfr_session_get_finding(const mfr_session* session, size_t index, mfr_finding* out) {
  return mfr_session_finding_get(out, session, index);
}
MFR_API mfr_status mfr_session_get_region(const mfr_session* session, size_t index, mfr_region* out) {
  return mfr_session_region_get(out, session, index);
}

MFR_API mfr_status mfr_session_from_json(mfr_session** out, char** outcome, mfr_context* ctx, const char* json,
                                         size_t len) {
  if (outcome) *outcome = nullptr;
  return guard([&] {
    require(out, "out");
    SessionJson parsed = parse_session_json(ctx, json, len);
    if (!parsed.session) {
      if (outcome) *outcome = to_host_buffer(mfr::validate::to_operation_outcome(parsed.issues).dump(), nullptr);
      fail_not_a_session(parsed);
    }
    *out = new_session_handle(std::move(*parsed.session), std::move(parsed.identifier_system));
  });
}

MFR_API mfr_status mfr_session_from_json_issues(mfr_session** out, mfr_validation** issues, mfr_context* ctx,
                                                const char* json, size_t len) {
  if (issues) *issues = nullptr;
  return guard([&] {
    require(out, "out");
    SessionJson parsed = parse_session_json(ctx, json, len);
    if (!parsed.session) {
      if (issues) *issues = new_validation(parsed.issues);  // a copy: the message reads them too
      fail_not_a_session(parsed);
    }
    mfr_validation* found = issues ? new_validation(std::move(parsed.issues)) : nullptr;
    try {
      *out = new_session_handle(std::move(*parsed.session), std::move(parsed.identifier_system));
    } catch (...) {
      mfr_validation_free(found);  // nothing half-made is left to the host
      throw;
    }
    if (issues) *issues = found;
  });
}

MFR_API mfr_status mfr_session_to_json(char** out, size_t* out_len, const mfr_session* session) {
  return guard([&] {
    require(out, "out");
    const mfr_session& s = mfr::abi::session(session);
    *out = to_host_buffer(mfr::codec::session_to_json(s.session).dump(), out_len);
  });
}

}  // extern "C"
