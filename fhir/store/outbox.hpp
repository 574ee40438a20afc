#pragma once
// The durable outbox: transaction Bundles waiting to go to a partner, with honest states.
//
//   queued ──claim──> in_flight ──mark_sent──> sent
//      ^                 │ │
//      │ retry()         │ └──mark_failed──> failed ──(due again)──claim──> in_flight …
//      │                 └──lease expires, or its holder process is gone──> claimable again
//    dead <── mark_failed after max_attempts, or mark_dead (a permanent refusal)
//
// A partner that is rate-limiting (429/503 with Retry-After) defers the row instead:
// mark_deferred puts it back to queued, due when the partner said, without using up one of its
// max_attempts; after max_deferrals of those in a row's life it fails as any other answer would.
//
// Every change is one SQLite transaction committed with synchronous=FULL, so once enqueue()
// returns the Bundle is on disk, and a kill -9 at any point leaves each row either where it was
// or where it went. A crash after the partner stored a Bundle but before mark_sent means the
// Bundle is sent again: at once by a sender on the same machine (the claim records the holder
// process, process_identity.hpp, and a gone holder's lease is free), else when the lease expires.
// A live sender renews its lease while a send lasts (renew()). The Bundles use conditional create
// (request.ifNoneExist), so the partner does not store it twice.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/process_identity.hpp"

namespace mfr::store {

namespace detail {
class Database;
}

using Clock = std::chrono::system_clock;

enum class OutboxState { queued, in_flight, sent, failed, dead };
std::string_view to_string(OutboxState state) noexcept;  // "queued", "in-flight", …

struct OutboxPolicy {
  int max_attempts = 8;                                  // then dead
  std::chrono::milliseconds first_backoff{2'000};        // doubled per attempt, ±20% jitter
  std::chrono::milliseconds max_backoff{15 * 60'000};
  std::chrono::milliseconds lease{300'000};              // longer than one send may take
  int max_deferrals = 50;  // rate-limit answers a row may wait out before they count as failures
  std::function<Clock::time_point()> clock = [] { return Clock::now(); };  // tests move time
};

struct OutboxEntry {
  std::int64_t id = 0;
  std::string partner;
  std::string idempotency_key;
  std::string bundle_json;
  OutboxState state = OutboxState::queued;
  int attempts = 0;  // claims so far, including ones a crash interrupted, not the deferred ones
  int deferrals = 0;  // times the partner asked (Retry-After) to send it later
  Clock::time_point next_attempt_at;
  std::optional<Clock::time_point> lease_until;  // while in flight
  std::optional<ProcessIdentity> holder;         // the process that claimed it last
  std::optional<std::string> last_error;         // why the last attempt failed
  std::optional<int> response_status;            // the partner's HTTP status when sent
  std::optional<std::string> response_summary;   // e.g. the response entries' status/location
  std::optional<std::int64_t> split_from;        // the row this one is a part of (replace()), gone since
  Clock::time_point created_at;
  Clock::time_point updated_at;
};

struct Enqueued {
  std::int64_t id = 0;
  bool inserted = false;  // false: this partner+key was already in the outbox
};

// One part of a row that replace() cuts up: a Bundle and its key.
struct OutboxPart {
  std::string bundle_json;
  std::string idempotency_key;
};

// A row this caller holds for one attempt; `attempt` fences out a caller whose lease expired.
struct OutboxClaim {
  std::int64_t id = 0;
  int attempt = 0;
  std::string partner;
  std::string idempotency_key;
  std::string bundle_json;
};

class Outbox {
 public:
  Outbox(std::shared_ptr<detail::Database> db, OutboxPolicy policy);

  // Queues a Bundle for `partner`. The same partner+key twice is one row (the first wins).
  Enqueued enqueue(std::string_view partner, std::string_view bundle_json, std::string_view idempotency_key);

  // Takes the next due row (queued, failed and due, or in flight with an expired lease or a
  // holder process that is gone), oldest first, and moves it to in_flight under a lease held by
  // this process. Empty `partner` = any partner.
  std::optional<OutboxClaim> claim_next(std::string_view partner = {});

  // The heartbeat of a send still alive: the lease runs a whole `lease` from now again. False
  // when the claim is stale.
  bool renew(const OutboxClaim& claim);

  // Each returns false (and changes nothing) when the claim is stale: the lease expired and
  // another caller took the row.
  bool mark_sent(const OutboxClaim& claim, int http_status, std::string_view response_summary);
  // Back to failed with a backoff (at least `retry_after` when the partner asked for it), or dead
  // when this was the last allowed attempt. Returns the new state, or nullopt when stale.
  std::optional<OutboxState> mark_failed(const OutboxClaim& claim, std::string_view reason,
                                         std::optional<std::chrono::milliseconds> retry_after = {});
  // The partner asked to be sent this later (429/503 with Retry-After = `wait`): back to queued,
  // due at now + wait, the attempt given back. Once the row has been deferred max_deferrals
  // times this is mark_failed(claim, reason, wait). nullopt when stale.
  struct Deferral {
    OutboxState state;          // queued (deferred), or failed/dead (out of deferrals)
    Clock::time_point due;      // when the row is due again
    int deferrals = 0;          // the row's deferrals so far
  };
  std::optional<Deferral> mark_deferred(const OutboxClaim& claim, std::chrono::milliseconds wait,
                                        std::string_view reason);
  // A refusal that no retry can fix (a 4xx OperationOutcome): dead now.
  bool mark_dead(const OutboxClaim& claim, std::string_view reason);

  // Replaces row `id` by `parts` (the same Bundles, cut smaller) when nobody is sending it: it is
  // queued, failed, or in flight with a holder that is gone or a lease that ran out. In one
  // transaction: each part becomes a row of the same partner (split_from = id, created and due
  // when the row was, no attempts yet), or is the row that already holds its key; then row `id`
  // is deleted. A crash leaves either the row or all its parts, and a second call (or a push of
  // the same parts) finds the same rows by their keys: nothing is queued twice. nullopt, with
  // nothing changed, when the row is gone, sent, dead or being sent.
  std::optional<std::vector<Enqueued>> replace(std::int64_t id, const std::vector<OutboxPart>& parts);
  // Row `id`, which nobody is sending (as for replace()), can never be sent: dead now, with
  // `reason`. False, with nothing changed, otherwise.
  bool bury(std::int64_t id, std::string_view reason);

  std::optional<OutboxEntry> get(std::int64_t id) const;
  // Newest first; filters are optional.
  std::vector<OutboxEntry> list(std::optional<OutboxState> state = {}, std::string_view partner = {},
                                std::size_t limit = 1000) const;
  std::size_t count(OutboxState state) const;
  // A failed or dead row, or an in-flight one whose holder is gone (or whose lease ran out),
  // goes back to queued, due now, with fresh attempt and deferral counts.
  bool retry(std::int64_t id);
  // Whether an in-flight row's holder is known to be gone (same machine, no such process).
  static bool holder_gone(const OutboxEntry& entry);
  std::size_t purge_dead();
  std::size_t purge_sent(Clock::time_point sent_before);

  const OutboxPolicy& policy() const noexcept { return policy_; }

 private:
  std::shared_ptr<detail::Database> db_;
  OutboxPolicy policy_;
};

}  // namespace mfr::store
