#!/usr/bin/env python3
"""The binary interface of this release, recorded and checked.

  abi_check.py symbols LIB RECORD [--update]
      Every symbol in RECORD (name@@version node, from `nm -D --defined-only`) must still be
      exported by LIB. New symbols are fine.
  abi_check.py layout HEADER_DIR CC RECORD [--update] [--cflag F]...
      Generates a C program from HEADER_DIR/mfr/mfr.h that prints sizeof/offsetof of every
      public struct and field and the value of every enumerator, compiles it with CC and runs
      it. Every recorded struct must exist and be at least as big (growing at the end is
      allowed); every recorded field must keep its offset and size; every enumerator its value.
  abi_check.py selftest HEADER_DIR CC LIB
      Shows that the checks fail on a removed symbol, a moved field, a shrunk struct and a
      renumbered enumerator.

--update writes RECORD from the current library/header (do it once per release).
Exit status 0 when compatible, 1 with one line per break otherwise.
"""
import os
import re
import subprocess
import sys
import tempfile


def exported_symbols(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", lib], check=True, capture_output=True, text=True).stdout
    symbols = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] in "TDBRVWiu" and parts[2].startswith("mfr_"):
            symbols.add(parts[2])
    return symbols


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def parse_header(path):
    """Returns ({struct: [field, ...]}, [enumerator, ...]) of the public header."""
    text = strip_comments(open(path, encoding="utf-8").read())
    structs = {}
    for m in re.finditer(r"typedef\s+struct\s+(\w+)\s*\{(.*?)\}\s*(\w+)\s*;", text, flags=re.S):
        fields = []
        for decl in m.group(2).split(";"):
            decl = " ".join(decl.split())
            if not decl:
                continue
            fp = re.search(r"\(\s*\*\s*(\w+)\s*\)", decl)
            if fp:
                fields.append(fp.group(1))
                continue
            for part in decl.split(","):
                name = re.search(r"(\w+)\s*(\[[^\]]*\])?\s*$", part.strip())
                if name:
                    fields.append(name.group(1))
        structs[m.group(3)] = fields
    enumerators = []
    for m in re.finditer(r"typedef\s+enum\s+\w*\s*\{(.*?)\}\s*\w+\s*;", text, flags=re.S):
        for item in m.group(1).split(","):
            name = re.match(r"\s*(MFR_\w+)", item)
            if name:
                enumerators.append(name.group(1))
    return structs, enumerators


def current_layout(header_dir, cc, cflags):
    structs, enumerators = parse_header(os.path.join(header_dir, "mfr", "mfr.h"))
    lines = ["#include <stddef.h>", "#include <stdio.h>", "#include <mfr/mfr.h>", "int main(void) {"]
    for s, fields in structs.items():
        lines.append(f'  printf("struct {s} size %zu\\n", sizeof({s}));')
        for f in fields:
            lines.append(f'  printf("field {s}.{f} offset %zu size %zu\\n", offsetof({s}, {f}), sizeof((({s} *)0)->{f}));')
    for e in enumerators:
        lines.append(f'  printf("enum {e} %lld\\n", (long long){e});')
    lines += ["  return 0;", "}"]
    with tempfile.TemporaryDirectory() as tmp:
        src, exe = os.path.join(tmp, "layout.c"), os.path.join(tmp, "layout")
        with open(src, "w") as out:
            out.write("\n".join(lines) + "\n")
        subprocess.run([cc, "-std=c99", *cflags, "-I", header_dir, src, "-o", exe], check=True)
        text = subprocess.run([exe], check=True, capture_output=True, text=True).stdout
    return parse_layout(text)


def parse_layout(text):
    """{"struct X": size, "field X.f": (offset, size), "enum E": value}"""
    layout = {}
    for line in text.splitlines():
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        if parts[0] == "struct":
            layout["struct " + parts[1]] = int(parts[3])
        elif parts[0] == "field":
            layout["field " + parts[1]] = (int(parts[3]), int(parts[5]))
        elif parts[0] == "enum":
            layout["enum " + parts[1]] = int(parts[2])
    return layout


def format_layout(layout):
    out = []
    for key, value in layout.items():
        if key.startswith("struct "):
            out.append(f"{key} size {value}")
        elif key.startswith("field "):
            out.append(f"{key} offset {value[0]} size {value[1]}")
        else:
            out.append(f"{key} {value}")
    return "\n".join(out) + "\n"


def layout_breaks(recorded, current):
    breaks = []
    for key, old in recorded.items():
        new = current.get(key)
        if new is None:
            breaks.append(f"{key} is gone (recorded: {old})")
        elif key.startswith("struct ") and new < old:
            breaks.append(f"{key} shrank from {old} to {new} bytes")
        elif key.startswith("field ") and new != old:
            breaks.append(f"{key} moved: offset {old[0]} size {old[1]} recorded, now offset {new[0]} size {new[1]}")
        elif key.startswith("enum ") and new != old:
            breaks.append(f"{key} changed value from {old} to {new}")
    return breaks


def symbol_breaks(recorded, current):
    return [f"exported symbol {s} is gone" for s in sorted(recorded - current)]


def read_record(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write_record(path, header, body):
    with open(path, "w", encoding="utf-8") as f:
        f.write(header + body)
    print(f"wrote {path}")


def report(breaks, what, count):
    if breaks:
        print(f"{what}: {len(breaks)} incompatible changes against the recorded ABI:")
        for b in breaks:
            print("  " + b)
        return 1
    print(f"{what}: {count} recorded items still compatible")
    return 0


def main(argv):
    update = "--update" in argv
    argv = [a for a in argv if a != "--update"]
    cflags = []
    while "--cflag" in argv:
        i = argv.index("--cflag")
        cflags.append(argv[i + 1])
        del argv[i:i + 2]
    mode = argv[1]
    if mode == "symbols":
        lib, record = argv[2], argv[3]
        current = exported_symbols(lib)
        if update:
            write_record(record, "# Exported symbols of libmfr-fhir.so.1 0.1.0 (nm -D --defined-only). Only ever grows.\n",
                         "\n".join(sorted(current)) + "\n")
            return 0
        recorded = {l.strip() for l in read_record(record).splitlines() if l.strip() and not l.startswith("#")}
        return report(symbol_breaks(recorded, current), "symbols", len(recorded))
    if mode == "layout":
        header_dir, cc, record = argv[2], argv[3], argv[4]
        current = current_layout(header_dir, cc, cflags)
        if update:
            write_record(record, "# Public struct sizes, field offsets/sizes and enumerator values of mfr.h 0.1.0 (x86_64).\n"
                                 "# Structs may grow at the end; nothing recorded may move, shrink or change.\n",
                         format_layout(current))
            return 0
        recorded = parse_layout(read_record(record))
        return report(layout_breaks(recorded, current), "layout", len(recorded))
    if mode == "selftest":
        header_dir, cc, lib = argv[2], argv[3], argv[4]
        layout = current_layout(header_dir, cc, cflags)
        symbols = exported_symbols(lib)
        failures = []
        if layout_breaks(layout, layout) or symbol_breaks(symbols, symbols):
            failures.append("the current ABI is not compatible with itself")
        gone = set(symbols)
        gone.discard(next(s for s in sorted(symbols) if s.startswith("mfr_plugin_entry")))
        if not symbol_breaks(symbols, gone):
            failures.append("a removed mfr_plugin_entry was not caught")
        for key, mutate in [("field mfr_finding.level", lambda v: (v[0] + 4, v[1])),
                            ("struct mfr_session_info", lambda v: v - 8),
                            ("enum MFR_ERR_PARSE", lambda v: v + 1)]:
            changed = dict(layout)
            changed[key] = mutate(layout[key])
            if not layout_breaks(layout, changed):
                failures.append(f"a changed {key} was not caught")
        grown = dict(layout)
        grown["struct mfr_finding"] += 8
        if layout_breaks(layout, grown):
            failures.append("a struct grown at the end was taken for a break")
        for f in failures:
            print("FAIL: " + f)
        print(f"selftest: {len(layout)} layout items, {len(symbols)} symbols; {len(failures)} failures")
        return 1 if failures else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
