#!/usr/bin/env python3
"""The annotated legacy-notes corpus (tests/data/notes-corpus, copied from the project's shared
development corpus): imports every file with `mfr import-notes` as a migration team would (each file
on its own, with --patient), scores the FHIR output with the corpus's own score.py, prints the
figures per language and fails below the floors.

Usage: notes_corpus_score.py MFR PLUGIN CORPUS_DIR OUT_DIR

The floors are a ratchet: they sit just under what the reader reaches today and only ever go up.
The goal (issue 13) is P >= 0.97, R >= 0.95, grade >= 0.95, pain >= 0.95 on notes never seen here."""
import os
import subprocess
import sys

FLOORS = {"--min-p": "0.99", "--min-r": "0.975", "--min-grade": "0.99", "--min-pain": "0.99"}

CSV_COLUMNS = {
    "csv-001.csv": "patient=Patient ID,date=Visit Date,note=Treatment Note",
    "csv-002.csv": "patient=MRN,date=Datum,note=Notiz",
    "csv-003.csv": "patient=patient,date=date,note=note",
}


def main():
    mfr, plugin, corpus, out = sys.argv[1:5]
    env = dict(os.environ)
    env["ASAN_OPTIONS"] = (env.get("ASAN_OPTIONS", "") + ":detect_leaks=0").lstrip(":")
    failures = 0
    names = sorted(n for n in os.listdir(corpus) if n.split("-")[0] in ("en", "fr", "de", "csv", "hl7"))
    for name in names:
        stem, ext = os.path.splitext(name)
        args = {".txt": ["--format", "text"], ".hl7": ["--format", "hl7v2"]}.get(ext)
        if ext == ".csv":
            args = ["--format", "csv", "--csv-columns", CSV_COLUMNS[name]]
        if args is None:
            continue
        dest = os.path.join(out, name)
        subprocess.run(["rm", "-rf", dest], check=True)
        r = subprocess.run([mfr, "--plugin", plugin, "--system", "https://clinic.example/fhir/sessions", "import-notes",
                            os.path.join(corpus, name), *args, "--patient", "Patient/corpus-" + stem, "--out", dest + "/"],
                           capture_output=True, text=True, timeout=120, env=env)
        if r.returncode != 0:
            failures += 1
            print(f"{name}: mfr exited {r.returncode}:\n{r.stderr}", file=sys.stderr)
    floors = [x for kv in FLOORS.items() for x in kv]
    score = subprocess.run([sys.executable, os.path.join(corpus, "score.py"), os.path.join(corpus, "expected.json"), out,
                            *floors])
    if failures:
        print(f"{failures} file(s) could not be imported", file=sys.stderr)
        return 1
    return score.returncode


if __name__ == "__main__":
    sys.exit(main())
