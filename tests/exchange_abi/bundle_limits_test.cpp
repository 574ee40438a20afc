// Bundles sized for the partner: a push cut into whole-session transaction Bundles by
// max_bundle_entries / max_bundle_bytes, against the HTTPS test server refusing larger ones (413).
#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

#include "abi_helpers.hpp"
#include "json/json.hpp"
#include "mfr/mfr.hpp"

using namespace mfr::test::abi;

namespace {

std::vector<mfr::Session> thirty_sessions(const mfr::Context& ctx) {
  std::vector<mfr::Session> sessions;
  for (int i = 0; i < 30; ++i)
    sessions.push_back(session(ctx, "S-2024-" + std::to_string(1000 + i), "Patient/p-" + std::to_string(i % 4), 1 + i % 28, 3));
  return sessions;
}

std::vector<const mfr::Session*> pointers(const std::vector<mfr::Session>& sessions) {
  std::vector<const mfr::Session*> list;
  for (const mfr::Session& s : sessions) list.push_back(&s);
  return list;
}

std::vector<std::string> keys(const mfr::Context& ctx) {
  std::vector<std::string> out;
  const mfr::json::Value rows = mfr::json::Value::parse(ctx.outbox_list("bordeaux"));
  for (const mfr::json::Value& row : rows.as_array())
    out.emplace_back(*row.string_at("idempotencyKey"));
  return out;
}

}  // namespace

TEST_CASE("A push of 30 sessions with max_bundle_entries 20 arrives as several whole-session Bundles, each Observation once", "[exchange_abi][bundles]") {
  TestFhirServer server(mfr::test::https_server());
  server.refuse_bundles_over(20);
  TempDir dir;
  const mfr::Api api = mfr::Api::linked();
  mfr::Context ctx(api, kSystem);
  PartnerSetup partner(server, dir);
  partner.options.max_bundle_entries = 20;
  ctx.add_partner(partner.options);
  const std::vector<mfr::Session> sessions = thirty_sessions(ctx);

  const auto pushed = ctx.push("bordeaux", pointers(sessions));
  REQUIRE(pushed.status == MFR_OK);
  CHECK(pushed.result.entries == 30 * 4);
  CHECK(pushed.result.parts == 6);  // 5 sessions of 4 entries a Bundle
  CHECK(pushed.result.state == MFR_OUTBOX_SENT);
  CHECK(pushed.result.last_outbox_id > pushed.result.outbox_id);
  CHECK(server.transactions_received() == 6);
  CHECK(server.stored("Procedure") == 30);
  CHECK(server.stored("Observation") == 90);
  // Each session's Observations are stored with their Procedure: every partOf was resolved.
  for (int i = 0; i < 30; ++i)
    CHECK(server.find("Procedure", std::string(kSystem) + "|S-2024-" + std::to_string(1000 + i)));
  const mfr_outbox_counts counts = ctx.outbox_counts();
  CHECK(counts.sent == 6);
  CHECK(counts.queued + counts.failed + counts.dead + counts.in_flight == 0);

  // The same push again finds the same six rows; a resend of any part duplicates nothing.
  const std::vector<std::string> first_keys = keys(ctx);
  CHECK(std::set<std::string>(first_keys.begin(), first_keys.end()).size() == 6);
  const auto again = ctx.push("bordeaux", pointers(sessions));
  CHECK(again.status == MFR_OK);
  CHECK(again.result.inserted == 0);
  CHECK(again.result.parts == 6);
  CHECK(server.transactions_received() == 6);

  // The split is deterministic: another outbox cuts the same Bundles (same keys), and its
  // resend stores nothing twice.
  mfr::Context other(api, kSystem);
  other.add_partner(partner.options);
  const auto elsewhere = other.push("bordeaux", pointers(thirty_sessions(other)));
  CHECK(elsewhere.status == MFR_OK);
  CHECK(keys(other) == first_keys);
  CHECK(server.stored("Observation") == 90);
  CHECK(server.stored("Procedure") == 30);
}

TEST_CASE("A session larger than max_bundle_entries is refused with a sentence naming it and the limit, nothing queued", "[exchange_abi][bundles]") {
  TestFhirServer server(mfr::test::https_server());
  TempDir dir;
  const mfr::Api api = mfr::Api::linked();
  mfr::Context ctx(api, kSystem);
  PartnerSetup partner(server, dir);
  partner.options.max_bundle_entries = 20;
  ctx.add_partner(partner.options);
  const mfr::Session small = session(ctx, "S-2024-0001", "Patient/p-1", 3, 2);
  const mfr::Session big = session(ctx, "S-2024-0002", "Patient/p-1", 4, 24);
  std::string message;
  try {
    ctx.push("bordeaux", {&small, &big});
  } catch (const mfr::Error& e) {
    message = e.what();
    CHECK(e.status() == MFR_ERR_INVALID_ARGUMENT);
  }
  CHECK_THAT(message, Catch::Contains("session \"S-2024-0002\"") && Catch::Contains("its 25 entries (1 Procedure, 24 Observations)") &&
                          Catch::Contains("limit of 20") && Catch::Contains("--max-bundle-entries"));
  CHECK(server.transactions_received() == 0);
  const mfr_outbox_counts counts = ctx.outbox_counts();
  CHECK(counts.queued + counts.sent == 0);
}

TEST_CASE("max_bundle_bytes cuts a push into Bundles no larger than the limit", "[exchange_abi][bundles]") {
  TestFhirServer server(mfr::test::https_server());
  TempDir dir;
  const mfr::Api api = mfr::Api::linked();
  mfr::Context ctx(api, kSystem);
  PartnerSetup partner(server, dir);
  partner.options.max_bundle_bytes = 40'000;
  ctx.add_partner(partner.options);
  const std::vector<mfr::Session> sessions = thirty_sessions(ctx);
  const auto pushed = ctx.push("bordeaux", pointers(sessions), MFR_PUSH_QUEUE_ONLY);
  REQUIRE(pushed.status == MFR_OK);
  CHECK(pushed.result.parts > 1);
  CHECK(pushed.result.entries == 120);
  CHECK(ctx.flush("bordeaux").sent == pushed.result.parts);
  CHECK(server.stored("Observation") == 90);
}

TEST_CASE("A 413 from the partner is a refusal, not retried, that names the limit to set", "[exchange_abi][bundles]") {
  TestFhirServer server(mfr::test::https_server());
  server.refuse_bundles_over(20);
  TempDir dir;
  const mfr::Api api = mfr::Api::linked();
  mfr::Context ctx(api, kSystem);
  PartnerSetup partner(server, dir);
  ctx.add_partner(partner.options);
  const std::vector<mfr::Session> sessions = thirty_sessions(ctx);
  const auto pushed = ctx.push("bordeaux", pointers(sessions));
  CHECK(pushed.status == MFR_ERR_REFUSED);
  CHECK(pushed.result.state == MFR_OUTBOX_DEAD);
  CHECK(pushed.result.http_status == 413);
  CHECK_THAT(pushed.message, Catch::Contains("max_bundle_entries") && Catch::Contains("--max-bundle-entries") &&
                                 Catch::Contains("--max-bundle-bytes"));
  CHECK(server.transactions_received() == 1);
  CHECK(server.stored("Observation") == 0);
}
