#pragma once
// The exchange state of one host context: its outbox store and its partners, and the policy
// around them (the outbox key of a Bundle, the lease a send needs, what a partner's answer
// means). Failures come back as ErrorKind, so a boundary (the C ABI) only translates kinds.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "exchange/bundle_parts.hpp"
#include "exchange/client.hpp"
#include "exchange/errors.hpp"
#include "exchange/sender.hpp"
#include "exchange/utc.hpp"
#include "json/json.hpp"
#include "store/store.hpp"

namespace mfr::exchange {

// The outbox key of a Bundle: "sha256:" + its hex digest, so the same bytes give the same key.
std::string outbox_key(std::string_view bundle_json);

// The lease must outlast one whole send, or a slow send could be claimed twice.
store::OutboxPolicy lease_policy(store::OutboxPolicy base, const ClientOptions& options);

// A partner's answer that was not a success, as a kind: 401/403 authorization, 408 timeout,
// another 4xx but 429 a refusal (http_status), else unavailable.
ErrorKind kind_of_status(int http_status) noexcept;

struct Partner {
  std::string name;
  ClientOptions options;
  store::OutboxPolicy policy;
  BundleLimits limits;  // a push becomes as many transaction Bundles as these need
  std::unique_ptr<Client> client;  // one keep-alive connection per partner
  std::function<void(const Delivery&)> on_delivery;  // may be empty
};

enum class PushMode { send_now, queue_only };

// A push of one Bundle or, cut to the partner's limits, of several parts (each its own outbox row).
struct PushOutcome {
  std::int64_t outbox_id = 0;       // the first part's row
  std::int64_t last_outbox_id = 0;  // the last part's row
  int parts = 1;
  bool inserted = false;            // any part a new row
  int entries = 0;                  // of all parts
  int http_status = 0;              // the first part not sent's status, else the last part's
  std::optional<store::OutboxState> state;  // the first part not sent's state, else sent
  std::string answer;               // the partner's answer to that part, as received
  std::optional<ErrorKind> error;   // set when the Bundle was not sent
  std::string message;              // why, in a sentence
};

// Rows queued before the partner's limits were set (or when they were larger), cut to them now.
struct Recut {
  int rows = 0;   // rows replaced by their parts
  int parts = 0;  // the rows those became
  int dead = 0;   // rows whose single session is over a limit: dead, with the sentence that says so
};

struct FlushOutcome {
  FlushReport report;  // its dead count includes recut.dead
  Recut recut;
  int remaining = 0;   // rows of the partner still unsent: queued, failed, or in flight
  int in_flight = 0;   // of those, held by another sender that is alive (or not known gone)
  std::string reason;  // the last failed delivery's detail
};

enum class LogLevel { info, warning };
using LogFn = std::function<void(LogLevel, const std::string&)>;

class Hub {
 public:
  explicit Hub(LogFn log = {}) : log_(std::move(log)) {}

  // Opens (or creates) the SQLite store, "" = memory; throws std::runtime_error.
  void open_store(const std::string& path);
  store::Store& store();  // opens one in memory on first use

  // Adds or replaces the partner of that name; throws ExchangeError(configuration).
  Partner& add_partner(std::unique_ptr<Partner> partner);
  Partner* find(std::string_view name);

  // Queues the transaction Bundle, cut into parts on session boundaries to the partner's limits
  // (split_transaction; a session over a limit throws ExchangeError(configuration), nothing
  // queued), one outbox row per part, and for send_now sends the partner's due rows, these
  // included. `timeout` > 0 replaces the partner's operation time limit for this call.
  PushOutcome push(Partner& partner, const json::Value& bundle, PushMode mode, std::chrono::milliseconds timeout);
  // Cuts the partner's rows that nobody is sending and that exceed its limits (recut()), then
  // sends its due rows.
  FlushOutcome flush(Partner& partner);
  // Each of the partner's rows that nobody is sending (queued, failed, or held by a sender that
  // is gone) and whose Bundle is over the partner's limits is cut on session boundaries as a push
  // would cut it (split_transaction), and replaced by its parts in one store transaction
  // (store::Outbox::replace: each part its own row and key, the sha256 of its bytes, so a crash
  // mid-way and a re-run, or a push of the same sessions with the same limits, never queue a part
  // twice). A row whose single session is over a limit is dead, with a sentence naming the
  // session and the limit (reported to on_delivery once, attempt 0). Nothing to do without limits.
  Recut recut(Partner& partner);
  // The outbox rows (newest first) as JSON objects for a host to show.
  json::Value outbox_rows(std::optional<store::OutboxState> state, std::string_view partner);

 private:
  void log(LogLevel level, const std::string& message) const {
    if (log_) log_(level, message);
  }
  LogFn log_;
  std::optional<store::Store> store_;
  std::map<std::string, std::unique_ptr<Partner>, std::less<>> partners_;
};

}  // namespace mfr::exchange
