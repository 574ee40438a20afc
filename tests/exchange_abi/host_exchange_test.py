#!/usr/bin/env python3
"""`mfr push`, `mfr fetch` and `mfr outbox` run as a user would, against the HTTPS FHIR test
server (a separate process). Usage: host_exchange_test.py MFR TEST_SERVER EXAMPLES_DIR"""
import json
import os
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
