#include "codec/export.hpp"

#include <stdexcept>

#include "codec/document_codec.hpp"
#include "codec/observation_codec.hpp"
#include "codec/procedure_codec.hpp"
#include "codec/elements.hpp"
#include "codec/uuid5.hpp"
#include "validate/validate.hpp"

namespace mfr::codec {
namespace {

std::string encode_query_value(std::string_view v) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : v) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '&' || c == '#' || c == '+' || c == '%' || c == ' ' || c == '=' || u < 0x20 || u >= 0x7f) {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  return out;
}

// The first identifier of a written resource (ours, or the one it came with).
std::pair<std::string, std::string> first_identifier(const json::Value& resource) {
  const json::Value* ids = resource.find("identifier");
  if (!ids || !ids->is_array() || ids->size() == 0) return {};
  const json::Value& id = ids->as_array()[0];
  return {std::string(id.string_at("system").value_or("")), std::string(id.string_at("value").value_or(""))};
}

// `known` is an identifier whose uuid was already computed (a SHA-1 each): reused when it is
// the resource's first identifier.
struct KnownUuid {
  std::string_view system, value, uuid;
};

template <typename Sink>
void emit(std::string_view type, json::Value resource, bool as_received, Sink& sink, const KnownUuid& known = {}) {
  auto [system, value] = first_identifier(resource);
  std::string uuid = !known.uuid.empty() && system == known.system && value == known.value
                         ? std::string(known.uuid)
                         : identifier_uuid(system, value);
  sink(ExportedResource{type, std::move(resource), std::move(uuid), std::move(system), std::move(value), as_received});
}

// Whether any member name or string in `v` contains `needle`: what searching its dump
// would find for text without JSON escapes, without writing the dump.
bool contains_text(const json::Value& v, std::string_view needle) {
  switch (v.type()) {
    case json::Type::String: return v.as_string().find(needle) != std::string_view::npos;
    case json::Type::Array:
      for (const json::Value& item : v.as_array())
        if (contains_text(item, needle)) return true;
      return false;
    case json::Type::Object:
      for (const json::Member& m : v.as_object())
        if (m.key.view().find(needle) != std::string_view::npos || contains_text(m.value, needle)) return true;
      return false;
    default: return false;
  }
}

// We never emit an invalid resource: ours must meet our profiles (Strict); one written back
// as another system sent it must still be valid R4 (Lenient).
void check_before_emit(const ExportedResource& r, ExportForm form) {
  json::Value probe;
  const json::Value* subject = &r.resource;
  if (form == ExportForm::Transaction && contains_text(r.resource, "?identifier=")) {
    // Conditional references are valid inside a transaction: validate the entry as the server will.
    probe = json::Value::object();
    probe["resourceType"] = "Bundle";
    probe["type"] = "transaction";
    json::Value entry = json::Value::object();
    entry["fullUrl"] = "urn:uuid:" + r.uuid;
    entry["resource"] = r.resource;
    entry["request"]["method"] = "POST";
    entry["request"]["url"] = r.type;
    probe["entry"].push_back(std::move(entry));
    subject = &probe;
  }
  // A resource we generated whole carries the narrative we built: not parsed again (validate.hpp, Checks).
  const auto issues = r.as_received ? validate::validate(*subject, validate::Strictness::Lenient)
                                    : validate::validate(*subject, validate::Strictness::Strict, {.narrative_xhtml = false});
  for (const validate::Issue& i : issues) {
    if (i.severity != validate::Severity::Error && i.severity != validate::Severity::Fatal) continue;
    throw std::logic_error("Refusing to emit an invalid " + std::string(r.type) + " (" + r.identifier_value + "): " +
                           i.expression + ": " + i.diagnostics);
  }
}

}  // namespace

std::string if_none_exist(std::string_view system, std::string_view value) {
  return "identifier=" + encode_query_value(system) + "|" + encode_query_value(value);
}

void for_each_resource(const Session& s, const ExportOptions& options, ExportForm form,
                       const std::function<void(ExportedResource&&)>& sink_in) {
  const bool bundle_refs = form != ExportForm::Ndjson;
  const bool logical = form != ExportForm::Transaction &&
                       (s.patient.find('?') != std::string::npos || s.practitioner.find('?') != std::string::npos ||
                        s.encounter.find('?') != std::string::npos);
  auto sink = [&](ExportedResource&& r) {
    if (logical) to_logical_references(r.resource);
    check_before_emit(r, form);
    sink_in(std::move(r));
  };
  const std::string& system = s.identifier_system.empty() ? options.identifier_system : s.identifier_system;
  if (system.empty()) throw std::invalid_argument("No identifier system: set the clinic's identifier system URI in the context options.");
  if (s.id.empty()) throw std::invalid_argument("The session has no id; every session needs a business key.");
  if (s.patient.empty()) throw std::invalid_argument("Session \"" + s.id + "\" has no patient reference.");

  // Resource ids: as imported, else the uuid of the identifier, so they are stable too.
  const std::string procedure_uuid = identifier_uuid(system, s.id);
  const std::string procedure_id = s.resource_id.empty() ? procedure_uuid : s.resource_id;
  // A Procedure that lives elsewhere is referred to as it was; ours are urn:uuid in Bundles.
  const std::string procedure_ref =
      bundle_refs && !s.procedure_elsewhere ? "urn:uuid:" + procedure_uuid : "Procedure/" + procedure_id;

  std::string document_ref;
  if (s.source) {
    const std::string doc_uuid = identifier_uuid(system, s.id + "/note");
    const std::string doc_id = s.source->id.empty() ? doc_uuid : s.source->id;
    document_ref = bundle_refs ? "urn:uuid:" + doc_uuid : "DocumentReference/" + doc_id;
    json::Value doc = encode_document(s, system, doc_id, options.language);
    auto [dsys, dval] = first_identifier(doc);
    sink(ExportedResource{"DocumentReference", std::move(doc), doc_uuid, std::move(dsys), std::move(dval),
                          !s.source->original_json.empty()});
  }
  if (!s.procedure_elsewhere) {
    json::Value proc = encode_procedure(s, system, procedure_id, document_ref, options.language);
    auto [psys, pval] = first_identifier(proc);
    sink(ExportedResource{"Procedure", std::move(proc), procedure_uuid, std::move(psys), std::move(pval),
                          !s.original_json.empty()});
  }
  std::optional<Session> imported;
  if (!s.original_json.empty()) {
    std::vector<Issue> ignored;
    try {
      if (auto p = decode_procedure(json::Value::parse(s.original_json), ignored)) imported = std::move(p->session);
    } catch (const json::ParseError&) {
    }
  }
  const FindingContext ctx{s, system, procedure_ref, document_ref, imported ? &*imported : nullptr, options.language};
  for (const Finding& f : s.findings) {
    const std::string value = finding_identifier_value(s, f);
    const std::string uuid = identifier_uuid(system, value);
    emit("Observation", encode_observation(f, ctx, f.id.empty() ? uuid : f.id), !f.original_json.empty(), sink,
         KnownUuid{system, value, uuid});
  }
}

json::Value export_bundle(std::span<const Session> sessions, BundleType type, const ExportOptions& options) {
  json::Value bundle = json::Value::object();
  bundle["resourceType"] = "Bundle";
  bundle["type"] = type == BundleType::Transaction ? "transaction" : "collection";
  json::Value entries = json::Value::array();
  for (const Session& s : sessions) {
    const ExportForm form = type == BundleType::Transaction ? ExportForm::Transaction : ExportForm::Collection;
    for_each_resource(s, options, form, [&](ExportedResource&& r) {
      json::Value entry = json::Value::object();
      entry["fullUrl"] = "urn:uuid:" + r.uuid;
      if (type == BundleType::Transaction) {
        r.resource.erase("id");  // the receiving server assigns ids on create
        entry["resource"] = std::move(r.resource);
        json::Value& request = entry["request"] = json::Value::object();
        request["method"] = "POST";
        request["url"] = r.type;
        request["ifNoneExist"] = if_none_exist(r.identifier_system, r.identifier_value);
      } else {
        entry["resource"] = std::move(r.resource);
      }
      entries.push_back(std::move(entry));
    });
  }
  if (entries.size()) bundle["entry"] = std::move(entries);
  return bundle;
}

void append_ndjson(const Session& session, const ExportOptions& options, NdjsonOutput& out,
                   const ProvenanceInfo* provenance) {
  std::vector<std::string> targets;
  std::string document, procedure_system, procedure_value;
  for_each_resource(session, options, ExportForm::Ndjson, [&](ExportedResource&& r) {
    std::string& file = r.type == "Procedure" ? out.procedures : r.type == "Observation" ? out.observations : out.documents;
    r.resource.dump_to(file);
    file += '\n';
    if (!provenance) return;
    if (r.type == "DocumentReference") {
      document = "DocumentReference/" + r.uuid;
      return;
    }
    if (r.type == "Procedure") {
      procedure_system = r.identifier_system;
      procedure_value = r.identifier_value;
    }
    targets.push_back(std::string(r.type) + "/" + r.uuid);
  });
  if (!provenance || targets.empty()) return;
  const json::Value p = encode_provenance(identifier_uuid(procedure_system, procedure_value + "#provenance"), targets,
                                          document, *provenance, options.language);
  const auto issues = validate::validate(p, validate::Strictness::Strict);
  if (validate::has_errors(issues))
    throw std::logic_error("the Provenance written for session " + session.id + " is not valid FHIR R4: " +
                           issues.front().diagnostics + " (" + issues.front().expression + ")");
  p.dump_to(out.provenances);
  out.provenances += '\n';
}

}  // namespace mfr::codec
