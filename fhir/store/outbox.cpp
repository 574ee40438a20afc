#include "store/outbox.hpp"

#include <algorithm>
#include <random>
#include <stdexcept>

#include "store/sqlite.hpp"

namespace mfr::store {
namespace {

using detail::Statement;
using detail::Transaction;
using std::chrono::milliseconds;

std::int64_t to_ms(Clock::time_point t) {
  return std::chrono::duration_cast<milliseconds>(t.time_since_epoch()).count();
}

Clock::time_point from_ms(std::int64_t ms) { return Clock::time_point(milliseconds(ms)); }

OutboxState parse_state(const std::string& text) {
  if (text == "queued") return OutboxState::queued;
  if (text == "in-flight") return OutboxState::in_flight;
  if (text == "sent") return OutboxState::sent;
  if (text == "failed") return OutboxState::failed;
  if (text == "dead") return OutboxState::dead;
  throw std::runtime_error("outbox row has an unknown state '" + text + "'");
}

constexpr std::string_view kSelectEntry =
    "SELECT id, partner, idempotency_key, bundle, state, attempts, next_attempt_at, lease_until, "
    "last_error, response_status, response_summary, created_at, updated_at, deferrals, holder_host, holder_boot, "
    "holder_pid, holder_start, split_from FROM outbox ";

OutboxEntry row_to_entry(const Statement& row) {
  OutboxEntry e;
  e.id = row.int64(0);
  e.partner = row.text(1);
  e.idempotency_key = row.text(2);
  e.bundle_json = row.text(3);
  e.state = parse_state(row.text(4));
  e.attempts = static_cast<int>(row.int64(5));
  e.next_attempt_at = from_ms(row.int64(6));
  if (auto lease = row.optional_int64(7)) e.lease_until = from_ms(*lease);
  e.last_error = row.optional_text(8);
  if (auto status = row.optional_int64(9)) e.response_status = static_cast<int>(*status);
  e.response_summary = row.optional_text(10);
  e.created_at = from_ms(row.int64(11));
  e.updated_at = from_ms(row.int64(12));
  e.deferrals = static_cast<int>(row.int64(13));
  if (auto host = row.optional_text(14)) {
    e.holder = ProcessIdentity{*host, row.optional_text(15).value_or(""), row.optional_int64(16).value_or(0),
                               row.optional_int64(17).value_or(0)};
  }
  e.split_from = row.optional_int64(18);
  return e;
}

// Exponential backoff with ±20% jitter, so partners coming back are not hit by every clinic at once.
milliseconds backoff_for(const OutboxPolicy& policy, int attempts) {
  const int doublings = std::clamp(attempts - 1, 0, 30);
  const double base = std::min<double>(static_cast<double>(policy.first_backoff.count()) * (1LL << doublings),
                                       static_cast<double>(policy.max_backoff.count()));
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_real_distribution<double> jitter(0.8, 1.2);
  return milliseconds(static_cast<std::int64_t>(base * jitter(rng)));
}

// Rows in flight under a live lease whose holder, on this machine, is gone: their lease ends now,
// so the claim that follows may take them. Called inside the claim's transaction.
void release_gone_holders(detail::Database& db, std::string_view partner, std::int64_t now) {
  std::vector<std::int64_t> gone;
  {
    Statement held(db,
                   "SELECT id, holder_host, holder_boot, holder_pid, holder_start FROM outbox "
                   "WHERE state = 'in-flight' AND lease_until > ?1 AND holder_host = ?2 AND (?3 = '' OR partner = ?3)");
    held.bind(1, now).bind(2, this_process().host).bind(3, partner);
    while (held.step()) {
      const ProcessIdentity holder{held.text(1), held.optional_text(2).value_or(""), held.optional_int64(3).value_or(0),
                                   held.optional_int64(4).value_or(0)};
      if (is_gone(holder)) gone.push_back(held.int64(0));
    }
  }
  for (const std::int64_t id : gone) {
    Statement release(db, "UPDATE outbox SET lease_until = ?2 WHERE id = ?1 AND state = 'in-flight'");
    release.bind(1, id).bind(2, now);
    release.run();
  }
}

// Whether a row read inside a transaction is one nobody sends: queued, failed, or in flight
// with a lease run out or a holder that is gone.
bool unclaimed(const OutboxEntry& e, std::int64_t now) {
  if (e.state == OutboxState::queued || e.state == OutboxState::failed) return true;
  if (e.state != OutboxState::in_flight) return false;
  return !e.lease_until || to_ms(*e.lease_until) <= now || (e.holder && is_gone(*e.holder));
}

// Row `id` when nobody sends it (unclaimed), read inside the caller's transaction so it stays so
// until commit; nullopt when it is gone, sent, dead or being sent.
std::optional<OutboxEntry> unclaimed_row(detail::Database& db, std::int64_t id, std::int64_t now) {
  Statement read(db, std::string(kSelectEntry) + "WHERE id = ?");
  read.bind(1, id);
  if (!read.step()) return std::nullopt;
  OutboxEntry row = row_to_entry(read);
  if (!unclaimed(row, now)) return std::nullopt;
  return row;
}

}  // namespace

bool Outbox::holder_gone(const OutboxEntry& entry) {
  return entry.state == OutboxState::in_flight && entry.holder && is_gone(*entry.holder);
}

std::string_view to_string(OutboxState state) noexcept {
  switch (state) {
    case OutboxState::queued: return "queued";
    case OutboxState::in_flight: return "in-flight";
    case OutboxState::sent: return "sent";
    case OutboxState::failed: return "failed";
    case OutboxState::dead: return "dead";
  }
  return "unknown";
}

Outbox::Outbox(std::shared_ptr<detail::Database> db, OutboxPolicy policy)
    : db_(std::move(db)), policy_(std::move(policy)) {
  if (policy_.max_attempts < 1) throw std::invalid_argument("an outbox needs max_attempts of at least 1");
}

Enqueued Outbox::enqueue(std::string_view partner, std::string_view bundle_json, std::string_view idempotency_key) {
  if (partner.empty()) throw std::invalid_argument("an outbox entry needs a partner");
  if (idempotency_key.empty()) throw std::invalid_argument("an outbox entry needs an idempotency key");
  const std::int64_t now = to_ms(policy_.clock());
  std::lock_guard lock(db_->mutex());
  Transaction tx(*db_);
  Statement insert(*db_,
                   "INSERT INTO outbox(partner, idempotency_key, bundle, state, next_attempt_at, created_at, "
                   "updated_at) VALUES (?, ?, ?, 'queued', ?, ?, ?) "
                   "ON CONFLICT (partner, idempotency_key) DO NOTHING");
  insert.bind(1, partner).bind(2, idempotency_key).bind(3, bundle_json).bind(4, now).bind(5, now).bind(6, now);
  insert.run();
  Enqueued result;
  result.inserted = db_->changes() == 1;
  Statement id(*db_, "SELECT id FROM outbox WHERE partner = ? AND idempotency_key = ?");
  id.bind(1, partner).bind(2, idempotency_key);
  id.step();
  result.id = id.int64(0);
  tx.commit();
  return result;
}

std::optional<OutboxClaim> Outbox::claim_next(std::string_view partner) {
  const std::int64_t now = to_ms(policy_.clock());
  std::lock_guard lock(db_->mutex());
  Transaction tx(*db_);
  release_gone_holders(*db_, partner, now);
  for (;;) {
    Statement due(*db_,
                  "SELECT id, attempts, partner, idempotency_key, bundle FROM outbox "
                  "WHERE ((state IN ('queued', 'failed') AND next_attempt_at <= ?1) "
                  "    OR (state = 'in-flight' AND lease_until <= ?1)) "
                  "  AND (?2 = '' OR partner = ?2) "
                  "ORDER BY next_attempt_at, id LIMIT 1");
    due.bind(1, now).bind(2, partner);
    if (!due.step()) {
      tx.commit();
      return std::nullopt;
    }
    OutboxClaim claim{due.int64(0), static_cast<int>(due.int64(1)) + 1, due.text(2), due.text(3), due.text(4)};
    // A row whose senders kept dying (its lease expired every time) must not loop for ever.
    if (claim.attempt > policy_.max_attempts) {
      Statement bury(*db_,
                     "UPDATE outbox SET state = 'dead', lease_until = NULL, updated_at = ?2, "
                     "last_error = COALESCE(last_error, 'the sender stopped during every attempt') WHERE id = ?1");
      bury.bind(1, claim.id).bind(2, now);
      bury.run();
      continue;
    }
    const ProcessIdentity& me = this_process();
    Statement take(*db_,
                   "UPDATE outbox SET state = 'in-flight', attempts = ?2, lease_until = ?3, updated_at = ?4, "
                   "holder_host = ?5, holder_boot = ?6, holder_pid = ?7, holder_start = ?8 WHERE id = ?1");
    take.bind(1, claim.id).bind(2, static_cast<std::int64_t>(claim.attempt));
    take.bind(3, now + policy_.lease.count()).bind(4, now);
    take.bind(5, me.host).bind(6, me.boot).bind(7, me.pid).bind(8, me.start);
    take.run();
    tx.commit();
    return claim;
  }
}

bool Outbox::renew(const OutboxClaim& claim) {
  const std::int64_t now = to_ms(policy_.clock());
  std::lock_guard lock(db_->mutex());
  Statement update(*db_,
                   "UPDATE outbox SET lease_until = ?3 WHERE id = ?1 AND attempts = ?2 AND state = 'in-flight'");
  update.bind(1, claim.id).bind(2, static_cast<std::int64_t>(claim.attempt)).bind(3, now + policy_.lease.count());
  update.run();
  return db_->changes() == 1;
}

bool Outbox::mark_sent(const OutboxClaim& claim, int http_status, std::string_view response_summary) {
  const std::int64_t now = to_ms(policy_.clock());
  std::lock_guard lock(db_->mutex());
  Statement update(*db_,
                   "UPDATE outbox SET state = 'sent', lease_until = NULL, last_error = NULL, response_status = ?3, "
                   "response_summary = ?4, updated_at = ?5 WHERE id = ?1 AND attempts = ?2 AND state = 'in-flight'");
  update.bind(1, claim.id).bind(2, static_cast<std::int64_t>(claim.attempt));
  update.bind(3, static_cast<std::int64_t>(http_status)).bind(4, response_summary).bind(5, now);
  update.run();
  return db_->changes() == 1;
}

std::optional<OutboxState> Outbox::mark_failed(const OutboxClaim& claim, std::string_view reason,
                                               std::optional<milliseconds> retry_after) {
  const std::int64_t now = to_ms(policy_.clock());
  const bool last = claim.attempt >= policy_.max_attempts;
  milliseconds delay = backoff_for(policy_, claim.attempt);
  if (retry_after) delay = std::max(delay, *retry_after);
  std::lock_guard lock(db_->mutex());
  Statement update(*db_,
                   "UPDATE outbox SET state = ?3, lease_until = NULL, last_error = ?4, next_attempt_at = ?5, "
                   "updated_at = ?6 WHERE id = ?1 AND attempts = ?2 AND state = 'in-flight'");
  update.bind(1, claim.id).bind(2, static_cast<std::int64_t>(claim.attempt));
  update.bind(3, std::string_view(last ? "dead" : "failed")).bind(4, reason).bind(5, now + delay.count()).bind(6, now);
  update.run();
  if (db_->changes() != 1) return std::nullopt;
  return last ? OutboxState::dead : OutboxState::failed;
}

std::optional<Outbox::Deferral> Outbox::mark_deferred(const OutboxClaim& claim, milliseconds wait,
                                                      std::string_view reason) {
  const Clock::time_point now_point = policy_.clock();
  const std::int64_t now = to_ms(now_point);
  const std::int64_t due = now + std::max<std::int64_t>(0, wait.count());
  {
    std::lock_guard lock(db_->mutex());
    Statement update(*db_,
                     "UPDATE outbox SET state = 'queued', attempts = attempts - 1, deferrals = deferrals + 1, "
                     "lease_until = NULL, last_error = ?3, next_attempt_at = ?4, updated_at = ?5 "
                     "WHERE id = ?1 AND attempts = ?2 AND state = 'in-flight' AND deferrals < ?6 "
                     "RETURNING deferrals");
    update.bind(1, claim.id).bind(2, static_cast<std::int64_t>(claim.attempt)).bind(3, reason);
    update.bind(4, due).bind(5, now).bind(6, static_cast<std::int64_t>(policy_.max_deferrals));
    if (update.step()) {
      const int deferrals = static_cast<int>(update.int64(0));
      update.reset();
      return Deferral{OutboxState::queued, from_ms(due), deferrals};
    }
  }
  // Stale, or out of deferrals: the latter fails as any other answer would.
  const auto state = mark_failed(claim, reason, wait);
  if (!state) return std::nullopt;
  const auto row = get(claim.id);
  return Deferral{*state, row ? row->next_attempt_at : from_ms(due), row ? row->deferrals : 0};
}

bool Outbox::mark_dead(const OutboxClaim& claim, std::string_view reason) {
  const std::int64_t now = to_ms(policy_.clock());
  std::lock_guard lock(db_->mutex());
  Statement update(*db_,
                   "UPDATE outbox SET state = 'dead', lease_until = NULL, last_error = ?3, updated_at = ?4 "
                   "WHERE id = ?1 AND attempts = ?2 AND state = 'in-flight'");
  update.bind(1, claim.id).bind(2, static_cast<std::int64_t>(claim.attempt)).bind(3, reason).bind(4, now);
  update.run();
  return db_->changes() == 1;
}

std::optional<std::vector<Enqueued>> Outbox::replace(std::int64_t id, const std::vector<OutboxPart>& parts) {
  for (const OutboxPart& part : parts)
    if (part.idempotency_key.empty()) throw std::invalid_argument("an outbox part needs an idempotency key");
  const std::int64_t now = to_ms(policy_.clock());
  std::lock_guard lock(db_->mutex());
  Transaction tx(*db_);
  const std::optional<OutboxEntry> row = unclaimed_row(*db_, id, now);
  if (!row) return std::nullopt;  // rolled back: nothing changed
  const std::int64_t due = row->state == OutboxState::in_flight ? now : to_ms(row->next_attempt_at);
  std::vector<Enqueued> out;
  for (const OutboxPart& part : parts) {
    Statement insert(*db_,
                     "INSERT INTO outbox(partner, idempotency_key, bundle, state, next_attempt_at, created_at, "
                     "updated_at, split_from) VALUES (?1, ?2, ?3, 'queued', ?4, ?5, ?6, ?7) "
                     "ON CONFLICT (partner, idempotency_key) DO NOTHING");
    insert.bind(1, row->partner).bind(2, part.idempotency_key).bind(3, part.bundle_json).bind(4, due);
    insert.bind(5, to_ms(row->created_at)).bind(6, now).bind(7, id);
    insert.run();
    Enqueued e;
    e.inserted = db_->changes() == 1;
    Statement key(*db_, "SELECT id FROM outbox WHERE partner = ? AND idempotency_key = ?");
    key.bind(1, row->partner).bind(2, part.idempotency_key);
    key.step();
    e.id = key.int64(0);
    out.push_back(e);
  }
  Statement del(*db_, "DELETE FROM outbox WHERE id = ?");
  del.bind(1, id);
  del.run();
  tx.commit();
  return out;
}

bool Outbox::bury(std::int64_t id, std::string_view reason) {
  const std::int64_t now = to_ms(policy_.clock());
  std::lock_guard lock(db_->mutex());
  Transaction tx(*db_);
  if (!unclaimed_row(*db_, id, now)) return false;  // rolled back: nothing changed
  Statement update(*db_,
                   "UPDATE outbox SET state = 'dead', lease_until = NULL, last_error = ?2, updated_at = ?3 WHERE id = ?1");
  update.bind(1, id).bind(2, reason).bind(3, now);
  update.run();
  tx.commit();
  return true;
}

std::optional<OutboxEntry> Outbox::get(std::int64_t id) const {
  std::lock_guard lock(db_->mutex());
  Statement row(*db_, std::string(kSelectEntry) + "WHERE id = ?");
  row.bind(1, id);
  if (!row.step()) return std::nullopt;
  return row_to_entry(row);
}

std::vector<OutboxEntry> Outbox::list(std::optional<OutboxState> state, std::string_view partner,
                                      std::size_t limit) const {
  std::lock_guard lock(db_->mutex());
  Statement rows(*db_, std::string(kSelectEntry) +
                           "WHERE (?1 = '' OR state = ?1) AND (?2 = '' OR partner = ?2) ORDER BY id DESC LIMIT ?3");
  rows.bind(1, state ? to_string(*state) : std::string_view()).bind(2, partner);
  rows.bind(3, static_cast<std::int64_t>(limit));
  std::vector<OutboxEntry> out;
  while (rows.step()) out.push_back(row_to_entry(rows));
  return out;
}

std::size_t Outbox::count(OutboxState state) const {
  std::lock_guard lock(db_->mutex());
  Statement row(*db_, "SELECT COUNT(*) FROM outbox WHERE state = ?");
  row.bind(1, to_string(state));
  row.step();
  return static_cast<std::size_t>(row.int64(0));
}

bool Outbox::retry(std::int64_t id) {
  const std::int64_t now = to_ms(policy_.clock());
  if (const auto entry = get(id); entry && entry->state == OutboxState::in_flight) {
    // Only a row nobody is sending: its holder is gone, or its lease ran out.
    if (!holder_gone(*entry) && entry->lease_until && to_ms(*entry->lease_until) > now) return false;
    std::lock_guard lock(db_->mutex());
    Statement update(*db_,
                     "UPDATE outbox SET state = 'queued', attempts = 0, deferrals = 0, lease_until = NULL, "
                     "next_attempt_at = ?3, updated_at = ?3 WHERE id = ?1 AND state = 'in-flight' AND attempts = ?2");
    update.bind(1, id).bind(2, static_cast<std::int64_t>(entry->attempts)).bind(3, now);
    update.run();
    return db_->changes() == 1;
  }
  std::lock_guard lock(db_->mutex());
  Statement update(*db_,
                   "UPDATE outbox SET state = 'queued', attempts = 0, deferrals = 0, next_attempt_at = ?2, "
                   "updated_at = ?2 WHERE id = ?1 AND state IN ('failed', 'dead')");
  update.bind(1, id).bind(2, now);
  update.run();
  return db_->changes() == 1;
}

std::size_t Outbox::purge_dead() {
  std::lock_guard lock(db_->mutex());
  db_->exec("DELETE FROM outbox WHERE state = 'dead'");
  return static_cast<std::size_t>(db_->changes());
}

std::size_t Outbox::purge_sent(Clock::time_point sent_before) {
  std::lock_guard lock(db_->mutex());
  Statement del(*db_, "DELETE FROM outbox WHERE state = 'sent' AND updated_at < ?");
  del.bind(1, to_ms(sent_before));
  del.run();
  return static_cast<std::size_t>(db_->changes());
}

}  // namespace mfr::store
