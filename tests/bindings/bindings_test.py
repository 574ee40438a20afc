#!/usr/bin/env python3
"""A binding's run-example.sh run as an integrator would, under LC_ALL=C, then checked with the
project's own tools: the Bundle passes `mfr validate --strict` with its accents intact, and
error.txt is the sentence the library itself gives for the refused call.

    bindings_test.py example LANG OUT MFR LIB [--web]
    bindings_test.py memcheck LANG OUT LIB -- COMMAND...   (COMMAND prints rss_warm_kb/rss_end_kb)
    bindings_test.py run LANG OUT LIB -- COMMAND...        (COMMAND checks its own results)

BINDINGS_PRELOAD / BINDINGS_ASAN_OPTIONS: what the foreign runtime needs to load an ASan build
of the library (CMake sets them; empty for other builds)."""
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SYSTEM = "https://clinic.example/fhir/sessions"
REFUSED_JSON = '{"resourceType": "Procedure", "status": }'
NOTE = "Séance 1 : épaule droite"
FINDING_NOTE = "détente après deux passages"


def runtime_env(lib, **extra):
    env = dict(os.environ, LC_ALL="C", MFR_FHIR_LIBRARY=lib, **extra)
    env.pop("LANG", None)
    if os.environ.get("BINDINGS_PRELOAD"):
        env["LD_PRELOAD"] = os.environ["BINDINGS_PRELOAD"]
        env["ASAN_OPTIONS"] = os.environ.get("BINDINGS_ASAN_OPTIONS", "")
    return env


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def library_sentence(lib):
    """mfr_last_error() after mfr_import() of REFUSED_JSON, read with ctypes (the oracle)."""
    code = r'''
import ctypes, sys
L = ctypes.CDLL(sys.argv[1])
class Options(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_uint32), ("identifier_system", ctypes.c_char_p),
                ("log", ctypes.c_void_p), ("user_data", ctypes.c_void_p), ("log_level", ctypes.c_int)]
L.mfr_last_error.restype = ctypes.c_char_p
L.mfr_context_open.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(Options)]
L.mfr_import.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int]
L.mfr_import_result_free.argtypes = [ctypes.c_void_p]
L.mfr_context_close.argtypes = [ctypes.c_void_p]
ctx, result = ctypes.c_void_p(), ctypes.c_void_p()
opts = Options(ctypes.sizeof(Options), sys.argv[2].encode(), None, None, 2)
assert L.mfr_context_open(ctypes.byref(ctx), ctypes.byref(opts)) == 0
data = sys.argv[3].encode()
assert L.mfr_import(ctypes.byref(result), ctx, data, len(data), 1) == 3   # MFR_ERR_PARSE, MFR_INPUT_JSON
sys.stdout.buffer.write(L.mfr_last_error())
L.mfr_import_result_free(result)
L.mfr_context_close(ctx)
'''
    env = dict(os.environ)
    if os.environ.get("PYTHON_PRELOAD"):
        env["LD_PRELOAD"] = os.environ["PYTHON_PRELOAD"]
        env["ASAN_OPTIONS"] = "detect_leaks=0"
    r = subprocess.run([sys.executable, "-c", code, lib, SYSTEM, REFUSED_JSON], capture_output=True, env=env,
                       timeout=60)
    if r.returncode != 0:
        fail("the ctypes oracle failed: " + r.stderr.decode(errors="replace"))
    return r.stdout.decode("utf-8")


def example(lang, out, mfr, lib, *mode):
    os.makedirs(out, exist_ok=True)
    for name in ("bundle.json", "error.txt"):
        if os.path.exists(os.path.join(out, name)):
            os.remove(os.path.join(out, name))
    script = os.path.join(ROOT, "packaging", "bindings", lang, "run-example.sh")
    r = subprocess.run([script, out, *mode], capture_output=True, env=runtime_env(lib), timeout=540)
    sys.stdout.write(r.stdout.decode(errors="replace"))
    if r.returncode != 0:
        fail(f"run-example.sh exited with {r.returncode}: " + r.stderr.decode(errors="replace"))

    with open(os.path.join(out, "bundle.json"), "rb") as f:
        raw = f.read()
    bundle = json.loads(raw.decode("utf-8"))             # strict UTF-8: a '?' or Latin-1 byte fails here
    if bundle.get("type") != "transaction":
        fail("not a transaction Bundle")
    types = [e["resource"]["resourceType"] for e in bundle["entry"]]
    if types.count("Procedure") != 1 or types.count("Observation") != 4:
        fail(f"expected 1 Procedure and 4 Observations (T6 L, T7 L+R, upper trapezius R), got {types}")
    notes = [n["text"] for e in bundle["entry"] for n in e["resource"].get("note", [])]
    for text in (NOTE, FINDING_NOTE):
        if text not in notes:
            fail(f"note {text!r} not in the Bundle's notes {notes}")
    v = subprocess.run([mfr, "validate", "--strict", os.path.join(out, "bundle.json")], capture_output=True,
                       text=True, timeout=120, env=dict(os.environ, ASAN_OPTIONS="detect_leaks=0"))
    if v.returncode != 0 or "0 errors, 0 warnings" not in v.stderr:
        fail("mfr validate --strict refused the Bundle:\n" + v.stdout + v.stderr)

    with open(os.path.join(out, "error.txt"), "rb") as f:
        error = f.read().decode("utf-8")
    expected = library_sentence(lib)
    if error.strip() != expected.strip():
        fail(f"error.txt is {error!r}, the library says {expected!r}")
    print(f"{lang} {' '.join(mode) or 'cli'}: Bundle valid ({len(raw)} bytes, accents intact); error: {error.strip()}")


def memcheck(lang, out, lib, command):
    os.makedirs(out, exist_ok=True)
    # ASan keeps freed blocks in a quarantine (256 MB by default) that would read as growth.
    env = runtime_env(lib)
    if "ASAN_OPTIONS" in env:
        env["ASAN_OPTIONS"] += ":quarantine_size_mb=0:thread_local_quarantine_size_kb=0"
    r = subprocess.run(command, capture_output=True, env=env, timeout=540, cwd=out)
    text = r.stdout.decode(errors="replace")
    if r.returncode != 0:
        fail(f"{command} exited with {r.returncode}: {text}" + r.stderr.decode(errors="replace"))
    m = re.search(r"cycles (\d+) bytes (\d+) rss_warm_kb (\d+) rss_end_kb (\d+)", text)
    if not m:
        fail("no RSS line in: " + text)
    cycles, total, warm, end = map(int, m.groups())
    # Leaking each export's buffer alone would add cycles * 9/10 * bundle size (~150 MB here).
    leak_kb = total * 9 // 10 // 1024
    limit_kb = 16 * 1024  # the JIT and GC of the runtimes settle within a few MB
    print(f"{lang}: {cycles} export/free cycles ({total} bytes exported), RSS {warm} kB after warm-up, "
          f"{end} kB at the end (limit +{limit_kb} kB; a leaked buffer per cycle would be +{leak_kb} kB)")
    if cycles < 10000 or leak_kb < 4 * limit_kb:
        fail("too few cycles to tell a leak from noise")
    if end - warm > limit_kb:
        fail(f"the process grew by {end - warm} kB")


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "example":
        example(*sys.argv[2:])
    elif what == "run":
        sep = sys.argv.index("--")
        lang, out, lib = sys.argv[2:sep]
        os.makedirs(out, exist_ok=True)
        r = subprocess.run(sys.argv[sep + 1:], env=runtime_env(lib), cwd=out, timeout=540)
        sys.exit(r.returncode)
    elif what == "memcheck":
        sep = sys.argv.index("--")
        memcheck(*sys.argv[2:sep], sys.argv[sep + 1:])
    else:
        fail("usage: bindings_test.py example|memcheck ...")
