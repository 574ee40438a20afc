#!/usr/bin/env bash
# HTTPS load on `mfr serve` with wrk (Debian package `wrk`; packaging/deps.sh installs it).
# Not run by ctest: it measures, it does not check. Builds nothing: give it a Release build.
#
#   cmake -S . -B build/rel -DCMAKE_BUILD_TYPE=Release && cmake --build build/rel -j2 --target mfr mfr_plugin
#   tests/bench/server_bench.sh build/rel/plugin/host/mfr build/rel/plugin/abi/libmfr-fhir.so [DURATION] [CONNECTIONS]
#
# What it does: a throw-away self-signed certificate in a temp dir; `mfr serve` on 127.0.0.1 with
# one bearer token, 2 threads and no rate limit; 100 sessions of one patient, each a Procedure and
# 10 Observations, posted as transaction Bundles; then wrk with one thread (-t1: wrk shares the
# machine's 2 cores with the server) over keep-alive HTTPS, --latency for the percentiles:
#   1. read of one Observation          (bar: >= 10,000 requests/s)
#   2. Observation?patient=..&_count=100 (100 results a page; bar: >= 1,000 requests/s)
# Record the figures in docs/PERFORMANCE.md with `uptime` and the machine.
set -euo pipefail

mfr=${1:?usage: server_bench.sh MFR PLUGIN [DURATION] [CONNECTIONS]}
plugin=${2:?usage: server_bench.sh MFR PLUGIN [DURATION] [CONNECTIONS]}
duration=${3:-15s}
connections=${4:-16}
token=bench-secret-0123456789abcdef
system=https://clinic.example/fhir/sessions
patient=Patient/bench-1

command -v wrk >/dev/null || { echo "wrk is missing: packaging/deps.sh installs it" >&2; exit 2; }
work=$(mktemp -d)
server_pid=
cleanup() {
  if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

# 100 sessions x 10 findings, one patient, as the host's session JSON, then transaction Bundles.
python3 - "$work" "$patient" <<'PY'
import json, os, sys
work, patient = sys.argv[1:3]
os.mkdir(os.path.join(work, "sessions"))
sites = ["T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10"]
for i in range(100):
    session = {"id": f"S-BENCH-{i:03d}", "patient": patient, "start": f"2026-{1 + i // 28:02d}-{1 + i % 28:02d}T10:00:00Z",
               "end": f"2026-{1 + i // 28:02d}-{1 + i % 28:02d}T10:30:00Z", "status": "completed",
               "regions": ["thoracic-spine"],
               "findings": [{"site": s, "side": "left", "restriction": 1 + (i + n) % 3, "pain": (i + n) % 10,
                             "released": "partial"} for n, s in enumerate(sites)]}
    with open(os.path.join(work, "sessions", f"s{i:03d}.json"), "w") as f:
        json.dump(session, f)
PY
mkdir "$work/bundles"
for s in "$work"/sessions/*.json; do
  "$mfr" --plugin "$plugin" --system "$system" record "$s" --format transaction --out "$work/bundles/$(basename "$s")" >/dev/null 2>&1
done

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$mfr" --plugin "$plugin" serve --store "$work/bench.db" --tls "$work/cert.pem" "$work/key.pem" --port "$port" \
  --token "bench:$token:read,write" --threads 2 --rate-limit 10000000 >"$work/serve.out" 2>"$work/serve.log" &
server_pid=$!
for _ in $(seq 100); do grep -q listening "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
base=https://127.0.0.1:$port/fhir
auth="Authorization: Bearer $token"

for b in "$work"/bundles/*.json; do
  code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$work/cert.pem" -H "$auth" \
    -H 'Content-Type: application/fhir+json' --data-binary "@$b" "$base")
  [[ $code == 200 ]] || { echo "loading $b answered $code" >&2; exit 1; }
done
observation=$(curl -s --cacert "$work/cert.pem" -H "$auth" "$base/Observation?_count=1" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["entry"][0]["resource"]["id"])')
count=$(curl -s --cacert "$work/cert.pem" -H "$auth" "$base/Observation?patient=$patient&_count=100" |
  python3 -c 'import json, sys; print(len(json.load(sys.stdin)["entry"]))')
[[ $count == 100 ]] || { echo "the search returned $count entries, not 100" >&2; exit 1; }

cat >"$work/auth.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $token"
wrk.headers["Accept"] = "application/fhir+json"
LUA

# The server's own CPU time (user + system, from /proc) per request: wrk's requests/s depends on
# whatever else runs on the 2 cores, this much less.
server_cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }
run_wrk() {  # URL
  local before after requests
  before=$(server_cpu_ticks)
  wrk -t1 -c"$connections" -d"$duration" --latency -s "$work/auth.lua" "$1" | tee "$work/wrk.out"
  after=$(server_cpu_ticks)
  requests=$(awk '/requests in/ { print $1 }' "$work/wrk.out")
  awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$requests" \
    'BEGIN { printf "  server CPU: %.2f s for %d requests = %.3f ms a request\n", t / hz, n, 1000 * t / hz / n }'
}

echo "== $(nproc) cores; $(uptime)"
echo "== read: GET /fhir/Observation/$observation  (wrk -t1 -c$connections -d$duration --latency)"
run_wrk "$base/Observation/$observation"
echo "== search: GET /fhir/Observation?patient=$patient&_count=100  (wrk -t1 -c$connections -d$duration --latency)"
run_wrk "$base/Observation?patient=$patient&_count=100"
echo "== after: $(uptime)"
