#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <set>
#include <signal.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <sqlite3.h>

#include "store/store.hpp"

using namespace std::chrono_literals;
using mfr::store::Clock;
using mfr::store::OutboxPolicy;
using mfr::store::OutboxState;
using mfr::store::Store;

namespace {

// A transaction Bundle as the codec writes them, small but real.
std::string bundle(const std::string& session) {
  return R"({"resourceType":"Bundle","type":"transaction","entry":[{"fullUrl":"urn:uuid:)" + session +
         R"(","resource":{"resourceType":"Procedure","status":"completed","identifier":[{"system":)"
         R"("https://clinic-lyon.example.org/fhir/sessions","value":")" + session +
         R"("}],"subject":{"reference":"Patient?identifier=https://clinic-lyon.example.org/mrn|884422"}},)"
         R"("request":{"method":"POST","url":"Procedure","ifNoneExist":"identifier=https://clinic-lyon.example.org/fhir/sessions|)" +
         session + R"("}}]})";
}

// A clock the test moves by hand.
struct TestClock {
  std::shared_ptr<Clock::time_point> now = std::make_shared<Clock::time_point>(Clock::now());
  OutboxPolicy policy(int max_attempts = 3) const {
    OutboxPolicy p;
    p.max_attempts = max_attempts;
    p.first_backoff = 1s;
    p.max_backoff = 10s;
    p.lease = 30s;
    p.clock = [n = now] { return *n; };
    return p;
  }
  void advance(std::chrono::milliseconds d) const { *now += d; }
};

std::string temp_db(const char* name) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("mfr_outbox_" + std::to_string(::getpid()) + "_" + name + ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return path.string();
}

}  // namespace

TEST_CASE("the same idempotency key enqueued twice is one outbox row", "[store][outbox]") {
  Store store = Store::open("");
  auto outbox = store.outbox();
  const auto a = outbox.enqueue("partner-bordeaux", bundle("S-1001"), "S-1001");
  const auto b = outbox.enqueue("partner-bordeaux", bundle("S-1001"), "S-1001");
  const auto c = outbox.enqueue("partner-nantes", bundle("S-1001"), "S-1001");
  CHECK(a.inserted);
  CHECK_FALSE(b.inserted);
  CHECK(b.id == a.id);
  CHECK(c.inserted);  // another partner is another delivery
  CHECK(outbox.count(OutboxState::queued) == 2);
  CHECK(outbox.get(a.id)->bundle_json == bundle("S-1001"));
}

TEST_CASE("a claimed row is in flight under a lease and is claimable again when the lease expires",
          "[store][outbox]") {
  TestClock clock;
  Store store = Store::open("");
  auto outbox = store.outbox(clock.policy());
  outbox.enqueue("partner-bordeaux", bundle("S-1001"), "S-1001");

  const auto first = outbox.claim_next("partner-bordeaux");
  REQUIRE(first);
  CHECK(first->attempt == 1);
  CHECK(outbox.get(first->id)->state == OutboxState::in_flight);
  CHECK_FALSE(outbox.claim_next());  // the lease holds it
  CHECK_FALSE(outbox.claim_next("partner-nantes"));

  clock.advance(31s);  // the sender died: the lease runs out
  const auto second = outbox.claim_next();
  REQUIRE(second);
  CHECK(second->id == first->id);
  CHECK(second->attempt == 2);
  // The first sender wakes up late: its claim is stale and changes nothing.
  CHECK_FALSE(outbox.mark_sent(*first, 200, "late"));
  CHECK(outbox.mark_sent(*second, 200, "201 Procedure/p1/_history/1"));
  const auto entry = outbox.get(second->id);
  CHECK(entry->state == OutboxState::sent);
  CHECK(entry->response_status == 200);
  CHECK(entry->response_summary == "201 Procedure/p1/_history/1");
  CHECK_FALSE(outbox.claim_next());
}

TEST_CASE("a failed row waits for its backoff and is dead after the last allowed attempt", "[store][outbox]") {
  TestClock clock;
  Store store = Store::open("");
  auto outbox = store.outbox(clock.policy(3));
  const auto id = outbox.enqueue("partner-bordeaux", bundle("S-1001"), "S-1001").id;

  auto claim = outbox.claim_next();
  CHECK(outbox.mark_failed(*claim, "connection refused by 10.0.0.5:443") == OutboxState::failed);
  auto entry = outbox.get(id);
  CHECK(entry->last_error == "connection refused by 10.0.0.5:443");
  CHECK(entry->attempts == 1);
  CHECK(entry->next_attempt_at >= *clock.now + 800ms);  // 1 s minus jitter
  CHECK_FALSE(outbox.claim_next());

  clock.advance(1300ms);
  claim = outbox.claim_next();
  REQUIRE(claim);
  // The partner asked for 5 s (Retry-After), more than the 2 s backoff.
  CHECK(outbox.mark_failed(*claim, "503 Service Unavailable", 5s) == OutboxState::failed);
  clock.advance(3s);
  CHECK_FALSE(outbox.claim_next());
  clock.advance(2100ms);
  claim = outbox.claim_next();
  REQUIRE(claim);
  CHECK(claim->attempt == 3);
  CHECK(outbox.mark_failed(*claim, "503 Service Unavailable") == OutboxState::dead);
  clock.advance(1h);
  CHECK_FALSE(outbox.claim_next());
  CHECK(outbox.list(OutboxState::dead).size() == 1);

  CHECK(outbox.retry(id));
  entry = outbox.get(id);
  CHECK(entry->state == OutboxState::queued);
  CHECK(entry->attempts == 0);
  claim = outbox.claim_next();
  REQUIRE(claim);
  CHECK(outbox.mark_dead(*claim, "422 Unprocessable: Observation.status is required"));
  CHECK(outbox.purge_dead() == 1);
  CHECK_FALSE(outbox.get(id));
}

TEST_CASE("a row whose sender dies during every attempt ends dead instead of looping", "[store][outbox]") {
  TestClock clock;
  Store store = Store::open("");
  auto outbox = store.outbox(clock.policy(2));
  const auto id = outbox.enqueue("partner-bordeaux", bundle("S-1001"), "S-1001").id;
  REQUIRE(outbox.claim_next());
  clock.advance(31s);
  REQUIRE(outbox.claim_next());
  clock.advance(31s);
  CHECK_FALSE(outbox.claim_next());
  CHECK(outbox.get(id)->state == OutboxState::dead);
}

TEST_CASE("list filters by state and partner and purge_sent forgets old deliveries", "[store][outbox]") {
  TestClock clock;
  Store store = Store::open("");
  auto outbox = store.outbox(clock.policy());
  for (int i = 0; i < 5; ++i)
    outbox.enqueue(i % 2 ? "partner-nantes" : "partner-bordeaux", bundle("S-" + std::to_string(i)),
                   "S-" + std::to_string(i));
  auto claim = outbox.claim_next("partner-nantes");
  REQUIRE(claim);
  outbox.mark_sent(*claim, 200, "ok");
  CHECK(outbox.list({}, "partner-nantes").size() == 2);
  CHECK(outbox.list(OutboxState::queued, "partner-bordeaux").size() == 3);
  CHECK(outbox.list(OutboxState::sent).size() == 1);
  CHECK(outbox.purge_sent(*clock.now) == 0);
  clock.advance(1s);
  CHECK(outbox.purge_sent(*clock.now) == 1);
  CHECK(outbox.list().size() == 4);
}

TEST_CASE("threads claiming at the same time never get the same row", "[store][outbox]") {
  Store store = Store::open(temp_db("threads"));
  auto outbox = store.outbox();
  for (int i = 0; i < 200; ++i) outbox.enqueue("partner-bordeaux", bundle("S-" + std::to_string(i)), std::to_string(i));
  std::mutex seen_mutex;
  std::multiset<std::int64_t> seen;
  std::vector<std::thread> workers;
  for (int t = 0; t < 4; ++t)
    workers.emplace_back([&] {
      while (auto claim = outbox.claim_next()) {
        outbox.mark_sent(*claim, 200, "ok");
        std::lock_guard lock(seen_mutex);
        seen.insert(claim->id);
      }
    });
  for (auto& w : workers) w.join();
  CHECK(seen.size() == 200);
  CHECK(std::set<std::int64_t>(seen.begin(), seen.end()).size() == 200);
  CHECK(outbox.count(OutboxState::sent) == 200);
}

TEST_CASE("a process killed while it holds a claim loses no row, and the row is free at once: its holder is gone",
          "[store][outbox][crash]") {
  const std::string path = temp_db("kill");
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // The child enqueues, claims one row and is killed before it can say anything more.
    Store store = Store::open(path);
    auto outbox = store.outbox();  // a 5-minute lease
    for (int i = 0; i < 20; ++i) outbox.enqueue("partner-bordeaux", bundle("S-" + std::to_string(i)), std::to_string(i));
    outbox.claim_next();
    ::kill(::getpid(), SIGKILL);
    ::_exit(1);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGKILL);

  Store store = Store::open(path);
  auto outbox = store.outbox();
  CHECK(outbox.list().size() == 20);
  const auto held = outbox.list(OutboxState::in_flight);
  REQUIRE(held.size() == 1);
  REQUIRE(held[0].holder);
  CHECK(held[0].holder->pid == child);
  CHECK(held[0].holder->host == mfr::store::this_process().host);
  CHECK(mfr::store::Outbox::holder_gone(held[0]));
  CHECK(held[0].lease_until > Clock::now() + 4min);  // no need to wait for it
  int claimed = 0;
  while (auto claim = outbox.claim_next()) {
    ++claimed;
    if (claim->id == held[0].id) CHECK(claim->attempt == 2);
    outbox.mark_sent(*claim, 200, "ok");
  }
  CHECK(claimed == 20);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

TEST_CASE("a row held by a live process is not taken, renewed while it lives, and retry takes it only once it is gone",
          "[store][outbox][crash]") {
  const std::string path = temp_db("live-holder");
  int to_child[2], to_parent[2];
  REQUIRE(::pipe(to_child) == 0);
  REQUIRE(::pipe(to_parent) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    Store store = Store::open(path);
    auto outbox = store.outbox();
    const auto id = outbox.enqueue("partner-bordeaux", bundle("S-77"), "S-77").id;
    const auto claim = outbox.claim_next();
    char byte = claim && claim->id == id ? 'y' : 'n';
    (void)!::write(to_parent[1], &byte, 1);
    (void)!::read(to_child[0], &byte, 1);  // "renew"
    byte = outbox.renew(*claim) ? 'y' : 'n';
    (void)!::write(to_parent[1], &byte, 1);
    (void)!::read(to_child[0], &byte, 1);  // then wait to be killed
    ::_exit(0);
  }
  char byte = 0;
  REQUIRE(::read(to_parent[0], &byte, 1) == 1);
  REQUIRE(byte == 'y');
  Store store = Store::open(path);
  auto outbox = store.outbox();
  const auto row = outbox.list(OutboxState::in_flight).at(0);
  CHECK_FALSE(mfr::store::Outbox::holder_gone(row));
  CHECK_FALSE(outbox.claim_next());   // its holder lives
  CHECK_FALSE(outbox.retry(row.id));  // and retry does not take it from it
  std::this_thread::sleep_for(20ms);
  REQUIRE(::write(to_child[1], "r", 1) == 1);
  REQUIRE(::read(to_parent[0], &byte, 1) == 1);
  CHECK(byte == 'y');
  CHECK(*outbox.get(row.id)->lease_until > *row.lease_until);  // the heartbeat's renewal

  ::kill(child, SIGKILL);
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  CHECK(mfr::store::Outbox::holder_gone(*outbox.get(row.id)));
  CHECK(outbox.retry(row.id));
  const auto again = outbox.get(row.id);
  CHECK(again->state == OutboxState::queued);
  CHECK(again->attempts == 0);
  for (int fd : {to_child[0], to_child[1], to_parent[0], to_parent[1]}) ::close(fd);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

TEST_CASE("a partner's Retry-After defers a row without using up its attempts, up to max_deferrals",
          "[store][outbox][rate-limit]") {
  TestClock clock;
  *clock.now = std::chrono::floor<std::chrono::milliseconds>(*clock.now);  // the store keeps milliseconds
  OutboxPolicy policy = clock.policy(3);
  policy.max_deferrals = 2;
  Store store = Store::open("");
  auto outbox = store.outbox(policy);
  const auto id = outbox.enqueue("partner-bordeaux", bundle("S-1101"), "S-1101").id;

  for (int deferral = 1; deferral <= 2; ++deferral) {
    const auto claim = outbox.claim_next();
    REQUIRE(claim);
    CHECK(claim->attempt == 1);  // the deferred claims were given back
    const auto deferred = outbox.mark_deferred(*claim, 120s, "HTTP 429: OperationOutcome error/throttled");
    REQUIRE(deferred);
    CHECK(deferred->state == OutboxState::queued);
    CHECK(deferred->due == *clock.now + 120s);
    CHECK(deferred->deferrals == deferral);
    const auto entry = outbox.get(id);
    CHECK(entry->state == OutboxState::queued);
    CHECK(entry->attempts == 0);
    CHECK(entry->deferrals == deferral);
    CHECK(entry->next_attempt_at == *clock.now + 120s);
    CHECK(entry->last_error == "HTTP 429: OperationOutcome error/throttled");
    clock.advance(119s);
    CHECK_FALSE(outbox.claim_next());  // due only when the partner said
    clock.advance(1s);
  }
  // Out of deferrals: the next such answer is a failed attempt, with at least the partner's wait.
  auto claim = outbox.claim_next();
  REQUIRE(claim);
  const auto failed = outbox.mark_deferred(*claim, 60s, "HTTP 429");
  REQUIRE(failed);
  CHECK(failed->state == OutboxState::failed);
  CHECK(failed->due >= *clock.now + 60s);
  CHECK(outbox.get(id)->attempts == 1);
  // A stale claim changes nothing.
  CHECK_FALSE(outbox.mark_deferred(*claim, 1s, "HTTP 429"));

  clock.advance(2min);
  claim = outbox.claim_next();
  REQUIRE(claim);
  outbox.mark_dead(*claim, "HTTP 400");
  REQUIRE(outbox.retry(id));
  CHECK(outbox.get(id)->deferrals == 0);
}

TEST_CASE("a store written before deferrals were counted opens with every row at 0 deferrals", "[store][outbox][migrate]") {
  const std::string path = temp_db("before-deferrals");
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db,
                         "CREATE TABLE outbox(id INTEGER PRIMARY KEY, partner TEXT NOT NULL, idempotency_key TEXT NOT NULL, "
                         "bundle TEXT NOT NULL, state TEXT NOT NULL CHECK (state IN ('queued', 'in-flight', 'sent', 'failed', "
                         "'dead')), attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, lease_until INTEGER, "
                         "last_error TEXT, response_status INTEGER, response_summary TEXT, created_at INTEGER NOT NULL, "
                         "updated_at INTEGER NOT NULL, UNIQUE (partner, idempotency_key));"
                         "INSERT INTO outbox(partner, idempotency_key, bundle, state, attempts, next_attempt_at, created_at, "
                         "updated_at) VALUES ('partner-bordeaux', 'S-1', '{}', 'failed', 2, 0, 0, 0);",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  Store store = Store::open(path);
  auto outbox = store.outbox();
  const auto rows = outbox.list();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].attempts == 2);
  CHECK(rows[0].deferrals == 0);
  const auto claim = outbox.claim_next();
  REQUIRE(claim);
  CHECK(outbox.mark_deferred(*claim, 5s, "HTTP 503")->deferrals == 1);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

TEST_CASE("replace() swaps a row nobody sends for its parts in one go, and a second call finds the same rows",
          "[store][outbox][recut]") {
  TestClock clock;
  Store store = Store::open("");
  auto outbox = store.outbox(clock.policy());
  const auto older = outbox.enqueue("partner-bordeaux", bundle("S-0999"), "S-0999");
  const auto whole = outbox.enqueue("partner-bordeaux", bundle("S-1001") + bundle("S-1002"), "whole");
  clock.advance(1s);
  // One part is in the outbox already (a push with the partner's limits queued it before).
  const auto known = outbox.enqueue("partner-bordeaux", bundle("S-1001"), "part-1");
  const std::vector<mfr::store::OutboxPart> parts{{bundle("S-1001"), "part-1"}, {bundle("S-1002"), "part-2"}};

  const auto replaced = outbox.replace(whole.id, parts);
  REQUIRE(replaced);
  REQUIRE(replaced->size() == 2);
  CHECK((*replaced)[0].id == known.id);
  CHECK_FALSE((*replaced)[0].inserted);
  CHECK((*replaced)[1].inserted);
  CHECK_FALSE(outbox.get(whole.id));  // the original row is gone
  const auto part = outbox.get((*replaced)[1].id);
  REQUIRE(part);
  CHECK(part->state == OutboxState::queued);
  CHECK(part->split_from == whole.id);
  CHECK(part->attempts == 0);
  CHECK(part->bundle_json == bundle("S-1002"));
  CHECK(part->created_at == outbox.get(older.id)->created_at);  // queued when the original was
  CHECK(outbox.list().size() == 3);

  // Run again (a flush that crashed after the commit and started over): nothing left to replace.
  CHECK_FALSE(outbox.replace(whole.id, parts));
  CHECK(outbox.list().size() == 3);

  // The row queued before goes first, then the parts (due when the original was).
  CHECK(outbox.claim_next()->id == older.id);
  std::set<std::string> claimed{outbox.claim_next()->idempotency_key, outbox.claim_next()->idempotency_key};
  CHECK(claimed == std::set<std::string>{"part-1", "part-2"});
}

TEST_CASE("replace() and bury() leave a row a live sender holds, or one sent or dead, as it is", "[store][outbox][recut]") {
  TestClock clock;
  Store store = Store::open("");
  auto outbox = store.outbox(clock.policy());
  const auto held = outbox.enqueue("partner-bordeaux", bundle("S-1001"), "held");
  const auto claim = outbox.claim_next();
  REQUIRE(claim);
  REQUIRE(claim->id == held.id);
  const std::vector<mfr::store::OutboxPart> parts{{bundle("S-2001"), "p1"}, {bundle("S-2002"), "p2"}};
  CHECK_FALSE(outbox.replace(held.id, parts));  // this process holds it and lives
  CHECK_FALSE(outbox.bury(held.id, "too large"));
  CHECK(outbox.get(held.id)->state == OutboxState::in_flight);
  CHECK(outbox.list().size() == 1);
  // Once its lease ran out nobody sends it: it may be cut.
  clock.advance(31s);
  CHECK(outbox.replace(held.id, parts));
  CHECK(outbox.list().size() == 2);

  const auto sent_claim = outbox.claim_next();
  REQUIRE(sent_claim);
  REQUIRE(outbox.mark_sent(*sent_claim, 200, "200"));
  CHECK_FALSE(outbox.replace(sent_claim->id, parts));
  CHECK_FALSE(outbox.bury(sent_claim->id, "too large"));
  CHECK(outbox.get(sent_claim->id)->state == OutboxState::sent);

  const auto last = outbox.list(OutboxState::queued);
  REQUIRE(last.size() == 1);
  CHECK(outbox.bury(last[0].id, "Cannot send outbox row 3: session \"S-2002\" ..."));
  const auto dead = outbox.get(last[0].id);
  CHECK(dead->state == OutboxState::dead);
  CHECK(dead->last_error == "Cannot send outbox row 3: session \"S-2002\" ...");
  CHECK_FALSE(outbox.bury(last[0].id, "again"));
  CHECK_FALSE(outbox.claim_next());
}
