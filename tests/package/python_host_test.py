#!/usr/bin/env python3
"""The Python ctypes host example, run as a user would and imported as a module.

    python_host_test.py MFR_HOST_PY LIBMFR
"""
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import unittest
import xml.dom.minidom

HOST, LIB = sys.argv[1], sys.argv[2]


def load_host():
    spec = importlib.util.spec_from_file_location("mfr_host", HOST)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class PythonHost(unittest.TestCase):
    def test_the_script_records_a_session_exports_fhir_and_draws_its_spine_map(self):
        with tempfile.TemporaryDirectory() as out:
            run = subprocess.run([sys.executable, HOST, "--plugin", LIB, "--out", out], capture_output=True, text=True)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertIn("S-PY-HOST-0001 with 5 findings", run.stdout)
            with open(os.path.join(out, "bundle.json"), encoding="utf-8") as f:
                bundle = json.load(f)
            self.assertEqual(bundle["type"], "transaction")
            types = [e["resource"]["resourceType"] for e in bundle["entry"]]
            self.assertEqual(types.count("Procedure"), 1)
            self.assertEqual(types.count("Observation"), 5)  # T6 L, T7 L+R (bilateral), T8 R, upper trapezius R
            notes = [c for e in bundle["entry"] for c in [e["resource"].get("note", [{}])[0].get("text")] if c]
            self.assertIn("épaule droite", notes)  # UTF-8 crosses the boundary intact
            svg = xml.dom.minidom.parse(os.path.join(out, "spine.svg"))
            levels = {g.getAttribute("data-level") for g in svg.getElementsByTagName("*") if g.hasAttribute("data-level")}
            self.assertTrue({"T6", "T7", "T8"} <= levels, levels)

    def test_as_a_module_the_host_sees_what_it_recorded_come_back(self):
        with tempfile.TemporaryDirectory() as out:
            result = load_host().run(LIB, out)
        self.assertEqual(result["findings"], 5)
        self.assertEqual(result["entries"], 6)
        self.assertEqual(result["sessions_back"], 1)
        self.assertEqual(result["rejected"], 0)

    def test_a_missing_library_is_a_sentence_and_exit_status_1(self):
        with tempfile.TemporaryDirectory() as out:
            run = subprocess.run([sys.executable, HOST, "--plugin", os.path.join(out, "libnothing.so"), "--out", out],
                                 capture_output=True, text=True)
        self.assertEqual(run.returncode, 1)
        self.assertIn("libnothing.so", run.stderr)

    def test_a_bad_finding_reports_the_library_message(self):
        host = load_host()
        plugin = host.Plugin(LIB)
        L = plugin.lib
        import ctypes
        ctx, session = ctypes.c_void_p(), ctypes.c_void_p()
        opts = host.ContextOptions(ctypes.sizeof(host.ContextOptions), b"https://clinic.example/fhir/sessions",
                                   host.mfr_log_fn(), None, host.MFR_LOG_WARNING)
        plugin.check(L.mfr_context_open(ctypes.byref(ctx), ctypes.byref(opts)), "open")
        try:
            plugin.check(L.mfr_session_new(ctypes.byref(session), ctx, b"S-1"), "new")
            f = host.Finding(ctypes.sizeof(host.Finding), host.MFR_SITE_VERTEBRA, host.MFR_LEVEL["T4"], 0, None,
                             host.MFR_SIDE_LEFT, 2, 11, None, -1, 0, None, 0)
            with self.assertRaisesRegex(host.MfrError, "pain_nrs 11"):
                plugin.check(L.mfr_session_add_finding(session, ctypes.byref(f)), "add")
        finally:
            L.mfr_session_free(session)
            L.mfr_context_close(ctx)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
