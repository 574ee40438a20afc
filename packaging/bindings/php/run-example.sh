#!/usr/bin/env bash
# Runs the PHP binding's example with the library MFR_FHIR_LIBRARY names (else libmfr-fhir.so.1):
# makes the FFI header from mfr.h (MFR_FHIR_HEADER, else this tree's include/mfr/mfr.h, else
# /usr/include/mfr/mfr.h) into OUT/build, then writes OUT/bundle.json and OUT/error.txt.
#   run-example.sh OUT          on the command line (FFI::cdef)
#   run-example.sh OUT --web    a request to PHP's built-in web server with preload.php
#                               preloaded and ffi.enable=preload, as under PHP-FPM or Apache
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: run-example.sh OUT [--web]}
mode=${2:-cli}
header=${MFR_FHIR_HEADER:-$here/../../../include/mfr/mfr.h}
[[ -f $header ]] || header=/usr/include/mfr/mfr.h
mkdir -p "$out/build"
export MFR_FHIR_FFI_HEADER=$out/build/mfr.ffi.h
php "$here/tools/make-header.php" "$header" "$MFR_FHIR_FFI_HEADER"

if [[ $mode == cli ]]; then
  exec php "$here/examples/record_session.php" "$out"
fi
[[ $mode == --web ]] || { echo "run-example.sh: unknown mode $mode" >&2; exit 2; }

# Only PHP gets the environment's LD_PRELOAD (a sanitizer runtime, under the ASan build).
plain() { env -u LD_PRELOAD "$@"; }
port=$(plain python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# The built-in server preloads as FPM does. ffi.preload reads a header whose FFI_LIB is the
# library itself; opcache is off for the CLI SAPI by default, and preloading as root (CI
# containers) needs opcache.preload_user.
scoped=$out/build/mfr.preload.h
php "$here/tools/make-header.php" "$header" "$scoped" "${MFR_FHIR_LIBRARY:-libmfr-fhir.so.1}"
php -S "127.0.0.1:$port" -t "$here/examples/web" \
    -d ffi.enable=preload -d ffi.preload="$scoped" \
    -d opcache.enable=1 -d opcache.enable_cli=1 \
    -d opcache.preload="$here/preload.php" -d opcache.preload_user="$(id -un)" \
    >"$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  plain curl -s --max-time 2 -o /dev/null "http://127.0.0.1:$port/" && break
  kill -0 $server 2>/dev/null || { cat "$out/server.log" >&2; exit 1; }
  sleep 0.1
done
plain curl -sS --max-time 30 -D "$out/bundle.headers" -o "$out/bundle.json" "http://127.0.0.1:$port/"
plain curl -sS --max-time 30 -D "$out/error.headers" -o "$out/error.txt" "http://127.0.0.1:$port/?refuse=1"
grep -qi '^X-Mfr-FFI: scope' "$out/bundle.headers" ||
  { echo "run-example.sh: the request did not use the preloaded FFI scope" >&2; cat "$out/server.log" >&2; exit 1; }
echo "web: $(head -1 "$out/bundle.headers" | tr -d '\r'), $(wc -c <"$out/bundle.json") bytes of Bundle;" \
     "refused: $(head -1 "$out/error.headers" | tr -d '\r')"
