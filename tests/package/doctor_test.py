#!/usr/bin/env python3
"""`mfr doctor`, run as a support desk would ask a clinic to run it.

    doctor_test.py MFR LIBMFR
"""
import json
import os
import subprocess
import sys
import unittest

MFR, LIB = sys.argv[1], sys.argv[2]


def doctor(env=None):
    full_env = dict(os.environ, **(env or {}))
    return subprocess.run([MFR, "--plugin", LIB, "doctor"], capture_output=True, text=True, env=full_env)


def sections(stdout):
    """The two JSON documents `mfr doctor` prints after 'build info:' and 'self-test:'."""
    info_text = stdout.split("build info:\n", 1)[1].split("self-test:\n", 1)[0]
    report_text = stdout.split("self-test:\n", 1)[1]
    report_text = report_text[: report_text.rindex("}") + 1]
    return json.loads(info_text), json.loads(report_text)


class Doctor(unittest.TestCase):
    def test_doctor_prints_the_build_and_every_self_test_part_passing(self):
        run = doctor()
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        self.assertIn(f"from {LIB}", run.stdout)
        info, report = sections(run.stdout)
        self.assertEqual(info["abi"], 1)
        self.assertRegex(info["version"], r"^\d+\.\d+\.\d+$")
        self.assertRegex(info["dependencies"]["openssl"]["running"], r"^OpenSSL 3\.")
        self.assertRegex(info["dependencies"]["sqlite"]["running"], r"^3\.\d+")
        self.assertRegex(info["dependencies"]["boost"]["built"], r"^1\.\d+")
        self.assertTrue(report["ok"])
        self.assertEqual([c["name"] for c in report["checks"]], ["tls", "store", "codecs", "validator"])
        self.assertTrue(all(c["ok"] for c in report["checks"]))

    def test_without_a_trust_store_doctor_names_tls_and_exits_1(self):
        run = doctor({"SSL_CERT_FILE": "/nonexistent/ca.pem", "SSL_CERT_DIR": "/nonexistent/certs"})
        self.assertEqual(run.returncode, 1, run.stdout + run.stderr)
        _, report = sections(run.stdout)
        self.assertFalse(report["ok"])
        self.assertEqual({c["name"]: c["ok"] for c in report["checks"]},
                         {"tls": False, "store": True, "codecs": True, "validator": True})
        self.assertIn('"tls"', run.stderr)
        self.assertIn("/nonexistent/ca.pem", run.stderr)

    def test_doctor_with_no_plugin_says_where_it_looked(self):
        run = subprocess.run([MFR, "--plugin", "/nonexistent/libmfr-fhir.so.1", "doctor"], capture_output=True, text=True)
        self.assertEqual(run.returncode, 2)
        self.assertIn("/nonexistent/libmfr-fhir.so.1", run.stderr)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
