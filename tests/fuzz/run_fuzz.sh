#!/usr/bin/env bash
# Builds the libFuzzer target import_fuzz with clang (ASan + UBSan) and runs it on the seed
# corpus for a bounded time. Exit 0: no crash, leak, hang or sanitizer report.
# Usage: tests/fuzz/run_fuzz.sh [seconds=60] [extra libFuzzer flags...]
# The seeds in corpus/ are our exported resources (an Observation, a Procedure, a
# DocumentReference, transaction and collection Bundles, NDJSON with CRLF) and the foreign
# files of tests/data. New inputs libFuzzer finds go to a temporary directory, not the repo.
set -euo pipefail
seconds="${1:-60}"
shift || true
root="$(cd "$(dirname "$0")/../.." && pwd)"
cxx="${CXX_FUZZ:-clang++}"
# MFR_FUZZ_WORK=<dir> keeps objects there between runs (recompiling a source only when it
# or any header under fhir/ is newer); otherwise a temporary directory is removed at exit.
if [[ -n "${MFR_FUZZ_WORK:-}" ]]; then
  work="$MFR_FUZZ_WORK"
  mkdir -p "$work"
else
  work="$(mktemp -d "${TMPDIR:-/tmp}/mfr-fuzz.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
fi
newest_header="$(ls -t "$root"/fhir/*/*.hpp | head -n 1)"

flags=(-std=c++20 -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined
       -fno-sanitize-recover=undefined -I"$root/fhir")
sources=("$root/tests/fuzz/import_fuzz.cpp")
for module in base json model terminology codec validate; do
  for f in "$root/fhir/$module"/*.cpp; do sources+=("$f"); done
done

echo "run_fuzz: compiling ${#sources[@]} sources with $cxx into $work"
# Two at a time: the machine is shared. Objects are named after their module and file.
printf '%s\n' "${sources[@]}" | xargs -P 2 -I{} sh -c '
  src="$1"; out="$2/$(basename "$(dirname "$src")")_$(basename "$src" .cpp).o"; header="$3"
  shift 3
  if [ -f "$out" ] && [ "$out" -nt "$src" ] && [ "$out" -nt "$header" ]; then exit 0; fi
  exec "$@" -c "$src" -o "$out"' _ {} "$work" "$newest_header" "$cxx" "${flags[@]}"
"$cxx" "${flags[@]}" "$work"/*.o -lcrypto -o "$work/import_fuzz"

mkdir -p "$work/found"
echo "run_fuzz: fuzzing for ${seconds}s"
# Seeds are read from corpus/ and never written there; findings and crash files stay in $work.
cd "$work"
ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}" \
  ./import_fuzz -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 "$@" "$work/found" "$root/tests/fuzz/corpus"
