#!/usr/bin/env python3
"""`mfr serve` run as a clinic would: a certificate made now with the openssl command, the
server on 127.0.0.1, a transaction Bundle made by `mfr record` posted twice and read back with
curl, then SIGTERM, and the store served again after a restart. Usage: serve_test.py MFR EXAMPLES_DIR"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

MFR, EXAMPLES = sys.argv[1:3]
SYSTEM = "https://clinic.example/fhir/sessions"
TOKEN = "lyon-secret-0123456789abcdef"


def env():
    e = dict(os.environ)
    e["ASAN_OPTIONS"] = (e.get("ASAN_OPTIONS", "") + ":detect_leaks=0").lstrip(":")  # see tests/host/host_test.py
    return e


def make_certificate(tmp):
    cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert],
                   check=True, capture_output=True, timeout=60)
    return cert, key


class Serve(unittest.TestCase):
    def start(self, tmp, cert, key, store):
        proc = subprocess.Popen([MFR, "serve", "--store", store, "--tls", cert, key, "--port", "0",
                                 "--token", "clinic-lyon:" + TOKEN + ":read,write"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env())
        line = proc.stdout.readline()
        self.assertIn("listening on https://127.0.0.1:", line, proc.stderr.read() if not line else line)
        return proc, line.split()[-1]

    def stop(self, proc):
        proc.send_signal(signal.SIGTERM)
        started = time.monotonic()
        out, err = proc.communicate(timeout=10)
        self.assertEqual(proc.returncode, 0, err)
        self.assertLess(time.monotonic() - started, 5)
        return err

    def curl(self, cert, url, *extra):
        r = subprocess.run(["curl", "-s", "--max-time", "10", "--cacert", cert, "-w", "\n%{http_code}", *extra, url],
                           capture_output=True, text=True, timeout=20)
        body, _, code = r.stdout.rpartition("\n")
        return int(code or 0), body

    def test_a_partners_transaction_is_stored_once_served_and_kept_after_a_restart(self):
        with tempfile.TemporaryDirectory() as tmp:
            cert, key = make_certificate(tmp)
            store = os.path.join(tmp, "clinic.db")
            proc, base = self.start(tmp, cert, key, store)
            try:
                session = sorted(os.path.join(EXAMPLES, "sessions", f)
                                 for f in os.listdir(os.path.join(EXAMPLES, "sessions")) if f.endswith(".json"))[0]
                bundle = os.path.join(tmp, "tx.json")
                recorded = subprocess.run([MFR, "--system", SYSTEM, "record", session, "--format", "transaction",
                                           "--out", bundle], capture_output=True, text=True, timeout=60, env=env())
                self.assertEqual(recorded.returncode, 0, recorded.stderr)
                for _ in range(2):  # a resend creates nothing
                    code, body = self.curl(cert, base, "-X", "POST", "-H", "Authorization: Bearer " + TOKEN,
                                           "-H", "Content-Type: application/fhir+json", "--data-binary", "@" + bundle)
                    self.assertEqual(code, 200, body)
                code, body = self.curl(cert, base + "/Procedure?_count=10", "-H", "Authorization: Bearer " + TOKEN)
                self.assertEqual(code, 200, body)
                self.assertEqual(len(json.loads(body)["entry"]), 1)
                code, _ = self.curl(cert, base + "/Procedure")
                self.assertEqual(code, 401)
            finally:
                err = self.stop(proc)
            self.assertRegex(err, r"POST /fhir 200 \d+ms clinic-lyon")
            self.assertRegex(err, r"GET /fhir/Procedure 401 \d+ms -")
            self.assertNotIn("_count", err)  # queries stay out of the log
            self.assertNotIn(TOKEN, err)

            proc, base = self.start(tmp, cert, key, store)
            try:
                code, body = self.curl(cert, base + "/Observation?_count=100", "-H", "Authorization: Bearer " + TOKEN)
                self.assertEqual(code, 200, body)
                findings = len(json.loads(body)["entry"])
                self.assertGreater(findings, 0)
                auth = ("-H", "Authorization: Bearer " + TOKEN)
                code, body = self.curl(cert, base + "/Observation?_summary=count", *auth)
                self.assertEqual(code, 200, body)
                self.assertEqual(json.loads(body)["total"], findings)
                self.assertNotIn("entry", json.loads(body))
                code, body = self.curl(cert, base + "/Procedure?_revinclude=Observation:part-of", *auth)
                self.assertEqual(code, 200, body)
                modes = [e["search"]["mode"] for e in json.loads(body)["entry"]]
                self.assertEqual((modes.count("match"), modes.count("include")), (1, findings))
                code, body = self.curl(cert, base + "/Procedure?_summary=maybe", *auth)
                self.assertEqual((code, json.loads(body)["issue"][0]["code"]), (400, "invalid"))
                code, body = self.curl(cert, base + "/Procedure?_contained=true", *auth)
                self.assertEqual((code, json.loads(body)["issue"][0]["code"]), (400, "not-supported"))
            finally:
                self.stop(proc)

    def test_plain_http_off_loopback_and_a_missing_token_are_refused_before_listening(self):
        r = subprocess.run([MFR, "serve", "--allow-http", "--bind", "0.0.0.0", "--port", "0", "--token",
                            "a:" + TOKEN + ":read"], capture_output=True, text=True, timeout=30, env=env())
        self.assertEqual(r.returncode, 2)
        self.assertIn("loopback", r.stderr)
        r = subprocess.run([MFR, "serve", "--allow-http", "--port", "0"], capture_output=True, text=True, timeout=30,
                           env=env())
        self.assertEqual(r.returncode, 2)
        self.assertIn("--token", r.stderr)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
