#!/usr/bin/env python3
"""Synthetic legacy SOAP notes for the batch-import benchmark (docs/PERFORMANCE.md).

Each note has a dated header, a patient line (name and MRN), a therapist line and S/O/A/P
sections in prose; the O: line names a few spinal levels with a side and a grade, which the
note reader turns into about five findings. --bytes sets the note size: the S/A/P prose is
padded with more clinical sentences, the findings stay the same, so MB/s and notes/s can be
told apart. Deterministic for a given --seed.

  python3 tests/bench/make_notes.py --notes 30000 --bytes 950 > notes-950.txt
  python3 tests/bench/make_notes.py --notes 6000 --bytes 5000 > notes-5k.txt
"""
import argparse
import datetime
import random
import sys

FIRST = ["Margaret", "John", "Aisha", "Piotr", "Mei", "Carlos", "Ingrid", "Tomasz", "Fatima", "Oliver"]
LAST = ["Hale", "Okafor", "Nowak", "Chen", "Garcia", "Larsen", "Smith", "Haddad", "Rossi", "Brown"]
THERAPISTS = ["S. Okafor", "J. Ramirez, PT", "M. Lindqvist", "A. Patel"]
GRADES = ["mild", "moderate", "marked"]
SUBJECTIVE = [
    "c/o stiffness between shoulder blades, worse with desk work and after long drives.",
    "reports low back ache on waking that eases with walking, sleep disturbed twice this week.",
    "feels the upper back is tight after gardening at the weekend, no pins and needles.",
    "says the neck and shoulders are better since the last visit but still sore by evening.",
    "describes a pulling sensation along the spine when bending, no radiating pain into the legs.",
]
ASSESSMENT = [
    "Thoracic restriction improving on last week, tissue warmer and more mobile after rolling.",
    "Fascial thickening persists at the mid-thoracic levels, slow but steady change.",
    "Good response to treatment today, patient able to sit upright without discomfort.",
    "Restriction unchanged on the left, better on the right; posture advice repeated.",
]
PLAN = [
    "MFR + kneading, f/u 1/52, 3 more sessions.",
    "Continue skin rolling weekly, home stretches as shown, review in two weeks.",
    "MFR 2x/wk, 4 more sessions, then reassess.",
]
FILLER = [
    "Discussed workstation set-up and the height of the monitor at length.",
    "Patient tolerated the technique well and asked for firmer pressure on the right.",
    "Skin temperature and colour normal before and after treatment, no bruising seen.",
    "Breathing pattern observed, mostly apical; diaphragmatic breathing practised for five minutes.",
    "Reviewed the home exercise sheet; the patient has been doing the stretches most days.",
    "No red flags reported: no weight loss, no night pain, bladder and bowel normal.",
    "Hydration and regular breaks from sitting encouraged; the patient walks to work twice a week.",
]


def finding_line(rng):
    top = rng.randint(1, 8)
    span = rng.randint(1, 2)
    side, other = rng.sample(["L", "R"], 2)
    return (f"Skin rolling C7-T12. T{top}-T{top + span} {side} {rng.choice(GRADES)} restriction, "
            f"{other} {rng.choice(GRADES)}. TTP T{top + 1} {side}.")


def note(rng, day, size):
    mrn = 100000 + rng.randrange(5000)
    header = (f"=== {day.isoformat()} ===\n"
              f"Patient: {rng.choice(FIRST)} {rng.choice(LAST)}  MRN: {mrn}\n"
              f"Therapist: {rng.choice(THERAPISTS)}\n")
    s = "S: Pt " + rng.choice(SUBJECTIVE) + f" Pain {rng.randint(2, 8)}/10."
    o = "O: " + finding_line(rng)
    a = "A: " + rng.choice(ASSESSMENT)
    p = "P: " + rng.choice(PLAN)
    body = [s, o, a, p]
    text = header + "\n".join(body) + "\n\n"
    # Pad the S and A sections with prose (no spinal levels, so no extra findings).
    while len(text) < size:
        sentence = " " + rng.choice(FILLER)
        index = rng.choice([0, 2])
        if len(text) + len(sentence) > size + 40:
            break
        body[index] += sentence
        text = header + "\n".join(body) + "\n\n"
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", type=int, default=30000)
    parser.add_argument("--bytes", type=int, default=950, help="about this many bytes per note")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    day = datetime.date(2019, 1, 2)
    out = sys.stdout
    for i in range(args.notes):
        out.write(note(rng, day + datetime.timedelta(days=i % 2000), args.bytes))


if __name__ == "__main__":
    main()
