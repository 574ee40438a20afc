#include "codec/export.hpp"

#include <stdexcept>

#include "codec/document_codec.hpp"
#include "codec/observation_codec.hpp"
#include "codec/procedure_codec.hpp"
#include "codec/received.hpp"
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

// We never emit an invalid resource: ours must meet our profiles (Strict); one written back
// as another system sent it must still be valid R4 (Lenient). A transaction's entry may hold
// conditional references, which the server resolves: it is validated as such an entry.
std::vector<Issue> check_resource(const ExportedResource& r, ExportForm form) {
  const auto strictness = r.as_received ? validate::Strictness::Lenient : validate::Strictness::Strict;
  // A resource we generated whole carries the narrative we built: not parsed again (validate.hpp, Checks).
  const validate::Checks checks{.narrative_xhtml = r.as_received};
  return form == ExportForm::Transaction ? validate::validate_transaction_entry(r.resource, strictness, checks)
                                         : validate::validate(r.resource, strictness, checks);
}

void check_before_emit(const ExportedResource& r, ExportForm form) {
  for (const validate::Issue& i : check_resource(r, form)) {
    if (i.severity != validate::Severity::Error && i.severity != validate::Severity::Fatal) continue;
    throw std::logic_error("Refusing to emit an invalid " + std::string(r.type) + " (" + r.identifier_value + "): " +
                           i.expression + ": " + i.diagnostics);
  }
}

// The session's own identifier system (imported data) or else the context's.
const std::string& identifier_system_of(const Session& s, const ExportOptions& options) {
  return s.identifier_system.empty() ? options.identifier_system : s.identifier_system;
}

// Why a session cannot be written at all, or empty; `system` is the identifier system in effect.
std::string unexportable(const Session& s, const std::string& system) {
  if (system.empty()) return "No identifier system: set the clinic's identifier system URI in the context options.";
  if (s.id.empty()) return "The session has no id; every session needs a business key.";
  if (s.patient.empty()) return "Session \"" + s.id + "\" has no patient reference.";
  return {};
}

// Builds each resource of `s` as it is written in `form` and hands it to `sink` unvalidated: the
// one walk behind for_each_resource (which validates and throws) and validate_session (which
// collects). The session must be exportable (unexportable() is empty).
template <typename Sink>
void build_resources(const Session& s, const Received* received, const ExportOptions& options, ExportForm form,
                     Sink&& sink) {
  const bool bundle_refs = form != ExportForm::Ndjson;
  const bool conditional = form == ExportForm::Transaction;  // the form of references, decided here
  const std::string& system = identifier_system_of(s, options);

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
    const ReceivedDocument* got = received && received->document ? &*received->document : nullptr;
    json::Value doc = encode_document(s, got, system, doc_id, options.language, conditional);
    auto [dsys, dval] = first_identifier(doc);
    sink(ExportedResource{"DocumentReference", std::move(doc), doc_uuid, std::move(dsys), std::move(dval), got != nullptr});
  }
  const bool procedure_received = received && received->procedure;
  if (!s.procedure_elsewhere) {
    json::Value proc =
        encode_procedure(s, received, ProcedureForm{system, procedure_id, document_ref, options.language, conditional});
    auto [psys, pval] = first_identifier(proc);
    sink(ExportedResource{"Procedure", std::move(proc), procedure_uuid, std::move(psys), std::move(pval),
                          procedure_received});
  }
  FindingContext ctx{s, system, procedure_ref, document_ref, procedure_received ? &received->procedure->decoded : nullptr,
                     options.language};
  ctx.received = received;
  ctx.conditional_references = conditional;
  for (const Finding& f : s.findings) {
    const std::string value = finding_identifier_value(s, f);
    const std::string uuid = identifier_uuid(system, value);
    emit("Observation", encode_observation(f, ctx, f.id.empty() ? uuid : f.id), received && received->observation(f),
         sink, KnownUuid{system, value, uuid});
  }
}

}  // namespace

std::string if_none_exist(std::string_view system, std::string_view value) {
  return "identifier=" + encode_query_value(system) + "|" + encode_query_value(value);
}

void for_each_resource(const Session& s, const Received* received, const ExportOptions& options, ExportForm form,
                       const std::function<void(ExportedResource&&)>& sink) {
  const std::string& system = identifier_system_of(s, options);
  if (const std::string why = unexportable(s, system); !why.empty()) throw std::invalid_argument(why);
  build_resources(s, received, options, form, [&](ExportedResource&& r) {
    check_before_emit(r, form);
    sink(std::move(r));
  });
}

std::vector<Issue> validate_session(const Session& s, const Received* received, const ExportOptions& options,
                                    ExportForm form) {
  std::vector<Issue> issues;
  const std::string& system = identifier_system_of(s, options);
  if (const std::string why = unexportable(s, system); !why.empty()) {
    const char* where = system.empty() ? "Procedure.identifier.system" : s.id.empty() ? "Procedure.identifier" : "Procedure.subject";
    issues.push_back({Severity::Error, IssueType::Required, where, why});
    return issues;
  }
  build_resources(s, received, options, form, [&](ExportedResource&& r) {
    std::vector<Issue> found = check_resource(r, form);
    if (found.empty()) return;
    // Named by the identifier it is written with: the one name a resource has in every form.
    std::string name = std::string(r.type) + "?identifier=" + r.identifier_system + "|" + r.identifier_value;
    for (Issue& i : found) {
      i.resource = name;
      issues.push_back(std::move(i));
    }
  });
  return issues;
}

json::Value export_bundle(std::span<const Session> sessions, BundleType type, const ExportOptions& options,
                          std::span<const Received* const> received) {
  json::Value bundle = json::Value::object();
  bundle["resourceType"] = "Bundle";
  bundle["type"] = type == BundleType::Transaction ? "transaction" : "collection";
  json::Value entries = json::Value::array();
  for (std::size_t i = 0; i < sessions.size(); ++i) {
    const Session& s = sessions[i];
    const ExportForm form = type == BundleType::Transaction ? ExportForm::Transaction : ExportForm::Collection;
    for_each_resource(s, i < received.size() ? received[i] : nullptr, options, form, [&](ExportedResource&& r) {
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

json::Value export_bundle(const ImportResult& imported, BundleType type, const ExportOptions& options) {
  std::vector<const Received*> received;
  received.reserve(imported.received.size());
  for (const Received& r : imported.received) received.push_back(&r);
  return export_bundle(imported.sessions, type, options, received);
}

void append_ndjson(const Session& session, const Received* received, const ExportOptions& options, NdjsonOutput& out,
                   const ProvenanceInfo* provenance) {
  std::vector<std::string> targets;
  std::string document, procedure_system, procedure_value;
  for_each_resource(session, received, options, ExportForm::Ndjson, [&](ExportedResource&& r) {
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
