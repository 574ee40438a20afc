#!/usr/bin/env python3
"""`mfr push` and `mfr fetch` against Medplum's FHIR router (server.mjs) holding a patient's whole
record: HL7's R4 examples for the patient (record/) beside our four skin-rolling sessions.
Usage: check.py MFR WORKDIR   (WORKDIR holds ca.pem, server.pem, server.key; run.sh makes them)."""
import glob
import json
import os
import re
import ssl
import subprocess
import sys
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
SESSIONS = sorted(glob.glob(os.path.join(REPO, "packaging", "examples", "sessions", "2019-*-p123-*.json")))
SYSTEM = "https://clinic.example/fhir/sessions"
PATIENT = "Patient/p-123"
OUR_CODE = "https://mfr-fhir.org/fhir/CodeSystem/mfr|skin-rolling"
OUR_FINDING = "https://mfr-fhir.org/fhir/CodeSystem/mfr|restriction"

MFR, WORK = sys.argv[1], sys.argv[2]
CA = os.path.join(WORK, "ca.pem")
passed = failed = 0


def check(what, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok    " + what)
    else:
        failed += 1
        print("FAIL  " + what + ("\n      " + detail.replace("\n", "\n      ") if detail else ""))


def mfr(*args):
    r = subprocess.run([MFR, *args], capture_output=True, text=True, timeout=120)
    shown = [os.path.basename(a) if a.startswith(WORK) else os.path.relpath(a, REPO) if a.startswith(REPO) else a
             for a in args]
    print("$ mfr " + " ".join(shown))
    for line in (r.stdout.strip().splitlines()[-3:] + r.stderr.strip().splitlines()[-3:]):
        print("    " + (line if len(line) <= 200 else line[:200] + "..."))
    return r


class Medplum:
    def __init__(self):
        self.log = open(os.path.join(WORK, "medplum.log"), "w")
        self.proc = subprocess.Popen(["node", os.path.join(HERE, "server.mjs"), os.path.join(WORK, "server.pem"),
                                      os.path.join(WORK, "server.key"), "0"],
                                     stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("listening "):
            raise SystemExit("the Medplum server did not start; see " + self.log.name)
        self.origin = "https://127.0.0.1:" + line.split()[1]
        self.base = self.origin + "/fhir/R4"
        self.tls = ssl.create_default_context(cafile=CA)

    def request(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/fhir+json"})
        try:
            with urllib.request.urlopen(req, context=self.tls, timeout=30) as resp:
                return resp.status, json.load(resp)
        except urllib.error.HTTPError as e:
            return e.code, json.load(e)

    def search(self, query):
        """Every resource a search finds, following next links as any client would."""
        found, url = [], self.base + "/" + query
        while url:
            with urllib.request.urlopen(url, context=self.tls, timeout=30) as resp:
                page = json.load(resp)
            found += [e["resource"] for e in page.get("entry", [])]
            url = next((l["url"] for l in page.get("link", []) if l["relation"] == "next"), None)
        return found

    def count(self, resource_type):
        return len(self.search(resource_type + "?patient=" + PATIENT + "&_count=1000"))

    def close(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.log.close()


def repoint(value):
    """HL7's examples are about Patient/example: make them about our patient."""
    if isinstance(value, dict):
        return {k: (PATIENT if k == "reference" and v == "Patient/example" else repoint(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [repoint(v) for v in value]
    return value


def load_record(medplum):
    """PUTs each HL7 example (ids as HL7 gave them), the Patient as p-123, as one Medplum batch."""
    entries = []
    for path in sorted(glob.glob(os.path.join(HERE, "record", "*.json"))):
        with open(path) as f:
            resource = repoint(json.load(f))
        if resource["resourceType"] == "Patient":
            resource["id"] = PATIENT.split("/")[1]
        entries.append({"resource": resource,
                        "request": {"method": "PUT", "url": resource["resourceType"] + "/" + resource["id"]}})
    status, answer = medplum.request("POST", "", {"resourceType": "Bundle", "type": "batch", "entry": entries})
    statuses = [e["response"]["status"] for e in answer.get("entry", [])]
    check("Medplum stores HL7's %d R4 examples for %s (batch of PUTs)" % (len(entries), PATIENT),
          status == 200 and all(s.startswith(("200", "201")) for s in statuses), json.dumps(answer)[:2000])
    return sum(1 for e in entries if e["resource"]["resourceType"] in ("Procedure", "Observation"))


def store_as_batch(medplum, session_file):
    """A session Medplum will not take as a transaction (see push_...), stored the other way it
    takes our Bundle: the same entries (conditional creates, urn:uuid references) as a batch."""
    out = os.path.join(WORK, "session-batch.json")
    r = mfr("--system", SYSTEM, "record", session_file, "--format", "transaction", "--out", out)
    with open(out) as f:
        bundle = json.load(f)
    bundle["type"] = "batch"
    status, answer = medplum.request("POST", "", bundle)
    statuses = [e["response"]["status"] for e in answer.get("entry", [])]
    check("session %s stored as a Medplum batch (%d entries)" % (os.path.basename(session_file), len(statuses)),
          r.returncode == 0 and status == 200 and all(s.startswith("201") for s in statuses), json.dumps(answer)[:2000])
    before = ours(medplum)
    status, answer = medplum.request("POST", "", bundle)
    statuses = [e["response"]["status"] for e in answer.get("entry", [])]
    check("the same batch again: its conditional creates find every entry, nothing stored twice (%s, then %s)"
          % (before, ours(medplum)), status == 200 and all(s.startswith("200") for s in statuses)
          and ours(medplum) == before == [4, 21], json.dumps(answer)[:2000])


def foreign_observation_part_of_ours(medplum):
    """HL7's satO2 Observation was partOf Procedure/ob: make it partOf one of our sessions. It
    stays foreign (issue 15): its code is not ours."""
    ours = medplum.search("Procedure?patient=%s&code=%s&_count=1" % (PATIENT, OUR_CODE))[:1]
    status, sat = medplum.request("GET", "/Observation/satO2")
    sat["partOf"] = [{"reference": "Procedure/" + ours[0]["id"]}]
    status, _ = medplum.request("PUT", "/Observation/satO2", sat)
    check("HL7's satO2 Observation is now partOf our Procedure " + ours[0]["id"], status == 200)


def ours(medplum):
    """[our Procedures, our Observations] on the server, by our codes."""
    return [len(medplum.search("Procedure?patient=%s&code=%s" % (PATIENT, OUR_CODE))),
            len(medplum.search("Observation?patient=%s&code=%s" % (PATIENT, OUR_FINDING)))]


def summary(r):
    m = re.search(r"(\d+) sessions?, (\d+) rejected, (\d+) foreign", r.stderr)
    return tuple(int(x) for x in m.groups()) if m else None


def fetch(medplum, base, label, foreign, expect_sessions=4, expect_findings=21, expect_observations=21):
    conn = ["--partner-url", medplum.origin + base, "--ca", CA, "--patient", PATIENT, "--timeout", "20000"]
    r = mfr("fetch", *conn, "--json")
    sessions = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
    findings = sum(len(s.get("findings", [])) for s in sessions)
    check("%s: fetch exits 0" % label, r.returncode == 0, r.stderr)
    check("%s: %d sessions, %d findings (got %d, %d)" % (label, expect_sessions, expect_findings, len(sessions),
                                                          findings),
          len(sessions) == expect_sessions and findings == expect_findings)
    check("%s: summary says %d sessions, 0 rejected, %d foreign (got %s)" % (label, expect_sessions, foreign,
                                                                          summary(r)),
          summary(r) == (expect_sessions, 0, foreign), r.stderr)
    out = os.path.join(WORK, label.replace(" ", "-")) + "/"
    r = mfr("fetch", *conn, "--out", out)
    lines = {t: sum(1 for _ in open(os.path.join(out, t + ".ndjson"))) if os.path.exists(os.path.join(out, t + ".ndjson"))
             else 0 for t in ("Procedure", "Observation")}
    check("%s: --out writes %d Procedures and %d Observations, nothing foreign (got %s)"
          % (label, expect_sessions, expect_observations, lines),
          r.returncode == 0 and lines == {"Procedure": expect_sessions, "Observation": expect_observations},
          r.stderr)


def main():
    medplum = Medplum()
    try:
        foreign = load_record(medplum)
        connection = ["--partner-url", medplum.base, "--ca", CA, "--timeout", "20000"]

        # 1. Our four sessions in one transaction: Medplum refuses a transaction that holds a
        #    conditional create (ifNoneExist) and more than 8 entries (fhir-router batch.ts,
        #    maxSerializableTransactionEntries), and ours are 25.
        r = mfr("--system", SYSTEM, "push", *SESSIONS, *connection)
        check("push of 4 sessions in one Bundle: Medplum answers 400 'requires strict isolation but has too many "
              "entries'", r.returncode == 1 and "dead (HTTP 400)" in r.stdout
              and "Transaction requires strict isolation but has too many entries" in r.stderr, r.stdout + r.stderr)

        # 2. Cut at Medplum's 8: the first session alone is 9 entries (a Procedure, 8 findings), so
        #    the push is refused before anything is queued.
        r = mfr("--system", SYSTEM, "push", *SESSIONS, *connection, "--max-bundle-entries", "8")
        check("push with --max-bundle-entries 8: S-2019-0042 (9 entries) refused, nothing queued",
              r.returncode != 0 and 'session "S-2019-0042": its 9 entries' in r.stderr and
              "nothing was queued" in r.stderr, r.stderr)

        # 3. The other three, cut at 8 entries: one Bundle each, all stored.
        rest = SESSIONS[1:]
        r = mfr("--system", SYSTEM, "push", *rest, *connection, "--max-bundle-entries", "8")
        check("push of the 3 others with --max-bundle-entries 8: 3 Bundles sent",
              r.returncode == 0 and "3 sessions, 16 entries in 3 Bundles" in r.stdout and "sent (HTTP 200)" in r.stdout,
              r.stdout + r.stderr)
        check("Medplum holds 3 of our Procedures and 13 of our Observations (got %s)" % ours(medplum),
              ours(medplum) == [3, 13])

        # 4. The same again from a sender that forgot it (a fresh outbox): Medplum's conditional
        #    creates find every resource, nothing is stored twice.
        r = mfr("--system", SYSTEM, "push", *rest, *connection, "--max-bundle-entries", "8",
                "--store", os.path.join(WORK, "second-sender.db"))
        check("a second sender's resend is sent and Medplum stores nothing twice (got %s)" % ours(medplum),
              r.returncode == 0 and "sent (HTTP 200)" in r.stdout and ours(medplum) == [3, 13], r.stdout + r.stderr)

        # 5. A session whose patient is a conditional reference ("Patient?identifier=..."), as the
        #    README allows: Medplum's router rewrites only urn:uuid references, so it is stored as
        #    written and no patient search finds it.
        other = os.path.join(REPO, "packaging", "examples", "sessions", "2020-11-17-p456-s1.json")
        r = mfr("--system", SYSTEM, "push", other, *connection, "--max-bundle-entries", "8")
        stored = medplum.search("Procedure?identifier=%s|S-2020-1204" % SYSTEM)
        subject = stored[0]["subject"]["reference"] if stored else None
        check("a session for Patient?identifier=...|MRN-0456 is sent, and Medplum keeps that reference unresolved "
              "(got %s)" % subject, r.returncode == 0 and subject == "Patient?identifier=urn:oid:1.2.36.146.595.217.0.1"
              "|MRN-0456", r.stdout + r.stderr)

        # The session Medplum will not take from mfr, stored the way it takes it; then the record
        # is whole: HL7's 14 and our 4 sessions with their 21 findings.
        store_as_batch(medplum, SESSIONS[0])
        foreign_observation_part_of_ours(medplum)
        total = [medplum.count("Procedure"), medplum.count("Observation")]
        check("the whole record: %d Procedures, %d Observations for %s" % (total[0], total[1], PATIENT),
              total[0] + total[1] == foreign + 25)

        # 6. The fetches: Medplum as it is (it filters by code, so nothing foreign comes back), two
        #    resources a page (every next link followed), and without the code parameter (our
        #    filter: HL7's Procedures and Observations counted as foreign).
        fetch(medplum, "/fhir/R4", "medplum", 0)
        fetch(medplum, "/small-pages/fhir/R4", "medplum two a page", 0)
        fetch(medplum, "/no-code-search/fhir/R4", "medplum without code search", foreign)
        with open(os.path.join(WORK, "medplum.log")) as f:
            log = f.read()
        pages = len(re.findall(r"GET /small-pages/fhir/R4/Observation\?\S*_offset=", log))
        check("two a page: each of the 2 fetches took the 21 Observations in 11 pages, 10 by next links "
              "(got %d next-link pages)" % pages, pages == 20)
    finally:
        medplum.close()
    if failed:
        with open(os.path.join(WORK, "medplum.log")) as f:
            print("the server's last requests:\n    " + "\n    ".join(f.read().splitlines()[-15:]))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
