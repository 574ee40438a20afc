#!/usr/bin/env python3
"""No source outside fhir/exchange (and the tests of its client and server) includes Boost.

Boost's headers sit in the system include directory, which every target sees, so the include
roots cannot refuse them; this scan does. Usage: boost_only_in_exchange.py <source root>"""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
allowed = ("fhir/exchange/", "tests/exchange/", "tests/server/")
include = re.compile(r'^\s*#\s*include\s*[<"]boost/', re.M)
offenders = []
for top in ("fhir", "plugin", "include", "tests"):
    for path in sorted((root / top).rglob("*")):
        if path.suffix not in (".cpp", ".hpp", ".h", ".c"):
            continue
        rel = path.relative_to(root).as_posix()
        if not rel.startswith(allowed) and include.search(path.read_text(encoding="utf-8")):
            offenders.append(rel)
if offenders:
    print("Boost included outside fhir/exchange:\n  " + "\n  ".join(offenders))
    sys.exit(1)
print("Boost is included only in fhir/exchange (and its tests)")
