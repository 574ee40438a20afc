#!/usr/bin/env python3
"""Writes the header an EARLIER build of this release line shipped: today's mfr.h with the
function table cut back to what it held before the batch, exchange, server and diagnostics
functions were appended (everything after `validate`). A host built against it, and loading
the plugin with dlopen() as an EMR does, must keep working with today's library.

    make_older_header.py IN_MFR_H OUT_MFR_H
"""
import re
import sys

text = open(sys.argv[1], encoding="utf-8").read()
start = text.index("typedef struct mfr_api {")
end = text.index("} mfr_api;", start)
table = text[start:end]
cut = table.index("  mfr_status (*validate)(")
cut = table.index("\n", cut) + 1
if cut >= len(table):
    sys.exit("nothing was appended after validate: the older header would be today's")
text = text[:start] + table[:cut] + text[end:]
with open(sys.argv[2], "w", encoding="utf-8") as out:
    out.write(text)
