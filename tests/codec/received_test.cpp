// What import received, kept beside the session (codec/received.hpp): the lossless round trip
// goes through it, not through the model; export decides the reference form while it writes;
// validate_session says what export would refuse, with where.
#include <catch2/catch.hpp>

#include <algorithm>

#include "codec/export.hpp"
#include "codec/import.hpp"
#include "json/json.hpp"
#include "test_support.hpp"

using namespace mfr;
using codec::BundleType;

namespace {
const codec::ExportOptions kOptions{test::kSystem};

std::vector<json::Value> lines_of(const std::string& ndjson) {
  std::vector<json::Value> out;
  std::size_t pos = 0;
  while (pos < ndjson.size()) {
    const std::size_t end = ndjson.find('\n', pos);
    out.push_back(json::Value::parse(std::string_view(ndjson).substr(pos, end - pos)));
    pos = end + 1;
  }
  return out;
}

const json::Value* with_id(const std::vector<json::Value>& list, std::string_view id) {
  for (const json::Value& v : list)
    if (v.string_at("id") == id) return &v;
  return nullptr;
}

// The partner's searchset: a Procedure and two Observations, with elements our model has no field for.
struct Partner {
  json::Value bundle = json::Value::parse(test::read_text(test::data_path("fhir/foreign/bundle-searchset.json")));
  const json::Value& entry(std::string_view id) const {
    for (const json::Value& e : bundle.find("entry")->as_array())
      if (e.find("resource")->string_at("id") == id) return *e.find("resource");
    throw std::runtime_error("no entry " + std::string(id));
  }
};
constexpr std::string_view kProcedure = "cb-proc-20190304-17";
constexpr std::string_view kPain = "cb-obs-20190304-17-pain-t4l";
constexpr std::string_view kGrade = "cb-obs-20190304-17-t5r";

}  // namespace

TEST_CASE("import keeps each resource it received beside its session, with its baseline, keyed to the findings", "[codec][received]") {
  const Partner partner;
  const codec::ImportResult imported = codec::import_json(partner.bundle.dump());
  REQUIRE(imported.sessions.size() == 1);
  REQUIRE(imported.received.size() == 1);
  const Session& s = imported.sessions[0];
  const codec::Received& r = imported.received[0];
  REQUIRE(r.procedure);
  CHECK(json::Value::parse(r.procedure->json) == partner.entry(kProcedure));
  CHECK(r.procedure->decoded.id == s.id);
  CHECK(r.procedure->decoded.patient == s.patient);
  CHECK_FALSE(r.procedure->conditional_references);  // a searchset cannot hold conditional references
  REQUIRE(r.observations.size() == 2);
  REQUIRE(s.findings.size() == 2);
  for (const Finding& f : s.findings) {
    INFO(f.id);
    const codec::ReceivedObservation* o = r.observation(f);
    REQUIRE(o);
    CHECK(json::Value::parse(o->json) == partner.entry(f.id));
    CHECK(o->decoded.finding.restriction == f.restriction);
  }
  Finding ours;  // a finding the host adds has no key, so nothing received
  CHECK_FALSE(r.observation(ours));
  ours.received = 3;  // a key naming none of this record's Observations finds none
  CHECK_FALSE(r.observation(ours));
}

TEST_CASE("what the model has no field for comes back from what was received, not from the session", "[codec][received]") {
  const Partner partner;
  const codec::ImportResult imported = codec::import_json(partner.bundle.dump());
  REQUIRE(imported.sessions.size() == 1);
  const Session& s = imported.sessions[0];

  codec::NdjsonOutput lossless;
  codec::append_ndjson(s, &imported.received[0], kOptions, lossless);
  const std::vector<json::Value> procedures = lines_of(lossless.procedures);
  REQUIRE(procedures.size() == 1);
  CHECK(json::same_content(procedures[0], partner.entry(kProcedure)));  // outcome, followUp, recorder, its narrative
  const std::vector<json::Value> observations = lines_of(lossless.observations);
  for (std::string_view id : {kPain, kGrade}) {
    INFO(id);
    REQUIRE(with_id(observations, id));
    CHECK(json::same_content(*with_id(observations, id), partner.entry(id)));
  }

  // The session alone is the model alone: ours, with none of the partner's elements.
  codec::NdjsonOutput model_only;
  codec::append_ndjson(s, kOptions, model_only);
  const json::Value proc = lines_of(model_only.procedures).at(0);
  for (const char* key : {"outcome", "followUp", "recorder", "reasonCode"}) CHECK_FALSE(proc.find(key));
  CHECK(proc.find("text")->string_at("div") != partner.entry(kProcedure).find("text")->string_at("div"));
  const std::vector<json::Value> ours = lines_of(model_only.observations);
  const json::Value* grade = with_id(ours, kGrade);
  REQUIRE(grade);
  CHECK_FALSE(grade->find("extension"));
  CHECK_FALSE(grade->find("_status"));
}

TEST_CASE("a finding keeps its received Observation when the host reorders, edits or adds findings", "[codec][received]") {
  const Partner partner;
  codec::ImportResult imported = codec::import_json(partner.bundle.dump());
  REQUIRE(imported.sessions.size() == 1);
  Session& s = imported.sessions[0];
  std::reverse(s.findings.begin(), s.findings.end());
  auto grade = std::find_if(s.findings.begin(), s.findings.end(), [](const Finding& f) { return f.id == kGrade; });
  REQUIRE(grade != s.findings.end());
  grade->restriction = RestrictionGrade::Marked;  // re-assessed
  Finding added = *grade;  // a copy, then made the host's own
  added.received = 0;
  added.id.clear();
  added.site = Site::vertebra(SpinalLevel::T8, Side::Left);
  s.findings.push_back(added);

  codec::NdjsonOutput out;
  codec::append_ndjson(s, &imported.received[0], kOptions, out);
  const std::vector<json::Value> observations = lines_of(out.observations);
  REQUIRE(observations.size() == 3);
  // Untouched: as received, though it moved.
  REQUIRE(with_id(observations, kPain));
  CHECK(json::same_content(*with_id(observations, kPain), partner.entry(kPain)));
  // Edited: the grade and the narrative are ours, the partner's extensions and tags stay.
  const json::Value* edited = with_id(observations, kGrade);
  REQUIRE(edited);
  const json::Value& before = partner.entry(kGrade);
  CHECK(edited->find("valueCodeableConcept")->dump().find("\"code\":\"3\"") != std::string::npos);
  CHECK(json::same_content(*edited->find("extension"), *before.find("extension")));
  CHECK(json::same_content(*edited->find("meta"), *before.find("meta")));
  CHECK(json::same_content(*edited->find("_status"), *before.find("_status")));
  CHECK_FALSE(json::same_content(*edited->find("text"), *before.find("text")));
  // Added: wholly ours.
  const auto fresh = std::find_if(observations.begin(), observations.end(), [&](const json::Value& o) {
    return o.string_at("id") != kPain && o.string_at("id") != kGrade;
  });
  REQUIRE(fresh != observations.end());
  CHECK_FALSE(fresh->find("extension"));
  CHECK(fresh->find("bodySite")->string_at("text") == "T8, left");
  // The session's findings changed, so the received Procedure's narrative no longer holds.
  const json::Value proc = lines_of(out.procedures).at(0);
  CHECK(json::same_content(*proc.find("outcome"), *partner.entry(kProcedure).find("outcome")));
  CHECK_FALSE(json::same_content(*proc.find("text"), *partner.entry(kProcedure).find("text")));
}

TEST_CASE("a resource received in a transaction keeps its conditional references there and gets logical ones elsewhere",
          "[codec][received][transaction]") {
  // Our transaction, as a partner would send it back with an element of its own that holds a
  // conditional reference the model knows nothing of (Observation.focus).
  Session s = test::session_from_file(test::examples_path("sessions/2020-11-17-p456-s1.json"));
  const std::string patient = s.patient;
  REQUIRE(patient.find("?identifier=") != std::string::npos);
  json::Value transaction = codec::export_bundle(std::vector<Session>{s}, BundleType::Transaction, kOptions);
  json::Value& first_observation = *transaction.find("entry")->as_array()[1].find("resource");
  REQUIRE(first_observation.string_at("resourceType") == "Observation");
  json::Value focus = json::Value::object();
  focus["reference"] = patient;
  first_observation["focus"].push_back(std::move(focus));

  const codec::ImportResult imported = codec::import_json(transaction.dump());
  CHECK(imported.rejected == 0);
  REQUIRE(imported.sessions.size() == 1);
  const codec::Received& r = imported.received[0];
  REQUIRE(r.procedure);
  CHECK(r.procedure->conditional_references);
  CHECK(imported.sessions[0].patient == patient);

  // NDJSON: every conditional reference, ours and the received focus, written as the logical one.
  codec::NdjsonOutput out;
  codec::append_ndjson(imported.sessions[0], &r, kOptions, out);
  CHECK(out.observations.find("?identifier=") == std::string::npos);
  CHECK(out.procedures.find("?identifier=") == std::string::npos);
  const json::Value obs = lines_of(out.observations).at(0);
  const json::Value& logical = obs.find("focus")->as_array()[0];
  CHECK(logical.string_at("type") == "Patient");
  CHECK(logical.find("identifier")->string_at("value") == "MRN-0456");
  CHECK(obs.find("subject")->string_at("type") == "Patient");

  // A transaction again: they stay conditional for the server to resolve, and validate as its entries.
  const json::Value again = codec::export_bundle(imported, BundleType::Transaction, kOptions);
  const json::Value& resource = *again.find("entry")->as_array()[1].find("resource");
  CHECK(resource.find("focus")->as_array()[0].string_at("reference") == patient);
  CHECK(resource.find("subject")->string_at("reference") == patient);
}

TEST_CASE("validate_session finds nothing wrong with a good session in any form", "[codec][validate_session]") {
  for (const char* file : {"sessions/2019-03-04-p123-s1.json", "sessions/2020-11-17-p456-s1.json"}) {
    INFO(file);
    const Session s = test::session_from_file(test::examples_path(file));
    for (auto form : {codec::ExportForm::Ndjson, codec::ExportForm::Collection, codec::ExportForm::Transaction})
      CHECK_FALSE(codec::has_errors(codec::validate_session(s, nullptr, kOptions, form)));
  }
  const Partner partner;
  const codec::ImportResult imported = codec::import_json(partner.bundle.dump());
  REQUIRE(imported.sessions.size() == 1);
  CHECK_FALSE(codec::has_errors(codec::validate_session(imported.sessions[0], &imported.received[0], kOptions)));
}

TEST_CASE("validate_session names the resource and the element export would refuse", "[codec][validate_session]") {
  Session s = test::session_from_file(test::examples_path("sessions/2019-03-04-p123-s1.json"));
  REQUIRE(s.findings.size() > 1);
  s.findings[1].pain_nrs = 12;  // no NRS score: 0..10
  const auto issues = codec::validate_session(s, nullptr, kOptions);
  REQUIRE(codec::has_errors(issues));
  const auto error = std::find_if(issues.begin(), issues.end(), [](const codec::Issue& i) {
    return i.severity == codec::Severity::Error;
  });
  REQUIRE(error != issues.end());
  CHECK(error->rule == "mfr-finding-pain");
  CHECK(error->expression.rfind("Observation.component[", 0) == 0);
  CHECK(error->resource == "Observation?identifier=" + std::string(test::kSystem) + "|" +
                               codec::finding_identifier_value(s, s.findings[1]));
  // ...which is what export refuses.
  codec::NdjsonOutput out;
  CHECK_THROWS_WITH(codec::append_ndjson(s, kOptions, out), Catch::Contains("Refusing to emit an invalid Observation"));

  s.findings[1].pain_nrs = 3;
  s.patient.clear();
  const auto no_patient = codec::validate_session(s, nullptr, kOptions);
  REQUIRE(no_patient.size() == 1);
  CHECK(no_patient[0].expression == "Procedure.subject");
  CHECK_THAT(no_patient[0].diagnostics, Catch::Contains("has no patient reference"));
}
