#!/usr/bin/env bash
# Builds the server's libFuzzer target fuzz_server_request (clang; ASan + UBSan on the server's
# request -> response sources, see tests/server/CMakeLists.txt) and runs it on the seed corpus for
# a bounded time. Exit 0: no crash, leak, hang or sanitizer report.
# Usage: tests/server/run_fuzz.sh [seconds=30] [extra libFuzzer flags...]
# Builds in build/fuzz-server; new inputs libFuzzer finds go to a temporary directory, not the repo.
set -euo pipefail
seconds="${1:-30}"
shift || true
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$root/build/fuzz-server"
found="$(mktemp -d "${TMPDIR:-/tmp}/mfr-server-fuzz.XXXXXX")"
trap 'rm -rf "$found"' EXIT

CC="${CC_FUZZ:-clang}" CXX="${CXX_FUZZ:-clang++}" cmake -S "$root" -B "$build" -DMFR_SERVER_FUZZ=ON >/dev/null
cmake --build "$build" -j2 --target fuzz_server_request
echo "run_fuzz (server): ${seconds} s on tests/server/fuzz_corpus"
"$build/tests/server/fuzz_server_request" -max_total_time="$seconds" -max_len=65536 -print_final_stats=1 \
  "$@" "$found" "$root/tests/server/fuzz_corpus"
