#!/usr/bin/env python3
"""`mfr push`, `mfr fetch` and `mfr outbox` run as a user would, against the HTTPS FHIR test
server (a separate process). Usage: host_exchange_test.py MFR TEST_SERVER EXAMPLES_DIR"""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

MFR, SERVER, EXAMPLES = sys.argv[1:4]
SYSTEM = "https://clinic.example/fhir/sessions"


def env():
    e = dict(os.environ)
    # As in tests/host/host_test.py: LeakSanitizer's tracer crashes in this dlopen()ing host.
    e["ASAN_OPTIONS"] = (e.get("ASAN_OPTIONS", "") + ":detect_leaks=0").lstrip(":")
    return e


def mfr(*args, extra_env=None):
    e = env()
    e.update(extra_env or {})
    return subprocess.run([MFR, *args], capture_output=True, text=True, timeout=120, env=e)


def sessions():
    d = os.path.join(EXAMPLES, "sessions")
    return sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".json"))


def many_sessions(directory, count, findings=3, first=1000):
    """`count` session files of 1 + `findings` entries each (a Procedure and its Observations)."""
    os.makedirs(directory, exist_ok=True)
    sites = ["T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "L1", "L2", "L3", "L4", "L5"]
    files = []
    for i in range(count):
        session = {"id": "S-2024-%04d" % (first + i), "patient": "Patient/p-%d" % (i % 4),
                   "practitioner": "Practitioner/pr-9", "status": "completed",
                   "start": "2024-03-%02dT09:%02d:00+01:00" % (1 + i % 28, i % 60),
                   "end": "2024-03-%02dT10:%02d:00+01:00" % (1 + i % 28, i % 60),
                   "findings": [{"site": sites[k % len(sites)], "side": "left" if k % 2 else "right",
                                 "restriction": k % 4} for k in range(findings)]}
        path = os.path.join(directory, "s%04d.json" % (first + i))
        with open(path, "w") as f:
            json.dump(session, f)
        files.append(path)
    return files


class Partner:
    """The test server process: its URL, its CA file, and a line of commands for counting."""

    def __init__(self, tmp):
        self.proc = subprocess.Popen([SERVER, tmp], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env())
        port = self.proc.stdout.readline().split()[1]
        self.url = "https://127.0.0.1:%s/fhir" % port
        self.ca = os.path.join(tmp, "ca.pem")

    def ask(self, command):
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=30)
        self.proc.stdout.close()


class Exchange(unittest.TestCase):
    def setUp(self):
        self.tmp_dir = tempfile.TemporaryDirectory()
        self.tmp = self.tmp_dir.name
        self.partner = Partner(self.tmp)
        self.store = os.path.join(self.tmp, "clinic.db")

    def tearDown(self):
        self.partner.close()
        self.tmp_dir.cleanup()

    def connection(self):
        return ["--partner-url", self.partner.url, "--ca", self.partner.ca, "--store", self.store, "--timeout", "4000"]

    def test_push_sends_the_examples_once_and_fetch_brings_the_patient_back(self):
        r = mfr("--system", SYSTEM, "push", *sessions(), *self.connection(), "--token-env", "PARTNER_TOKEN",
                extra_env={"PARTNER_TOKEN": "tok-3f9a-never-printed"})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("outbox #1: 5 sessions, 33 entries, sent (HTTP 200)", r.stdout)
        self.assertNotIn("tok-3f9a", r.stdout + r.stderr)
        self.assertEqual(self.partner.ask("stored Procedure"), "5")
        self.assertEqual(self.partner.ask("stored Observation"), "28")

        # The same files again: the outbox knows them; nothing goes out.
        r = mfr("--system", SYSTEM, "push", *sessions(), *self.connection())
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("already in the outbox", r.stdout)
        self.assertEqual(self.partner.ask("transactions"), "1")

        r = mfr("fetch", "--partner-url", self.partner.url, "--ca", self.partner.ca, "--patient", "Patient/p-123")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Session S-2019-0042  2019-03-04T10:30:00+01:00  Patient/p-123  8 findings  (session 1 of 4)", r.stdout)
        self.assertRegex(r.stdout, r"  T4 +left +marked \(3\)  pain 7/10  tender  partial release")
        self.assertIn("4 sessions, 0 rejected, 0 foreign", r.stderr)  # p-123 has 4 of the 5 sessions

        out = os.path.join(self.tmp, "fetched.json")
        r = mfr("fetch", "--partner-url", self.partner.url, "--ca", self.partner.ca, "--patient", "Patient/p-123", "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out) as f:
            bundle = json.load(f)
        self.assertEqual(bundle["type"], "collection")
        self.assertEqual(sum(1 for e in bundle["entry"] if e["resource"]["resourceType"] == "Procedure"), 4)

    def test_a_partner_that_is_down_keeps_the_bundle_in_the_outbox_until_a_flush(self):
        self.assertEqual(self.partner.ask("stop"), "stopped")
        r = mfr("--system", SYSTEM, "push", sessions()[0], *self.connection())
        self.assertEqual(r.returncode, 1)
        self.assertIn("outbox #1: 1 session, 9 entries, failed", r.stdout)
        self.assertIn("stays queued as outbox row 1", r.stderr)
        r = mfr("outbox", "--store", self.store, "list")
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = json.loads(r.stdout)
        self.assertEqual([(row["id"], row["state"]) for row in rows], [(1, "failed")])
        self.assertIn("cannot connect", rows[0]["lastError"])
        self.assertNotIn("Patient/p-123", r.stdout)

        self.assertEqual(self.partner.ask("start"), "started")
        time.sleep(2.6)  # the outbox's first backoff
        r = mfr("outbox", "--store", self.store, "flush", "--partner-url", self.partner.url, "--ca", self.partner.ca)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("1 sent, 0 failed, 0 dead, 0 waiting", r.stdout)
        self.assertEqual(self.partner.ask("stored Procedure"), "1")
        self.assertIn("outbox: 0 queued, 0 in flight, 1 sent, 0 failed, 0 dead", r.stderr)

    def test_refused_bundles_can_be_retried_and_purged(self):
        self.partner.ask("fail 1 422")
        r = mfr("--system", SYSTEM, "push", sessions()[1], *self.connection())
        self.assertEqual(r.returncode, 1)
        self.assertIn("refused the Bundle", r.stderr)
        self.assertIn('"resourceType":"OperationOutcome"', r.stderr.replace(" ", ""))
        r = mfr("outbox", "--store", self.store, "retry", "1")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("1 queued", r.stderr)
        self.partner.ask("fail 1 400")
        r = mfr("outbox", "--store", self.store, "flush", "--partner-url", self.partner.url, "--ca", self.partner.ca)
        self.assertEqual(r.returncode, 1)
        self.assertIn("0 sent, 0 failed, 1 dead", r.stdout)
        r = mfr("outbox", "--store", self.store, "purge-dead")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("purged 1 dead rows", r.stdout)

    def test_a_rate_limiting_partner_defers_the_bundle_and_flush_says_until_when(self):
        r = mfr("--system", SYSTEM, "push", sessions()[0], *self.connection(), "--queue-only")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.partner.ask("fail 100 429 120"), "ok")
        flush = ["outbox", "--store", self.store, "flush", "--partner-url", self.partner.url, "--ca", self.partner.ca,
                 "--timeout", "4000"]
        r = mfr(*flush)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("0 sent, 0 failed, 0 dead, 1 waiting; the partner is rate-limiting (1 Bundle deferred) and asked "
                      "us to wait until 20", r.stdout)
        self.assertIn("so nothing more goes to it before then", r.stdout)
        rows = json.loads(mfr("outbox", "--store", self.store, "list").stdout)
        self.assertEqual([(row["state"], row["attempts"], row["deferrals"]) for row in rows], [("queued", 0, 1)])
        self.assertIn("nextAttemptAt", rows[0])
        self.assertEqual(self.partner.ask("transactions"), "1")
        # Not due before the partner's time: the next flush sends nothing.
        r = mfr(*flush)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("0 sent, 0 failed, 0 dead, 1 waiting", r.stdout)
        self.assertEqual(self.partner.ask("transactions"), "1")
        # Pushing the same Bundle again now says so, and sends nothing either.
        r = mfr("--system", SYSTEM, "push", sessions()[0], *self.connection())
        self.assertEqual(r.returncode, 1)
        self.assertIn("stays queued as outbox row 1: the partner asked to wait until 20", r.stderr)
        self.assertEqual(self.partner.ask("transactions"), "1")

    def flush_args(self):
        return ["outbox", "--store", self.store, "flush", "--partner-url", self.partner.url, "--ca", self.partner.ca]

    def start_flush_and_wait_for_its_first_send(self):
        """A real `mfr outbox flush` process, caught while the partner has stored a Bundle and not answered."""
        self.assertEqual(self.partner.ask("delay 10000"), "ok")  # long enough to look at it meanwhile
        child = subprocess.Popen([MFR, *self.flush_args()], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env())
        deadline = time.time() + 30
        while self.partner.ask("transactions") == "0" and time.time() < deadline:
            time.sleep(0.02)
        self.assertEqual(self.partner.ask("transactions"), "1")
        return child

    def test_a_flush_killed_mid_send_leaves_a_row_the_next_flush_takes_at_once(self):
        for f in sessions()[:3]:
            r = mfr("--system", SYSTEM, "push", f, *self.connection(), "--queue-only")
            self.assertEqual(r.returncode, 0, r.stderr)
        child = self.start_flush_and_wait_for_its_first_send()
        child.kill()  # SIGKILL: no chance to say anything
        child.communicate(timeout=30)
        self.assertEqual(child.returncode, -9)
        self.assertEqual(self.partner.ask("stored Procedure"), "1")  # stored, never answered

        rows = json.loads(mfr("outbox", "--store", self.store, "list").stdout)
        held = [row for row in rows if row["state"] == "in-flight"]
        self.assertEqual(len(held), 1)
        self.assertEqual(held[0]["holder"]["pid"], child.pid)
        self.assertTrue(held[0]["holder"]["gone"])
        self.assertIn("leaseUntil", held[0])

        # Right after the kill, not 5 minutes later: the row's holder is gone, so it is free.
        self.assertEqual(self.partner.ask("delay 0"), "ok")
        started = time.time()
        r = mfr(*self.flush_args())
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertLess(time.time() - started, 60)
        self.assertIn("3 sent, 0 failed, 0 dead, 0 waiting", r.stdout)
        self.assertIn("outbox: 0 queued, 0 in flight, 3 sent", r.stderr)
        self.assertEqual(self.partner.ask("stored Procedure"), "3")  # each once: the resend found its record
        self.assertEqual(self.partner.ask("transactions"), "4")

    def test_a_row_a_live_flush_holds_is_waiting_and_retry_takes_it_once_its_sender_is_killed(self):
        r = mfr("--system", SYSTEM, "push", sessions()[0], *self.connection(), "--queue-only")
        self.assertEqual(r.returncode, 0, r.stderr)
        child = self.start_flush_and_wait_for_its_first_send()
        # A second flush meanwhile: nothing for it to send, but the Bundle is not sent yet.
        r = mfr(*self.flush_args())
        self.assertIn("0 sent, 0 failed, 0 dead, 1 waiting (1 in flight with another sender that is alive)", r.stdout)
        r = mfr("outbox", "--store", self.store, "retry", "1")
        self.assertNotEqual(r.returncode, 0)  # a live sender holds it
        child.kill()
        child.communicate(timeout=30)
        r = mfr("outbox", "--store", self.store, "retry", "1")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("1 queued", r.stderr)
        self.assertEqual(self.partner.ask("delay 0"), "ok")
        r = mfr(*self.flush_args())
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("1 sent, 0 failed, 0 dead, 0 waiting", r.stdout)
        self.assertEqual(self.partner.ask("stored Procedure"), "1")

    # --- Bundles sized for the partner (issue 15, item 2) ---

    def rows(self):
        r = mfr("outbox", "--store", self.store, "list")
        self.assertEqual(r.returncode, 0, r.stderr)
        return sorted(json.loads(r.stdout), key=lambda row: row["id"])

    def bundles_in_store(self):
        """What the outbox holds, read straight from the SQLite file: (id, state, Bundle, bytes) per row."""
        db = sqlite3.connect(self.store)
        try:
            return [(i, state, json.loads(bundle), size) for i, state, bundle, size in
                    db.execute("SELECT id, state, bundle, length(CAST(bundle AS BLOB)) FROM outbox ORDER BY id")]
        finally:
            db.close()

    def test_push_with_max_bundle_entries_to_a_partner_that_refuses_larger_bundles(self):
        self.assertEqual(self.partner.ask("max-entries 20"), "ok")
        files = many_sessions(os.path.join(self.tmp, "thirty"), 30)
        r = mfr("--system", SYSTEM, "push", *files, *self.connection(), "--max-bundle-entries", "20")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("outbox #1..6: 30 sessions, 120 entries in 6 Bundles (--max-bundle-entries/--max-bundle-bytes), "
                      "sent (HTTP 200)", r.stdout)
        self.assertEqual(self.partner.ask("transactions"), "6")
        self.assertEqual(self.partner.ask("once Procedure"), "30 30 1")
        self.assertEqual(self.partner.ask("once Observation"), "90 90 1")
        self.assertEqual([row["state"] for row in self.rows()], ["sent"] * 6)
        # The same files again find the same six rows: nothing goes out.
        r = mfr("--system", SYSTEM, "push", *files, *self.connection(), "--max-bundle-entries", "20")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("already in the outbox", r.stdout)
        self.assertEqual(self.partner.ask("transactions"), "6")

    def test_push_with_max_bundle_bytes_to_a_partner_that_refuses_larger_bundles(self):
        self.assertEqual(self.partner.ask("max-bytes 12000"), "ok")
        files = many_sessions(os.path.join(self.tmp, "thirty"), 30)
        r = mfr("--system", SYSTEM, "push", *files, *self.connection(), "--max-bundle-bytes", "12000")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, r"outbox #1\.\.\d+: 30 sessions, 120 entries in \d+ Bundles .*, sent \(HTTP 200\)")
        stored = self.bundles_in_store()
        self.assertGreater(len(stored), 1)
        for _, state, _, size in stored:
            self.assertEqual(state, "sent")
            self.assertLessEqual(size, 12000)
        self.assertEqual(self.partner.ask("once Observation"), "90 90 1")

    def test_flush_cuts_a_row_queued_before_the_limit_into_whole_session_bundles(self):
        files = many_sessions(os.path.join(self.tmp, "thirty"), 30)
        r = mfr("--system", SYSTEM, "push", *files, *self.connection(), "--queue-only")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("outbox #1: 30 sessions, 120 entries, queued", r.stdout)
        self.assertEqual(self.partner.ask("max-entries 20"), "ok")
        r = mfr(*self.flush_args(), "--max-bundle-entries", "20")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("1 row queued before the limits cut into 6 Bundles (--max-bundle-entries/--max-bundle-bytes), "
                      "6 sent, 0 failed, 0 dead, 0 waiting", r.stdout)
        rows = self.rows()
        self.assertNotIn(1, [row["id"] for row in rows])  # the original row is gone...
        self.assertEqual([(row["state"], row.get("splitFrom")) for row in rows], [("sent", 1)] * 6)  # ...its parts say so
        self.assertEqual(len({row["idempotencyKey"] for row in rows}), 6)
        self.assertEqual(self.partner.ask("transactions"), "6")  # none was refused: each within the limit
        self.assertEqual(self.partner.ask("once Procedure"), "30 30 1")
        self.assertEqual(self.partner.ask("once Observation"), "90 90 1")
        # Each part holds whole sessions: every Observation is with its Procedure.
        for _, _, bundle, _ in self.bundles_in_store():
            urls = {e["fullUrl"] for e in bundle["entry"]}
            self.assertLessEqual(len(bundle["entry"]), 20)
            for e in bundle["entry"]:
                for part_of in e["resource"].get("partOf", []):
                    self.assertIn(part_of["reference"], urls)
        # A push of the same sessions with the limit cuts them the same way: the same six rows.
        r = mfr("--system", SYSTEM, "push", *files, *self.connection(), "--max-bundle-entries", "20")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("outbox #2..7: 30 sessions, 120 entries in 6 Bundles", r.stdout)
        self.assertIn("already in the outbox", r.stdout)
        self.assertEqual(self.partner.ask("transactions"), "6")

    def test_a_bundle_refused_with_413_is_cut_once_retried_and_flushed_with_the_limit(self):
        self.assertEqual(self.partner.ask("max-entries 20"), "ok")
        files = many_sessions(os.path.join(self.tmp, "thirty"), 30)
        r = mfr("--system", SYSTEM, "push", *files, *self.connection())
        self.assertEqual(r.returncode, 1)
        self.assertIn("outbox #1: 30 sessions, 120 entries, dead (HTTP 413)", r.stdout)
        self.assertIn("--max-bundle-entries N", r.stderr)
        self.assertIn("mfr outbox retry 1", r.stderr)
        r = mfr("outbox", "--store", self.store, "retry", "1")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = mfr(*self.flush_args(), "--max-bundle-entries", "20")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("1 row queued before the limits cut into 6 Bundles", r.stdout)
        self.assertIn("6 sent, 0 failed, 0 dead, 0 waiting", r.stdout)
        self.assertEqual(self.partner.ask("once Observation"), "90 90 1")

    def test_flush_makes_a_queued_row_dead_when_one_of_its_sessions_alone_is_over_the_limit(self):
        small = many_sessions(os.path.join(self.tmp, "small"), 2, findings=3, first=1000)
        big = many_sessions(os.path.join(self.tmp, "big"), 1, findings=7, first=2000)
        r = mfr("--system", SYSTEM, "push", *small, *self.connection(), "--queue-only")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = mfr("--system", SYSTEM, "push", *big, *small, *self.connection(), "--queue-only")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("outbox #2: 3 sessions, 16 entries, queued", r.stdout)
        r = mfr(*self.flush_args(), "--max-bundle-entries", "5")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("1 row queued before the limits cut into 2 Bundles", r.stdout)
        self.assertIn("2 sent, 0 failed, 1 dead, 0 waiting", r.stdout)
        self.assertIn("outbox #2, attempt 0: dead (Cannot send outbox row 2", r.stderr)
        rows = {row["id"]: row for row in self.rows()}
        self.assertEqual(rows[2]["state"], "dead")
        self.assertIn('session "S-2024-2000": its 8 entries', rows[2]["lastError"])
        self.assertIn("limit of 5 (max_bundle_entries, --max-bundle-entries)", rows[2]["lastError"])
        self.assertIn("mfr outbox retry 2", rows[2]["lastError"])
        self.assertEqual(self.partner.ask("once Procedure"), "2 2 1")  # the small ones, from row 1's parts

    # --- The "Done when" scenarios of issue 15 ---

    def flush_until_nothing_waits(self, *extra, deadline_s=90):
        """Plain `outbox flush` runs, each waiting out what the last one was told, until nothing waits."""
        outputs = []
        deadline = time.time() + deadline_s
        while time.time() < deadline:
            r = mfr(*self.flush_args(), *extra)
            outputs.append(r.stdout)
            self.assertNotIn("Traceback", r.stderr)
            if " 0 waiting" in r.stdout:
                return outputs
            time.sleep(1.1 if "rate-limiting" in r.stdout else 0.5)
        self.fail("rows still waiting after %d s: %s" % (deadline_s, outputs[-3:]))

    def test_done_when_30_sessions_at_20_entries_to_a_capped_rate_limiting_partner_arrive_once(self):
        # The partner refuses Bundles over 20 entries (413) and answers every 5th request (20%) 429
        # with Retry-After: 1, longer than our per-send time limit, so the rows are deferred.
        self.assertEqual(self.partner.ask("max-entries 20"), "ok")
        self.assertEqual(self.partner.ask("every-429 5 1"), "ok")
        files = many_sessions(os.path.join(self.tmp, "thirty"), 30)
        limit = ["--max-bundle-entries", "20", "--timeout", "800"]
        r = mfr("--system", SYSTEM, "push", *files, "--partner-url", self.partner.url, "--ca", self.partner.ca,
                "--store", self.store, *limit)
        self.assertIn("30 sessions, 120 entries in 6 Bundles", r.stdout)
        if r.returncode != 0:
            self.assertIn("the partner asked to wait until", r.stderr)
        outputs = self.flush_until_nothing_waits(*limit)
        self.assertTrue(any("rate-limiting" in o for o in outputs) or r.returncode != 0, outputs)
        self.assertGreaterEqual(int(self.partner.ask("rate-limited")), 1)
        rows = self.rows()
        self.assertEqual([row["state"] for row in rows], ["sent"] * 6)  # none dead, each sent
        self.assertTrue(any(row.get("deferrals", 0) > 0 for row in rows))
        self.assertEqual([row["attempts"] for row in rows], [1] * 6)  # a 429 used up no attempt
        self.assertEqual(self.partner.ask("once Procedure"), "30 30 1")
        self.assertEqual(self.partner.ask("once Observation"), "90 90 1")  # every Observation exactly once

    def test_done_when_six_sigkilled_flushes_and_30_percent_lost_answers_leave_every_row_sent_once(self):
        files = many_sessions(os.path.join(self.tmp, "thirty"), 30)
        # 30 Bundles queued: a limit of 4 entries cuts each session into its own.
        r = mfr("--system", SYSTEM, "push", *files, *self.connection(), "--queue-only", "--max-bundle-entries", "4")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("outbox #1..30: 30 sessions, 120 entries in 30 Bundles", r.stdout)
        # The partner commits each write, then loses 30% of its answers; it answers slowly, so a
        # kill lands after it has stored a Bundle and before the sender hears of it.
        self.assertEqual(self.partner.ask("drop-share 30 7"), "ok")
        self.assertEqual(self.partner.ask("delay 400"), "ok")
        killed = []
        for _ in range(6):
            before = int(self.partner.ask("transactions"))
            child = subprocess.Popen([MFR, *self.flush_args(), "--timeout", "4000"], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env())
            deadline = time.time() + 30
            while int(self.partner.ask("transactions")) == before and time.time() < deadline:
                time.sleep(0.02)
            self.assertGreater(int(self.partner.ask("transactions")), before)
            child.send_signal(signal.SIGKILL)
            child.communicate(timeout=30)
            self.assertEqual(child.returncode, -9)
            killed.append(child.pid)
        held = [row for row in self.rows() if row["state"] == "in-flight"]
        self.assertGreaterEqual(len(held), 1)
        self.assertTrue(all(row["holder"]["gone"] and row["holder"]["pid"] in killed for row in held), held)

        # Right after the kills: plain flushes, answers still lost 30% of the time.
        self.assertEqual(self.partner.ask("delay 0"), "ok")
        started = time.time()
        self.flush_until_nothing_waits("--timeout", "4000")
        self.assertLess(time.time() - started, 90)  # not the 5-minute lease
        rows = self.rows()
        self.assertEqual(len(rows), 30)
        self.assertEqual({row["state"] for row in rows}, {"sent"})
        self.assertEqual(self.partner.ask("once Procedure"), "30 30 1")
        self.assertEqual(self.partner.ask("once Observation"), "90 90 1")  # nothing lost, nothing twice

    def test_plain_http_is_refused_without_allow_http(self):
        r = mfr("--system", SYSTEM, "push", sessions()[0], "--partner-url", "http://127.0.0.1:9/fhir", "--store", self.store)
        self.assertEqual(r.returncode, 2)
        self.assertIn("refusing plain http://", r.stderr)

    def test_a_partner_certificate_the_trust_store_does_not_know_is_a_tls_error(self):
        # Without --ca the system's trust store is used, and it does not know the test CA.
        r = mfr("--system", SYSTEM, "push", sessions()[0], "--partner-url", self.partner.url, "--store", self.store)
        self.assertEqual(r.returncode, 1)
        self.assertIn("outbox #1: 1 session, 9 entries, failed", r.stdout)
        self.assertIn("TLS certificate of 127.0.0.1", r.stderr)
        self.assertIn("was refused", r.stderr)
        self.assertEqual(self.partner.ask("transactions"), "0")

if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
