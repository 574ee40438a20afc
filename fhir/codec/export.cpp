#include "codec/export.hpp"

#include <stdexcept>

#include "codec/document_codec.hpp"
#include "codec/observation_codec.hpp"
#include "codec/procedure_codec.hpp"
#include "codec/uuid5.hpp"

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

void emit(std::string_view type, json::Value resource, const std::function<void(ExportedResource&&)>& sink) {
  auto [system, value] = first_identifier(resource);
  std::string uuid = identifier_uuid(system, value);
  sink(ExportedResource{type, std::move(resource), std::move(uuid), std::move(system), std::move(value)});
}

}  // namespace

std::string if_none_exist(std::string_view system, std::string_view value) {
  return "identifier=" + encode_query_value(system) + "|" + encode_query_value(value);
}

void for_each_resource(const Session& s, const ExportOptions& options, bool bundle_refs,
                       const std::function<void(ExportedResource&&)>& sink) {
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
    json::Value doc = encode_document(s, system, doc_id);
    auto [dsys, dval] = first_identifier(doc);
    sink(ExportedResource{"DocumentReference", std::move(doc), doc_uuid, std::move(dsys), std::move(dval)});
  }
  if (!s.procedure_elsewhere) {
    json::Value proc = encode_procedure(s, system, procedure_id, document_ref);
    auto [psys, pval] = first_identifier(proc);
    sink(ExportedResource{"Procedure", std::move(proc), procedure_uuid, std::move(psys), std::move(pval)});
  }
  std::optional<Session> imported;
  if (!s.original_json.empty()) {
    std::vector<Issue> ignored;
    try {
      if (auto p = decode_procedure(json::Value::parse(s.original_json), ignored)) imported = std::move(p->session);
    } catch (const json::ParseError&) {
    }
  }
  const FindingContext ctx{s, system, procedure_ref, document_ref, imported ? &*imported : nullptr};
  for (const Finding& f : s.findings) {
    const std::string obs_id = f.id.empty() ? identifier_uuid(system, finding_identifier_value(s, f)) : f.id;
    emit("Observation", encode_observation(f, ctx, obs_id), sink);
  }
}

json::Value export_bundle(std::span<const Session> sessions, BundleType type, const ExportOptions& options) {
  json::Value bundle = json::Value::object();
  bundle["resourceType"] = "Bundle";
  bundle["type"] = type == BundleType::Transaction ? "transaction" : "collection";
  json::Value entries = json::Value::array();
  for (const Session& s : sessions) {
    for_each_resource(s, options, true, [&](ExportedResource&& r) {
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

void append_ndjson(const Session& session, const ExportOptions& options, NdjsonOutput& out) {
  for_each_resource(session, options, false, [&](ExportedResource&& r) {
    std::string& file = r.type == "Procedure" ? out.procedures : r.type == "Observation" ? out.observations : out.documents;
    r.resource.dump_to(file);
    file += '\n';
  });
}

}  // namespace mfr::codec
