#!/usr/bin/env python3
"""Writes the header a LATER release would ship: today's mfr.h with a field appended to
mfr_finding and mfr_session_info and a function appended to mfr_api, as the ABI rules allow.
A host built against it must keep working with this library (newer_header_test.c).
Derived at build time, so it follows today's header as it changes.

    make_newer_header.py IN_MFR_H OUT_MFR_H
"""
import re
import sys

APPENDED = {
    "} mfr_finding;": "  const char *added_later; /**< a field a later release appends */\n",
    "} mfr_session_info;": "  int64_t added_later; /**< a field a later release appends */\n",
    "} mfr_api;": "  mfr_status (*added_later)(void); /**< a function a later release appends */\n",
}

text = open(sys.argv[1], encoding="utf-8").read()
for anchor, field in APPENDED.items():
    if text.count(anchor) != 1:
        sys.exit(f"{sys.argv[1]}: expected one '{anchor}'")
    text = text.replace(anchor, field + anchor)
# ...and their _INIT macros one initialiser longer, as that release would write them.
for macro, value in (("MFR_FINDING_INIT", "NULL"), ("MFR_SESSION_INFO_INIT", "0")):
    text, n = re.subn(r"(#define " + macro + r"\b[^}]*)\}", lambda m: m.group(1) + ", " + value + "}", text, count=1)
    if n != 1:
        sys.exit(f"{sys.argv[1]}: no {macro}")
text = text.replace('#define MFR_VERSION_MINOR 1', '#define MFR_VERSION_MINOR 2', 1)
with open(sys.argv[2], "w", encoding="utf-8") as out:
    out.write(text)
