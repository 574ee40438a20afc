#include <cstdlib>
#include <fstream>

#include <catch2/catch.hpp>

#include "codec/base64.hpp"
#include "codec/export.hpp"
#include "codec/import.hpp"
#include "codec/uuid5.hpp"
#include "test_support.hpp"

using namespace mfr;
using codec::BundleType;

namespace {
const codec::ExportOptions kOptions{test::kSystem};

const json::Value* entry_resource(const json::Value& bundle, std::size_t i) {
  return bundle.find("entry")->as_array().at(i).find("resource");
}

// The Observation of `session` at `level` and `side` in a collection Bundle.
const json::Value* observation_at(const json::Value& bundle, std::string_view snomed, std::string_view laterality) {
  for (const json::Value& e : bundle.find("entry")->as_array()) {
    const json::Value* r = e.find("resource");
    if (r->string_at("resourceType") != "Observation") continue;
    const json::Value* site = r->find("bodySite");
    const json::Value& code = site->find("coding")->as_array()[0];
    const json::Value* ext = site->find("extension");
    const std::string_view side = ext ? ext->as_array()[0].find("valueCodeableConcept")->find("coding")->as_array()[0].string_at("code").value_or("") : "";
    if (code.string_at("code") == snomed && side == laterality) return r;
  }
  return nullptr;
}
}  // namespace

TEST_CASE("a recorded session exports byte for byte as its golden collection Bundle", "[codec][export]") {
  const Session s = test::session_from_file(test::examples_path("sessions/2019-03-04-p123-s1.json"));
  const std::vector<Session> sessions{s};
  const std::string out = codec::export_bundle(sessions, BundleType::Collection, kOptions).dump(true) + "\n";
  const std::string golden_path = test::data_path("codec/golden/2019-03-04-p123-s1.collection.json");
  if (std::getenv("MFR_UPDATE_GOLDEN")) std::ofstream(golden_path, std::ios::binary) << out;  // then review the diff
  const std::string golden = test::read_text(golden_path);
  CHECK(out == golden);
  // Byte-stable: the same session always gives the same bytes.
  CHECK(codec::export_bundle(sessions, BundleType::Collection, kOptions).dump(true) + "\n" == out);
}

TEST_CASE("a finding graded moderate exports as restriction-grade 2 with its ordinal value", "[codec][observation]") {
  const Session s = test::session_from_file(test::examples_path("sessions/2019-03-04-p123-s1.json"));
  const json::Value bundle = codec::export_bundle(std::vector<Session>{s}, BundleType::Collection, kOptions);
  const json::Value* t4_right = observation_at(bundle, "73071006", "24028007");
  REQUIRE(t4_right);
  const json::Value& coding = t4_right->find("valueCodeableConcept")->find("coding")->as_array()[0];
  CHECK(coding.string_at("system") == "https://mfr-fhir.org/fhir/CodeSystem/restriction-grade");
  CHECK(coding.string_at("code") == "2");
  CHECK(coding.find("extension")->as_array()[0].find("valueDecimal")->number_text() == "2");
  CHECK(t4_right->find("bodySite")->string_at("text") == "T4, right");
  CHECK(t4_right->find("identifier")->as_array()[0].string_at("value") == "S-2019-0042/73071006/right");
  CHECK(t4_right->string_at("effectiveDateTime") == "2019-03-04T10:30:00+01:00");
  // A finding at L4 graded 0 is a finding too: "no restriction" is data, not absence.
  const json::Value* l4 = observation_at(bundle, "11994002", "");
  REQUIRE(l4);
  CHECK(l4->find("valueCodeableConcept")->find("coding")->as_array()[0].string_at("code") == "0");
}

TEST_CASE("a finding with no grade carries dataAbsentReason and no value (obs-6)", "[codec][observation]") {
  Session s = test::session_from_file(test::examples_path("sessions/2019-03-04-p123-s1.json"));
  s.findings.resize(1);
  s.findings[0].restriction.reset();
  const json::Value bundle = codec::export_bundle(std::vector<Session>{s}, BundleType::Collection, kOptions);
  const json::Value* obs = entry_resource(bundle, 1);
  CHECK_FALSE(obs->find("valueCodeableConcept"));
  REQUIRE(obs->find("dataAbsentReason"));
  CHECK(obs->find("dataAbsentReason")->find("coding")->as_array()[0].string_at("code") == "not-performed");
}

TEST_CASE("a transaction Bundle makes every entry a conditional create with a v5 urn:uuid", "[codec][transaction]") {
  const Session s = test::session_from_file(test::examples_path("sessions/2019-03-04-p123-s1.json"));
  const json::Value bundle = codec::export_bundle(std::vector<Session>{s}, BundleType::Transaction, kOptions);
  CHECK(bundle.string_at("type") == "transaction");
  const json::Array& entries = bundle.find("entry")->as_array();
  REQUIRE(entries.size() == 9);  // 1 Procedure + 8 Observations (T5 bilateral is two)
  const std::string procedure_url = "urn:uuid:" + codec::identifier_uuid(test::kSystem, "S-2019-0042");
  CHECK(entries[0].string_at("fullUrl") == procedure_url);
  for (const json::Value& e : entries) {
    const json::Value* request = e.find("request");
    REQUIRE(request);
    CHECK(request->string_at("method") == "POST");
    const json::Value* resource = e.find("resource");
    CHECK_FALSE(resource->find("id"));
    const json::Value& id = resource->find("identifier")->as_array()[0];
    const std::string value(id.string_at("value").value_or(""));
    CHECK(request->string_at("ifNoneExist") == "identifier=" + std::string(test::kSystem) + "|" + value);
    CHECK(e.string_at("fullUrl") == "urn:uuid:" + codec::identifier_uuid(test::kSystem, value));
    if (resource->string_at("resourceType") == "Observation")
      CHECK(resource->find("partOf")->as_array()[0].string_at("reference") == procedure_url);
  }
}

TEST_CASE("UUID v5 agrees with RFC 4122 as Python's uuid module computes it", "[codec][uuid]") {
  // python3 -c "import uuid; print(uuid.uuid5(uuid.NAMESPACE_URL, 'http://python.org/'))"
  CHECK(codec::uuid5("http://python.org/") == "4c565f0d-3f5a-5890-b41b-20cf47701c5e");
  // python3 -c "import uuid; print(uuid.uuid5(uuid.NAMESPACE_URL, 'https://clinic.example/fhir/sessions|S-2019-0042'))"
  CHECK(codec::uuid5("https://clinic.example/fhir/sessions|S-2019-0042") == "87de6cc2-e13a-5026-bc67-e95e47082eb9");
  // Our own SHA-1: names whose 16-byte namespace + name end at and around the 56- and 64-byte
  // padding edges of a block, an empty one and a long UTF-8 one (Python's values, as above).
  CHECK(codec::uuid5("") == "1b4db7eb-4057-5ddf-91e0-36dec72071f5");
  CHECK(codec::uuid5("a") == "e1407479-3136-56c0-9908-bb02fb0339e2");
  CHECK(codec::uuid5(std::string(39, 'x')) == "f4eaee1e-e483-528b-88bd-6b8932ab6e2b");
  CHECK(codec::uuid5(std::string(40, 'x')) == "f562c38a-a8fe-5cdd-b523-6f30cfb54847");
  CHECK(codec::uuid5(std::string(47, 'x')) == "b18474ae-5fc6-5d04-aa24-a5be94234955");
  CHECK(codec::uuid5(std::string(48, 'x')) == "8fa6ffa9-9280-5899-a2d8-b082ccdf6380");
  CHECK(codec::uuid5(std::string(55, 'x')) == "d7c769b2-da3b-59fa-bdd6-2f3e8c5ed303");
  CHECK(codec::uuid5(std::string(56, 'x')) == "3626e090-976f-515f-95a7-d3a479e5f76b");
  CHECK(codec::uuid5(std::string(64, 'x')) == "9d07bf9d-4264-5f1e-9682-bc55c8180b46");
  std::string accents;
  for (int i = 0; i < 100; ++i) accents += "\xC3\xA9";
  CHECK(codec::uuid5(accents) == "a0117772-3f65-5000-8229-6803b8fe27df");
}

TEST_CASE("uuid5 gives the same UUIDs with the CPU's SHA extensions as with the portable SHA-1", "[codec][uuid]") {
  std::string name;
  std::vector<std::string> portable;
  codec::uuid5_uses_sha_extensions(false);
  for (int n = 0; n < 300; ++n) {  // every length across one, two and three blocks
    name += static_cast<char>('!' + (n * 37) % 90);
    portable.push_back(codec::uuid5(name));
  }
  CHECK(codec::uuid5("http://python.org/") == "4c565f0d-3f5a-5890-b41b-20cf47701c5e");
  const bool available = codec::uuid5_uses_sha_extensions(true);
  if (!available) WARN("this CPU has no SHA extensions: only the portable SHA-1 was checked");
  name.clear();
  for (int n = 0; n < 300; ++n) {
    name += static_cast<char>('!' + (n * 37) % 90);
    INFO("length " << name.size());
    CHECK(codec::uuid5(name) == portable[static_cast<std::size_t>(n)]);
  }
  CHECK(codec::uuid5("http://python.org/") == "4c565f0d-3f5a-5890-b41b-20cf47701c5e");
}

TEST_CASE("characters that would break a query string are escaped in ifNoneExist", "[codec][transaction]") {
  CHECK(codec::if_none_exist("urn:oid:1.2.3", "A&B #1") == "identifier=urn:oid:1.2.3|A%26B%20%231");
}

TEST_CASE("NDJSON export writes one resource a line with Type/id references", "[codec][ndjson]") {
  const Session s = test::session_from_file(test::examples_path("sessions/2020-11-17-p456-s1.json"));
  codec::NdjsonOutput out;
  codec::append_ndjson(s, kOptions, out);
  CHECK(std::count(out.procedures.begin(), out.procedures.end(), '\n') == 1);
  CHECK(std::count(out.observations.begin(), out.observations.end(), '\n') == 7);
  CHECK(out.documents.empty());
  const std::string proc_id = codec::identifier_uuid(test::kSystem, "S-2020-1204");
  const json::Value first = json::Value::parse(out.observations.substr(0, out.observations.find('\n')));
  CHECK(first.find("partOf")->as_array()[0].string_at("reference") == "Procedure/" + proc_id);
  // A conditional reference is valid only in a transaction: in NDJSON it becomes the
  // equivalent logical reference by identifier.
  const json::Value* subject = first.find("subject");
  CHECK_FALSE(subject->find("reference"));
  CHECK(subject->string_at("type") == "Patient");
  CHECK(subject->find("identifier")->string_at("system") == "urn:oid:1.2.36.146.595.217.0.1");
  CHECK(subject->find("identifier")->string_at("value") == "MRN-0456");
}

TEST_CASE("a transaction keeps the conditional patient reference for the server to resolve", "[codec][transaction]") {
  const Session s = test::session_from_file(test::examples_path("sessions/2020-11-17-p456-s1.json"));
  const json::Value bundle = codec::export_bundle(std::vector<Session>{s}, BundleType::Transaction, kOptions);
  for (const json::Value& e : bundle.find("entry")->as_array())
    CHECK(e.find("resource")->find("subject")->string_at("reference") == "Patient?identifier=urn:oid:1.2.36.146.595.217.0.1|MRN-0456");
  // ...and reading a logical reference back gives the same patient the host gave.
  const json::Value collection = codec::export_bundle(std::vector<Session>{s}, BundleType::Collection, kOptions);
  const codec::ImportResult back = codec::import_json(collection.dump());
  REQUIRE(back.sessions.size() == 1);
  CHECK(back.sessions[0].patient == s.patient);
}

TEST_CASE("a session without an identifier system cannot be exported", "[codec][export]") {
  const Session s = test::session_from_file(test::examples_path("sessions/2019-03-04-p123-s1.json"));
  CHECK_THROWS_WITH(codec::export_bundle(std::vector<Session>{s}, BundleType::Collection, codec::ExportOptions{}),
                    Catch::Contains("No identifier system"));
}

TEST_CASE("base64 of a note agrees with RFC 4648's test vectors", "[codec][base64]") {
  CHECK(codec::base64_encode("") == "");
  CHECK(codec::base64_encode("f") == "Zg==");
  CHECK(codec::base64_encode("fo") == "Zm8=");
  CHECK(codec::base64_encode("foo") == "Zm9v");
  CHECK(codec::base64_encode("foob") == "Zm9vYg==");
  CHECK(codec::base64_encode("fooba") == "Zm9vYmE=");
  CHECK(codec::base64_encode("foobar") == "Zm9vYmFy");
  const std::string bytes("\xFF\xFE\x00\x80\x7F", 5);
  CHECK(codec::base64_encode(bytes) == "//4AgH8=");
  CHECK(codec::base64_decode(codec::base64_encode(bytes)) == bytes);
}
