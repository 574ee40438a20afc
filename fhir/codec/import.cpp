#include "codec/import.hpp"

#include <map>
#include <set>
#include <unordered_map>

#include "codec/document_codec.hpp"
#include "codec/elements.hpp"
#include "codec/observation_codec.hpp"
#include "codec/ownership.hpp"
#include "codec/procedure_codec.hpp"
#include "json/json.hpp"
#include "validate/validate.hpp"

namespace mfr::codec {
namespace {

Issue at_record(Issue issue, std::size_t record, std::string source) {
  issue.record = record;
  issue.source = std::move(source);
  return issue;
}

class Assembler {
 public:
  explicit Assembler(ImportResult& result) : result_(result) {}

  // Issues from now on name this input; NDJSON issues carry the file line, not the line
  // inside the one-line document.
  void begin_input(std::string_view name, bool ndjson) {
    source_ = std::string(name);
    ndjson_ = ndjson;
  }
  void report(Issue issue) {
    issue.source = source_;
    if (ndjson_ && issue.record) issue.where.line = static_cast<std::uint32_t>(issue.record);
    result_.issues.push_back(std::move(issue));
  }

  // One resource; `path` is its FHIRPath root ("Bundle.entry[2].resource" or the type),
  // `full_url` its Bundle fullUrl if any, `record` its NDJSON line or entry number, `raw` its
  // text when it was the whole text read (else it is written out compactly), `conditional`
  // whether it came in a transaction or batch Bundle (so may hold conditional references).
  // `checked` holds the validator's issues when the caller already validated the resource (a
  // Bundle's entries); otherwise it is validated here. A resource with a base-R4 error is
  // rejected before it is read: what reaches the model is valid FHIR. An accepted one goes into
  // what its session received (codec/received.hpp), with what it decoded to.
  void add(const json::Value& resource, std::string_view path_root, std::string_view full_url, std::size_t record,
           std::string_view raw, bool conditional, const std::vector<Issue>* checked = nullptr) {
    const auto received = [&] { return ReceivedResource{raw.empty() ? resource.dump() : std::string(raw), conditional}; };
    std::vector<Issue> issues;
    if (checked) {
      issues = *checked;
    } else {
      issues = validate::validate(resource, validate::Strictness::Lenient);
    }
    const auto type = resource.is_object() ? resource.string_at("resourceType") : std::nullopt;
    const std::string path = path_root.empty() ? std::string(type.value_or("Resource")) : std::string(path_root);
    bool accepted = false;
    std::optional<std::string> foreign;
    if (has_errors(issues)) {
      // rejected below; the validator's issues say why
    } else if (!type) {
      issues.push_back({Severity::Error, IssueType::Structure, path, "The JSON object has no resourceType, so it is not a FHIR resource.", resource.position()});
    } else if (*type == "Bundle") {
      issues.push_back({Severity::Error, IssueType::NotSupported, path, "A Bundle inside a Bundle is not imported.", resource.position()});
    } else if ((foreign = foreign_reason(resource))) {
      // Someone else's record: the validator's remarks on it are not ours to pass on.
      issues.clear();
      issues.push_back({Severity::Information, IssueType::Informational, path, *foreign, resource.position()});
    } else if (*type == "Procedure") {
      if (auto p = decode_procedure(resource, issues, path)) {
        const std::size_t index = procedures_.size();
        if (!full_url.empty()) procedure_keys_[std::string(full_url)] = index;
        if (!p->session.resource_id.empty()) procedure_keys_["Procedure/" + p->session.resource_id] = index;
        received_procedures_.push_back(ReceivedProcedure{received(), p->session});
        procedures_.push_back(std::move(*p));
        accepted = true;
      }
    } else if (*type == "Observation") {
      if (auto o = decode_observation(resource, issues, path)) {
        observations_.push_back(Pending{std::move(*o), received(), record, path, where_of(resource, record), source_});
        accepted = true;
      }
    } else if (*type == "DocumentReference") {
      if (auto d = decode_document(resource, issues, path)) {
        const std::size_t index = documents_.size();
        if (!full_url.empty()) document_keys_[std::string(full_url)] = index;
        if (!d->source.id.empty()) document_keys_["DocumentReference/" + d->source.id] = index;
        documents_.push_back(PendingDocument{std::move(*d), ReceivedDocument{received()}, looks_like_our_note(resource),
                                             record, path, where_of(resource, record), source_});
        accepted = true;  // ours for now; finish() counts it foreign when none of ours reports it
      }
    }
    if (foreign) {
      ++result_.foreign;
    } else {
      ++result_.resources;
      if (!accepted) ++result_.rejected;
    }
    for (Issue& i : issues) {
      i.record = record;
      report(std::move(i));
    }
  }

  void finish() {
    std::vector<Session> sessions;
    std::vector<Received> received;
    sessions.reserve(procedures_.size());
    received.reserve(procedures_.size());
    for (std::size_t i = 0; i < procedures_.size(); ++i) {
      sessions.push_back(std::move(procedures_[i].session));
      received.emplace_back().procedure = std::move(received_procedures_[i]);
    }
    for (std::size_t i = 0; i < procedures_.size(); ++i) {
      const std::string& report = procedures_[i].report_ref;
      if (report.empty()) continue;
      auto it = document_keys_.find(reference_key(report, "DocumentReference"));
      if (it != document_keys_.end()) {
        sessions[i].source = documents_[it->second].decoded.source;
        received[i].document = documents_[it->second].received;
        linked_documents_.insert(it->second);
      }
    }
    // Observations without their Procedure in this input still form a session, so
    // nothing accepted is dropped; the warning says so.
    std::map<std::string, std::size_t> orphan_sessions;
    std::vector<std::size_t> session_of;  // each Observation's session, so each session's lists are sized once
    session_of.reserve(observations_.size());
    for (Pending& o : observations_) {
      const std::string key = reference_key(o.decoded.part_of, "Procedure");
      auto it = procedure_keys_.find(key);
      std::size_t index;
      if (it != procedure_keys_.end()) {
        index = it->second;
      } else {
        auto [orphan, fresh] = orphan_sessions.try_emplace(key.empty() ? "(none)" : key, sessions.size());
        if (fresh) {
          Session s;
          s.id = o.decoded.identifier_value.empty() ? key : o.decoded.identifier_value.substr(0, o.decoded.identifier_value.find('/'));
          s.identifier_system = o.decoded.identifier_system;
          s.procedure_elsewhere = true;
          if (key.rfind("Procedure/", 0) == 0) s.resource_id = key.substr(10);
          s.patient = o.decoded.subject;
          s.practitioner = o.decoded.performer;
          s.encounter = o.decoded.encounter;
          if (o.decoded.effective) s.start = *o.decoded.effective;
          sessions.push_back(std::move(s));
          received.emplace_back();
        }
        index = orphan->second;
        result_.issues.push_back(at_record({Severity::Warning, IssueType::NotFound, o.path + ".partOf",
                                  o.decoded.part_of.empty()
                                      ? "The Observation names no Procedure (partOf); it was given a session of its own."
                                      : "The Procedure \"" + o.decoded.part_of + "\" is not in this input; the Observation was given a session of its own.",
                                  o.where}, o.record, o.source));
      }
      session_of.push_back(index);
    }
    std::vector<std::size_t> counts(sessions.size());
    for (std::size_t index : session_of) ++counts[index];
    for (std::size_t i = 0; i < sessions.size(); ++i) {
      sessions[i].findings.reserve(counts[i]);
      received[i].observations.reserve(counts[i]);
    }
    for (std::size_t k = 0; k < observations_.size(); ++k) {
      // The model's finding, and the Observation it was read from under its key.
      Pending& o = observations_[k];
      Received& r = received[session_of[k]];
      Finding& finding = sessions[session_of[k]].findings.emplace_back(o.decoded.finding);
      finding.received = r.observations.size() + 1;
      r.observations.push_back(ReceivedObservation{std::move(o.received), std::move(o.decoded)});
    }
    for (std::size_t i = 0; i < documents_.size(); ++i) {
      if (linked_documents_.count(i)) continue;
      PendingDocument& d = documents_[i];
      if (!d.note_shape) {
        --result_.resources;
        ++result_.foreign;
        result_.issues.push_back(at_record({Severity::Information, IssueType::Informational, d.path, foreign_document_reason(), d.where}, d.record, d.source));
        continue;
      }
      Session s;
      s.id = d.decoded.source.id.empty() ? "document-" + std::to_string(i + 1) : d.decoded.source.id;
      s.patient = d.decoded.subject;
      s.source = d.decoded.source;
      s.status = SessionStatus::Unknown;
      // As for Observations without their Procedure: export writes the note back, never a
      // Procedure we would have to invent.
      s.procedure_elsewhere = true;
      result_.issues.push_back(at_record({Severity::Warning, IssueType::NotFound, d.path,
                                          "A legacy note that no Procedure reports was given a session of its own.", d.where},
                                         d.record, d.source));
      sessions.push_back(std::move(s));
      received.emplace_back().document = std::move(d.received);
    }
    for (Session& s : sessions) result_.sessions.push_back(std::move(s));
    for (Received& r : received) result_.received.push_back(std::move(r));
  }

 private:
  struct Pending {
    DecodedObservation decoded;
    ReceivedResource received;
    std::size_t record;
    std::string path;
    json::Position where;
    std::string source;
  };
  struct PendingDocument {
    DecodedDocument decoded;
    ReceivedDocument received;
    bool note_shape;  // our legacy note's form, so ours even when no Procedure reports it
    std::size_t record;
    std::string path;
    json::Position where;
    std::string source;
  };
  json::Position where_of(const json::Value& resource, std::size_t record) const {
    json::Position where = resource.position();
    if (ndjson_ && record) where.line = static_cast<std::uint32_t>(record);
    return where;
  }
  ImportResult& result_;
  std::vector<DecodedProcedure> procedures_;
  std::vector<ReceivedProcedure> received_procedures_;  // by the same index
  std::vector<Pending> observations_;
  std::vector<PendingDocument> documents_;
  std::unordered_map<std::string, std::size_t> procedure_keys_;
  std::unordered_map<std::string, std::size_t> document_keys_;
  std::set<std::size_t> linked_documents_;
  std::string source_;
  bool ndjson_ = false;
};

void add_document(Assembler& assembler, const json::Value& doc, std::size_t record, std::string_view raw) {
  if (!(doc.is_object() && doc.string_at("resourceType") == "Bundle")) {
    assembler.add(doc, {}, {}, record, raw, false);
    return;
  }
  // One validation of the whole Bundle; each entry is judged by its own issues, so one bad
  // entry is rejected and the others still import.
  std::map<std::size_t, std::vector<Issue>> by_entry;
  for (Issue& issue : validate::validate(doc, validate::Strictness::Lenient)) {
    const std::size_t entry = entry_index(issue.expression);
    if (entry == std::string_view::npos) {
      issue.record = record;
      assembler.report(std::move(issue));
    } else {
      by_entry[entry].push_back(std::move(issue));
    }
  }
  // Only a transaction or batch may hold conditional references (the validator refuses them elsewhere).
  const auto bundle_type = doc.string_at("type");
  const bool conditional = bundle_type == "transaction" || bundle_type == "batch";
  const json::Value* entries = doc.find("entry");
  if (!entries || !entries->is_array()) return;  // the validator has said what is wrong
  const json::Array& list = entries->as_array();
  static const std::vector<Issue> kNone;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const json::Value* resource = list[i].find("resource");
    if (!resource) continue;  // search results may carry only a link or an OperationOutcome
    const std::string path = "Bundle.entry[" + std::to_string(i) + "].resource";
    const std::string full_url(list[i].string_at("fullUrl").value_or(""));
    auto it = by_entry.find(i);
    assembler.add(*resource, path, full_url, record ? record : i + 1, {}, conditional,
                  it == by_entry.end() ? &kNone : &it->second);
  }
}

void read_ndjson(std::string_view text, Assembler& assembler, ImportResult& result) {
  for_each_ndjson_line(text, [&](std::string_view line, std::size_t line_no) {
    try {
      const json::Value v = json::Value::parse(line);
      add_document(assembler, v, line_no, line);
    } catch (const json::ParseError& e) {
      ++result.resources;
      ++result.rejected;
      assembler.report(validate::parse_error_issue(e, line_no));
    }
  });
}

// False when the text is not JSON at all (one fatal issue, one rejection).
bool read_json(std::string_view text, Assembler& assembler, ImportResult& result) {
  try {
    const json::Value v = json::Value::parse(text);
    add_document(assembler, v, 0, text);
    return true;
  } catch (const json::ParseError& e) {
    assembler.report(validate::parse_error_issue(e));
    ++result.rejected;
    return false;
  }
}

}  // namespace

ImportResult import_json(std::string_view text) { return import_many({NamedInput{{}, text, false}}); }

ImportResult import_ndjson(std::string_view text) { return import_many({NamedInput{{}, text, true}}); }

ImportResult import_many(const std::vector<NamedInput>& inputs) {
  ImportResult result;
  Assembler assembler(result);
  for (const NamedInput& in : inputs) {
    assembler.begin_input(in.name, in.ndjson);
    if (in.ndjson) {
      read_ndjson(in.text, assembler, result);
    } else if (!read_json(in.text, assembler, result) && inputs.size() == 1) {
      result.malformed = true;
    }
  }
  assembler.finish();
  return result;
}

}  // namespace mfr::codec
