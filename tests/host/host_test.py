#!/usr/bin/env python3
"""The reference host `mfr`, run as a user would: record, export, import, and the messages it
gives when the plugin cannot be loaded. Usage: host_test.py MFR PLUGIN FAKE_PLUGIN EXAMPLES_DIR"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

MFR, PLUGIN, FAKE, EXAMPLES = sys.argv[1:5]
SYSTEM = "https://clinic.example/fhir/sessions"


def run(*args, env=None):
    env = dict(os.environ if env is None else env)
    # Under ctest, LeakSanitizer's tracer itself crashes (SIGSEGV at exit) in this dlopen()ing
    # host, failing runs that leaked nothing. The library's leaks stay covered in-process by
    # c_api_test and test_abi; ASan's other checks stay on here.
    env["ASAN_OPTIONS"] = (env.get("ASAN_OPTIONS", "") + ":detect_leaks=0").lstrip(":")
    return subprocess.run([MFR, *args], capture_output=True, text=True, timeout=60, env=env)


def sessions():
    d = os.path.join(EXAMPLES, "sessions")
    return sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".json"))


class Record(unittest.TestCase):
    def test_examples_become_a_transaction_bundle_with_conditional_creates(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "tx.json")
            r = run("--system", SYSTEM, "record", *sessions(), "--format", "transaction", "--out", out)
            self.assertEqual(r.returncode, 0, r.stderr)
            bundle = json.load(open(out))
            self.assertEqual(bundle["type"], "transaction")
            self.assertEqual(len(bundle["entry"]), 5 + 28)  # 5 Procedures, 28 Observations (8+6+4+3+7)
            for e in bundle["entry"]:
                self.assertTrue(e["fullUrl"].startswith("urn:uuid:"))
                self.assertTrue(e["request"]["ifNoneExist"].startswith("identifier=" + SYSTEM + "|"))

    def test_ndjson_goes_to_one_file_per_resource_type_and_imports_back(self):
        with tempfile.TemporaryDirectory() as tmp:
            r = run("--system", SYSTEM, "record", *sessions(), "--format", "ndjson", "--out", tmp + "/")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(sorted(os.listdir(tmp)), ["Observation.ndjson", "Procedure.ndjson"])
            r = run("import", os.path.join(tmp, "Procedure.ndjson"), os.path.join(tmp, "Observation.ndjson"))
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("read 33 resources from 2 files: 5 sessions, 0 rejected", r.stderr)
            self.assertIn("Session S-2019-0042  2019-03-04T10:30:00+01:00  Patient/p-123  8 findings  (session 1 of 4)", r.stdout)
            self.assertRegex(r.stdout, r"  T4 +left +marked \(3\)  pain 7/10  tender  partial release")

    def test_a_bad_session_file_is_reported_with_its_field_and_the_others_are_recorded(self):
        with tempfile.TemporaryDirectory() as tmp:
            bad = os.path.join(tmp, "bad.json")
            with open(bad, "w") as f:
                f.write('{"id": "S-9", "patient": "Patient/1", "start": "2019-03-04",\n "findings": [{"site": "T4", "pain": 12}]}')
            out = os.path.join(tmp, "c.json")
            r = run("--system", SYSTEM, "record", sessions()[0], bad, "--out", out)
            self.assertEqual(r.returncode, 1)
            self.assertIn("at findings[0].pain", r.stderr)
            self.assertIn("recorded 1 of 2 sessions", r.stderr)
            self.assertEqual(len(json.load(open(out))["entry"]), 9)

    def test_every_issue_of_a_bad_session_file_gets_its_own_line_with_file_line_and_path(self):
        with tempfile.TemporaryDirectory() as tmp:
            bad = os.path.join(tmp, "two.json")
            with open(bad, "w") as f:
                f.write('{"id": "S-9", "patient": "Patient/1", "start": "2019-03-04",\n'
                        ' "findings": [{"site": "T4", "pain": 12}, {"site": "T5", "colour": "red"}]}')
            broken = os.path.join(tmp, "broken.json")
            with open(broken, "w") as f:
                f.write('{"id": "S-10",\n "patient": ')
            r = run("--system", SYSTEM, "record", bad, broken, "--out", os.path.join(tmp, "c.json"))
            self.assertEqual(r.returncode, 1)
            lines = r.stderr.splitlines()
            self.assertIn(bad + ": Session JSON is not valid: \"pain\" must be a whole number from 0 to 10. at "
                          "findings[0].pain (and 1 more issues)", lines)
            # The summary names the first; the issues (mfr_session_from_json_issues) name each one.
            self.assertIn(bad + ": Line[2] Col[38]: error at findings[0].pain: \"pain\" must be a whole number "
                          "from 0 to 10.", lines)
            self.assertIn(bad + ": Line[2] Col[68]: error at findings[1].colour: Unknown finding field \"colour\".", lines)
            fatal = [l for l in lines if l.startswith(broken + ": Line[2] Col[13]: fatal: The JSON is not well formed at line 2")]
            self.assertEqual(len(fatal), 1, r.stderr)
            self.assertIn("recorded 0 of 2 sessions", r.stderr)

    def test_record_without_a_system_says_what_to_pass(self):
        env = {k: v for k, v in os.environ.items() if k != "MFR_IDENTIFIER_SYSTEM"}
        r = run("record", sessions()[0], env=env)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--system is required", r.stderr)


class Import(unittest.TestCase):
    def test_malformed_json_is_reported_with_line_and_column(self):
        with tempfile.TemporaryDirectory() as tmp:
            bad = os.path.join(tmp, "bad.json")
            with open(bad, "w") as f:
                f.write('{\n  "resourceType": "Procedure",\n  "status": \n}')
            r = run("import", bad)
            self.assertEqual(r.returncode, 1)
            self.assertIn("bad.json: Line[4] Col[1]: fatal: The JSON is not well formed", r.stderr)


class Chart(unittest.TestCase):
    def test_a_course_chart_and_one_spine_map_per_session_are_written(self):
        with tempfile.TemporaryDirectory() as tmp:
            bundle = os.path.join(tmp, "c.json")
            self.assertEqual(run("--system", SYSTEM, "record", *sessions(), "--out", bundle).returncode, 0)
            course = os.path.join(tmp, "course.svg")
            r = run("chart", bundle, "--patient", "Patient/p-123", "--out", course, "--each", os.path.join(tmp, "maps"))
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("charted 4 sessions", r.stderr)
            self.assertIn('data-sessions="4"', open(course).read())
            self.assertEqual(sorted(os.listdir(os.path.join(tmp, "maps"))),
                             ["S-2019-0042.svg", "S-2019-0057.svg", "S-2019-0081.svg", "S-2019-0093.svg"])

    def test_two_patients_without_patient_is_refused_with_a_hint(self):
        with tempfile.TemporaryDirectory() as tmp:
            bundle = os.path.join(tmp, "c.json")
            self.assertEqual(run("--system", SYSTEM, "record", *sessions(), "--out", bundle).returncode, 0)
            r = run("chart", bundle, "--out", os.path.join(tmp, "x.svg"))
            self.assertEqual(r.returncode, 2)
            self.assertIn("sessions of 2 patients; choose one with --patient", r.stderr)


class Validate(unittest.TestCase):
    def test_each_issue_is_one_line_with_file_line_resource_and_expression(self):
        with tempfile.TemporaryDirectory() as tmp:
            bad = os.path.join(tmp, "in.ndjson")
            with open(bad, "w") as f:
                f.write('{"resourceType":"Observation","id":"o1","status":"final","code":{"text":"x"},"valueInteger":"6"}\r\n')
                f.write('{"resourceType":"Observation","id":"o2","status":"done","code":{"text":"x"}}\r\n')
                f.write('\r\n{bad\n')
            r = run("validate", bad)
            self.assertEqual(r.returncode, 1)
            lines = r.stdout.splitlines()
            self.assertEqual(len(lines), 3, r.stdout)
            self.assertTrue(lines[0].startswith(bad + ":1  Observation/o1  Observation.valueInteger  error: "), lines[0])
            self.assertTrue(lines[1].startswith(bad + ":2  Observation/o2  Observation.status  error: "), lines[1])
            self.assertTrue(lines[2].startswith(bad + ":4  -  -  fatal: The JSON is not well formed"), lines[2])
            self.assertIn("3 documents checked (lenient): 3 errors, 0 warnings", r.stderr)

    def test_what_we_export_passes_strict_validation(self):
        with tempfile.TemporaryDirectory() as tmp:
            for form in ("collection", "transaction"):
                out = os.path.join(tmp, form + ".json")
                self.assertEqual(run("--system", SYSTEM, "record", *sessions(), "--format", form, "--out", out).returncode, 0)
                r = run("validate", "--strict", out)
                self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
                self.assertIn("0 errors, 0 warnings", r.stderr)


class ImportNotes(unittest.TestCase):
    CSV = os.path.join(EXAMPLES, "notes", "export.csv")
    COLUMNS = "id=NoteID,patient=PatientNo,date=VisitDate,practitioner=Clinician,note=Notes"

    def import_csv(self, out, *extra):
        return run("--system", SYSTEM, "import-notes", self.CSV, "--format", "csv", "--csv-columns", self.COLUMNS,
                   "--patient-system", "urn:oid:1.2.3.4", "--out", out, *extra)

    def test_a_csv_export_becomes_ndjson_with_a_report_and_a_summary(self):
        with tempfile.TemporaryDirectory() as tmp:
            r = self.import_csv(tmp)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertRegex(r.stderr, r"progress: 100% 4 notes")  # plain lines when not a terminal
            self.assertIn("import-notes: 4 notes: 1 imported, 3 imported with warnings, 0 quarantined; 8 findings", r.stderr)
            report = [json.loads(l) for l in open(os.path.join(tmp, "report.jsonl"))]
            self.assertEqual([x["origin"] for x in report], ["export.csv#row=%d" % i for i in (2, 3, 4, 5)])
            self.assertIn("ambiguous", report[0]["warnings"][0])
            summary = json.load(open(os.path.join(tmp, "summary.json")))
            self.assertEqual(summary["counts"]["notes"], 4)
            v = run("validate", "--strict", *[os.path.join(tmp, f) for f in ("Procedure.ndjson", "Observation.ndjson", "DocumentReference.ndjson")])
            self.assertEqual(v.returncode, 0, v.stdout)

    def test_running_again_resumes_and_changes_nothing(self):
        with tempfile.TemporaryDirectory() as tmp:
            self.assertEqual(self.import_csv(tmp).returncode, 0)
            before = open(os.path.join(tmp, "Observation.ndjson")).read()
            again = self.import_csv(tmp)
            self.assertIn("(4 done by an earlier run)", again.stderr)
            self.assertEqual(open(os.path.join(tmp, "Observation.ndjson")).read(), before)
            fresh = self.import_csv(tmp, "--restart")
            self.assertNotIn("earlier run", fresh.stderr)
            self.assertEqual(open(os.path.join(tmp, "Observation.ndjson")).read(), before)

    def test_lang_decides_the_words_only_one_language_uses(self):
        with tempfile.TemporaryDirectory() as tmp:
            note = os.path.join(tmp, "note.txt")
            with open(note, "w", encoding="utf-8") as f:
                f.write("Date: 2022-04-05\nO: T4 re mild.\n")  # English words, a German "re"
            for lang, side in ((None, None), ("de", "24028007")):
                out = os.path.join(tmp, "out-%s" % lang)
                extra = ["--lang", lang] if lang else []
                r = run("--system", SYSTEM, "import-notes", note, "--patient", "Patient/p1", "--out", out, *extra)
                self.assertEqual(r.returncode, 0, r.stderr)
                obs = [json.loads(l) for l in open(os.path.join(out, "Observation.ndjson"))]
                self.assertEqual(len(obs), 1)
                lateral = [e for e in obs[0]["bodySite"].get("extension", []) if e["url"].endswith("laterality")]
                got = lateral[0]["valueCodeableConcept"]["coding"][0]["code"] if lateral else None
                self.assertEqual(got, side, lang)
                prov = [json.loads(l) for l in open(os.path.join(out, "Provenance.ndjson"))]
                self.assertEqual(len(prov), 1)
                self.assertEqual(prov[0]["target"][0]["reference"].split("/")[0], "Procedure")
            r = run("--system", SYSTEM, "import-notes", note, "--patient", "Patient/p1", "--out", os.path.join(tmp, "x"),
                    "--lang", "xx")
            self.assertNotEqual(r.returncode, 0)
            self.assertIn('options->language "xx" is not a language the notes reader knows (en, fr, de).', r.stderr)


class Loading(unittest.TestCase):
    def test_version_names_the_plugin_it_loaded(self):
        r = run("--plugin", PLUGIN, "version")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("plugin 0.1.0 (ABI 1) from " + PLUGIN, r.stdout)

    def test_a_missing_plugin_file_is_named(self):
        r = run("--plugin", "/nonexistent/libmfr-fhir.so.1", "version")
        self.assertEqual(r.returncode, 2)
        self.assertIn('The plugin file "/nonexistent/libmfr-fhir.so.1" does not exist.', r.stderr)

    def test_a_library_that_is_not_a_plugin_is_refused(self):
        libc = "/lib/x86_64-linux-gnu/libc.so.6"
        r = run("--plugin", libc, "version")
        self.assertEqual(r.returncode, 2)
        self.assertIn("is not an mfr-fhir plugin: it has no mfr_plugin_entry symbol", r.stderr)

    def test_a_plugin_of_another_abi_is_refused_with_its_reason(self):
        r = run("--plugin", FAKE, "version")
        self.assertEqual(r.returncode, 2)
        self.assertIn("does not serve ABI version 1. This plugin serves ABI version 7.", r.stderr)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
