#!/usr/bin/env python3
"""mfr_host.py — an EMR host in Python with ctypes: no compiler, no binding package.

Records a skin-rolling session call by call, exports it as a FHIR R4 transaction Bundle,
reads the Bundle back, and draws the session's spine map (SVG).

    python3 mfr_host.py [--plugin /usr/lib/x86_64-linux-gnu/libmfr-fhir.so.1] --out OUT_DIR

The structs below mirror include/mfr/mfr.h field by field. Each starts with struct_size, set
from ctypes.sizeof(), so a newer library reads only what this script knows.
"""
import argparse
import ctypes
import json
import os
import sys

MFR_OK = 0
MFR_NUL_TERMINATED = ctypes.c_size_t(-1).value
# enums (values fixed forever in mfr.h)
MFR_SITE_VERTEBRA, MFR_SITE_REGION = 0, 1
MFR_LEVEL = {name: i for i, name in enumerate(
    [f"C{i}" for i in range(1, 8)] + [f"T{i}" for i in range(1, 13)] + [f"L{i}" for i in range(1, 6)] + ["sacrum"])}
MFR_REGION_THORACIC_SPINE, MFR_REGION_UPPER_TRAPEZIUS = 2, 5
MFR_SIDE_LEFT, MFR_SIDE_RIGHT, MFR_SIDE_MIDLINE, MFR_SIDE_BILATERAL = 0, 1, 2, 3
MFR_RELEASE_UNKNOWN, MFR_RELEASE_RELEASED, MFR_RELEASE_PARTIAL, MFR_RELEASE_NOT_RELEASED = 0, 1, 2, 3
MFR_FINDING_FINAL = 0
MFR_LOG_WARNING = 2
MFR_FORMAT_BUNDLE_TRANSACTION = 2
MFR_INPUT_JSON = 1

c_enum = ctypes.c_int  # C enums with a 0x7FFFFFFF sentinel are int-sized
mfr_log_fn = ctypes.CFUNCTYPE(None, ctypes.c_void_p, c_enum, ctypes.c_char_p)


class ContextOptions(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_uint32), ("identifier_system", ctypes.c_char_p),
                ("log", mfr_log_fn), ("user_data", ctypes.c_void_p), ("log_level", c_enum)]


class Finding(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_uint32), ("site_kind", c_enum), ("level", c_enum), ("region", c_enum),
                ("region_text", ctypes.c_char_p), ("side", c_enum), ("restriction", ctypes.c_int32),
                ("pain_nrs", ctypes.c_int32), ("pain_vas_mm", ctypes.c_char_p), ("tender", ctypes.c_int32),
                ("released", c_enum), ("note", ctypes.c_char_p), ("status", c_enum)]


class SessionInfo(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_uint32), ("id", ctypes.c_char_p), ("patient", ctypes.c_char_p),
                ("practitioner", ctypes.c_char_p), ("encounter", ctypes.c_char_p), ("start", ctypes.c_char_p),
                ("end", ctypes.c_char_p), ("status", c_enum), ("note", ctypes.c_char_p),
                ("session_number", ctypes.c_int32), ("planned_sessions", ctypes.c_int32),
                ("region_count", ctypes.c_size_t), ("finding_count", ctypes.c_size_t),
                ("source_text", ctypes.c_char_p), ("fhir_id", ctypes.c_char_p)]


class ImportCounts(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_uint32), ("resources", ctypes.c_size_t), ("rejected", ctypes.c_size_t),
                ("sessions", ctypes.c_size_t), ("errors", ctypes.c_size_t), ("warnings", ctypes.c_size_t),
                ("foreign", ctypes.c_size_t)]


class MfrError(RuntimeError):
    pass


class Plugin:
    """The library with argtypes declared for every call this host makes."""

    def __init__(self, path):
        self.lib = ctypes.CDLL(path)
        L, P, S, U = self.lib, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p
        PP = ctypes.POINTER(ctypes.c_void_p)
        sig = {
            "mfr_version": (U, []), "mfr_last_error": (U, []), "mfr_status_str": (U, [c_enum]),
            "mfr_free": (None, [P]),
            "mfr_context_open": (c_enum, [PP, ctypes.POINTER(ContextOptions)]), "mfr_context_close": (None, [P]),
            "mfr_session_new": (c_enum, [PP, P, U]), "mfr_session_free": (None, [P]),
            "mfr_session_set_patient": (c_enum, [P, U]), "mfr_session_set_period": (c_enum, [P, U, U]),
            "mfr_session_add_region": (c_enum, [P, c_enum]),
            "mfr_session_add_finding": (c_enum, [P, ctypes.POINTER(Finding)]),
            "mfr_session_info_get": (c_enum, [ctypes.POINTER(SessionInfo), P]),
            "mfr_export": (c_enum, [ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(S), P, PP, S, c_enum]),
            "mfr_import": (c_enum, [PP, P, U, S, c_enum]),
            "mfr_import_result_free": (None, [P]),
            "mfr_import_result_counts_get": (c_enum, [ctypes.POINTER(ImportCounts), P]),
            "mfr_chart_session": (c_enum, [ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(S), P, P]),
        }
        for name, (restype, argtypes) in sig.items():
            fn = getattr(L, name)
            fn.restype, fn.argtypes = restype, argtypes

    def check(self, status, what):
        if status != MFR_OK:
            raise MfrError(f"{what}: {self.lib.mfr_status_str(status).decode()}: "
                           f"{self.lib.mfr_last_error().decode()}")

    def take(self, buffer, length):
        """Copies a library-owned buffer into Python text and frees it with mfr_free()."""
        try:
            return ctypes.string_at(buffer.value, length.value).decode("utf-8")
        finally:
            self.lib.mfr_free(buffer)


def run(plugin_path, out_dir):
    mfr = Plugin(plugin_path)
    L = mfr.lib
    ctx = ctypes.c_void_p()
    opts = ContextOptions(ctypes.sizeof(ContextOptions), b"https://clinic.example/fhir/sessions",
                          mfr_log_fn(), None, MFR_LOG_WARNING)
    mfr.check(L.mfr_context_open(ctypes.byref(ctx), ctypes.byref(opts)), "mfr_context_open")
    session = ctypes.c_void_p()
    result = ctypes.c_void_p()
    try:
        mfr.check(L.mfr_session_new(ctypes.byref(session), ctx, b"S-PY-HOST-0001"), "mfr_session_new")
        mfr.check(L.mfr_session_set_patient(session, b"Patient/p-456"), "mfr_session_set_patient")
        mfr.check(L.mfr_session_set_period(session, b"2020-11-17T09:00:00+01:00", None), "mfr_session_set_period")
        mfr.check(L.mfr_session_add_region(session, MFR_REGION_THORACIC_SPINE), "mfr_session_add_region")
        for level, side, grade, pain in [("T6", MFR_SIDE_LEFT, 2, 5), ("T7", MFR_SIDE_BILATERAL, 3, 8),
                                         ("T8", MFR_SIDE_RIGHT, 1, 2)]:
            f = Finding(ctypes.sizeof(Finding), MFR_SITE_VERTEBRA, MFR_LEVEL[level], 0, None, side, grade, pain,
                        None, 1 if pain >= 5 else 0, MFR_RELEASE_PARTIAL, None, MFR_FINDING_FINAL)
            mfr.check(L.mfr_session_add_finding(session, ctypes.byref(f)), "mfr_session_add_finding")
        f = Finding(ctypes.sizeof(Finding), MFR_SITE_REGION, 0, MFR_REGION_UPPER_TRAPEZIUS, None, MFR_SIDE_RIGHT, 2, -1,
                    b"42.5", -1, MFR_RELEASE_RELEASED, "épaule droite".encode(), MFR_FINDING_FINAL)
        mfr.check(L.mfr_session_add_finding(session, ctypes.byref(f)), "mfr_session_add_finding")

        info = SessionInfo()
        info.struct_size = ctypes.sizeof(SessionInfo)
        mfr.check(L.mfr_session_info_get(ctypes.byref(info), session), "mfr_session_info_get")
        # Its strings are borrowed from the session: copy them while it lives.
        session_id, finding_count = info.id.decode(), info.finding_count

        buf, n = ctypes.c_void_p(), ctypes.c_size_t()
        handles = (ctypes.c_void_p * 1)(session)
        mfr.check(L.mfr_export(ctypes.byref(buf), ctypes.byref(n), ctx, handles, 1, MFR_FORMAT_BUNDLE_TRANSACTION),
                  "mfr_export")
        bundle = mfr.take(buf, n)

        data = bundle.encode()
        st = L.mfr_import(ctypes.byref(result), ctx, data, len(data), MFR_INPUT_JSON)
        mfr.check(st, "mfr_import")
        counts = ImportCounts()
        counts.struct_size = ctypes.sizeof(ImportCounts)
        mfr.check(L.mfr_import_result_counts_get(ctypes.byref(counts), result), "mfr_import_result_counts_get")

        buf, n = ctypes.c_void_p(), ctypes.c_size_t()
        mfr.check(L.mfr_chart_session(ctypes.byref(buf), ctypes.byref(n), session, None), "mfr_chart_session")
        svg = mfr.take(buf, n)
    finally:
        L.mfr_import_result_free(result)
        L.mfr_session_free(session)
        L.mfr_context_close(ctx)

    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "bundle.json"), "w", encoding="utf-8") as out:
        out.write(bundle)
    with open(os.path.join(out_dir, "spine.svg"), "w", encoding="utf-8") as out:
        out.write(svg)
    entries = json.loads(bundle)["entry"]
    print(f"mfr-fhir {L.mfr_version().decode()}: session {session_id} with {finding_count} findings -> "
          f"{len(entries)} resources in bundle.json, {counts.sessions} session read back, "
          f"spine.svg ({len(svg)} bytes)")
    return {"findings": finding_count, "entries": len(entries), "sessions_back": counts.sessions,
            "rejected": counts.rejected, "foreign": counts.foreign, "svg": svg}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plugin", default=os.environ.get("MFR_PLUGIN", "libmfr-fhir.so.1"),
                        help="path of libmfr-fhir.so.1 (default: $MFR_PLUGIN, then the system's library path)")
    parser.add_argument("--out", required=True, help="directory for bundle.json and spine.svg")
    args = parser.parse_args()
    try:
        run(args.plugin, args.out)
    except (OSError, MfrError) as e:
        print(f"mfr_host: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
