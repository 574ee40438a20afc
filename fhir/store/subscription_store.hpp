#pragma once
// The partners' Subscriptions, in tables of the store's file: `subscription` (each one's resource
// as accepted, the partner that made it, its status, how many events it has had and how far it
// has read the journal) and `subscription_change`, the journal: every Procedure and Observation
// a write transaction stored, recorded in that same SQLite transaction by Store::put/put_all
// while any Subscription is live, one `txn` number per transaction. A Subscription reads the
// journal in txn order, so its events come in the order the changes were committed, and a
// restart resumes where its cursor stands.
//
// Every partner-facing call names the owner: a partner's Subscription is invisible to others.
// Thread safety: as Store (a SubscriptionStore shares its store's connection and lock).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mfr::store {

namespace detail {
class Database;
}

struct SubscriptionRow {
  std::string id;
  std::string owner;   // the partner's client id
  std::string status;  // "requested", "active", "error", "off"
  std::string json;    // the Subscription as accepted (its status as when it was accepted)
  std::string base_url;  // the FHIR base its notifications name ("https://clinic.example.org/fhir")
  std::int64_t events = 0;  // events-since-subscription-start
  std::optional<std::string> error;  // why the last delivery failed (no patient data)
  std::int64_t cursor = 0;  // the last journal txn this Subscription has handled
};

// One write transaction's resources, from the journal.
struct JournalChange {
  std::int64_t txn = 0;
  std::string committed_at;  // FHIR instant (UTC)
  struct Resource {
    std::string type, id, version_id;
  };
  std::vector<Resource> resources;
};

class SubscriptionStore {
 public:
  // Use Store::subscriptions().
  explicit SubscriptionStore(std::shared_ptr<detail::Database> db);

  // Adds a Subscription as `requested`; it hears of the changes committed from now on.
  void create(std::string_view id, std::string_view owner, std::string_view json, std::string_view base_url);
  // The owner's Subscription of that id; nullopt when there is none or another partner owns it.
  std::optional<SubscriptionRow> get(std::string_view id, std::string_view owner) const;
  // The owner's Subscriptions (of one status when given), oldest first.
  std::vector<SubscriptionRow> list(std::string_view owner, std::optional<std::string_view> status = {}) const;
  // Removes the owner's Subscription; false when the owner has none of that id.
  bool remove(std::string_view id, std::string_view owner);

  // For the delivery (no owner: the server's own work).
  std::optional<SubscriptionRow> find(std::string_view id) const;
  std::vector<SubscriptionRow> live() const;  // requested or active, oldest first
  bool set_status(std::string_view id, std::string_view status, const std::optional<std::string>& error);
  // The first journal change after `after_txn`, if any.
  std::optional<JournalChange> next_change(std::int64_t after_txn) const;
  // Moves the Subscription's cursor to `txn`, counting one event when `event`; false (and no
  // change) when the cursor was already there, so a repeated step counts nothing twice.
  bool advance(std::string_view id, std::int64_t txn, bool event);
  // Drops journal changes every live Subscription has handled, but the last one: txn numbers
  // go on from it (a new Subscription starts at the last txn), so they never repeat.
  void prune_journal();

 private:
  std::shared_ptr<detail::Database> db_;
};

}  // namespace mfr::store
