#!/usr/bin/env python3
"""The README's main job (`cmake --workflow --preset demo`, packaging/CMakeLists.txt) writes
resources that each carry a generated narrative: well-formed XHTML (xmllint --noout), and an
Observation's names its level or region, side and grade.

usage: narrative_e2e.py <mfr> <plugin> <source dir> <work dir>
"""
import json
import os
import shutil
import subprocess
import sys

SIDES = {"left": "Left", "right": "Right"}


def run(mfr, plugin, args, cwd):
    cmd = [mfr, "--plugin", plugin] + args
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"FAILED: {' '.join(cmd)}\n{r.stdout}\n{r.stderr}")


def resources(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if path.endswith(".ndjson"):
        for line in text.splitlines():
            if line.strip():
                yield json.loads(line)
        return
    doc = json.loads(text)
    if doc.get("resourceType") == "Bundle":
        for e in doc.get("entry", []):
            if "resource" in e:
                yield e["resource"]
    elif "resourceType" in doc:
        yield doc


def main():
    mfr, plugin, source, work = sys.argv[1:5]
    examples = os.path.join(source, "packaging", "examples")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    system = ["--system", "https://clinic.example/fhir/sessions"]
    sessions = sorted(os.path.join(examples, "sessions", n) for n in os.listdir(os.path.join(examples, "sessions"))
                      if n.endswith(".json"))
    for fmt, out in (("collection", "sessions.collection.json"), ("transaction", "sessions.transaction.json"),
                     ("ndjson", "ndjson/")):
        run(mfr, plugin, system + ["record"] + sessions + ["--format", fmt, "--out", os.path.join(work, out)], examples)
    run(mfr, plugin, system + ["import-notes", "examples/notes/notes-2019.txt", "--patient", "Patient/p-100234",
                               "--out", os.path.join(work, "legacy-text")], os.path.dirname(examples))
    run(mfr, plugin, system + ["import-notes", "examples/notes/export.csv", "--format", "csv", "--csv-columns",
                               "id=NoteID,patient=PatientNo,date=VisitDate,practitioner=Clinician,note=Notes",
                               "--patient-system", "urn:oid:1.2.36.146.595.217.0.1",
                               "--out", os.path.join(work, "legacy-csv")], os.path.dirname(examples))
    run(mfr, plugin, system + ["import-notes", "examples/notes/feed.hl7", "--format", "hl7v2",
                               "--out", os.path.join(work, "legacy-hl7")], os.path.dirname(examples))

    divs_dir = os.path.join(work, "divs")
    os.makedirs(divs_dir)
    failures, divs, by_type = [], [], {}
    for root, _, files in os.walk(work):
        if root.startswith(divs_dir):
            continue
        for name in sorted(files):
            if not (name.endswith(".json") or name.endswith(".ndjson")):
                continue
            path = os.path.join(root, name)
            try:
                found = list(resources(path))
            except json.JSONDecodeError:
                continue  # reports, not resources
            for r in found:
                rtype = r.get("resourceType")
                if rtype not in ("Procedure", "Observation", "DocumentReference", "Provenance"):
                    continue
                by_type[rtype] = by_type.get(rtype, 0) + 1
                where = f"{os.path.relpath(path, work)} {rtype}/{r.get('id', '?')}"
                text = r.get("text") or {}
                div = text.get("div", "")
                if text.get("status") != "generated" or not div.startswith("<div xmlns=\"http://www.w3.org/1999/xhtml\""):
                    failures.append(f"{where}: no generated XHTML narrative")
                    continue
                file = os.path.join(divs_dir, f"{len(divs)}.xhtml")
                with open(file, "w", encoding="utf-8") as f:
                    f.write(div)
                divs.append((file, where))
                if rtype == "Observation":
                    site = (r.get("bodySite") or {}).get("text", "")
                    place, _, side = site.partition(", ")
                    grade = (r.get("valueCodeableConcept") or {}).get("coding", [{}])[0].get("code")
                    wanted = [place, SIDES.get(side, "Midline"), f"({grade}/3)" if grade is not None else "not graded"]
                    for w in wanted:
                        if w.lower() not in div.lower():
                            failures.append(f"{where}: the narrative does not name {w!r}: {div}")
    for i in range(0, len(divs), 200):
        chunk = divs[i:i + 200]
        r = subprocess.run(["xmllint", "--noout"] + [f for f, _ in chunk], capture_output=True, text=True)
        if r.returncode != 0:
            failures.append(f"xmllint: {r.stderr.strip()}")
    for t in ("Procedure", "Observation", "DocumentReference", "Provenance"):
        if not by_type.get(t):
            failures.append(f"the demo wrote no {t}")
    print(f"{len(divs)} narratives checked: {by_type}")
    if failures:
        print("\n".join(failures[:40]))
        sys.exit(1)


if __name__ == "__main__":
    main()
