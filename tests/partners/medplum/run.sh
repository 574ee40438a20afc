#!/usr/bin/env bash
# mfr push/fetch against Medplum's FHIR router on loopback HTTPS (see README.md here).
# Needs node >= 20.19, npm and the network (npm ci): not part of .ci/run.
# Usage: tests/partners/medplum/run.sh [MFR]   (default: build/release/plugin/host/mfr)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
mfr="$(realpath "${1:-$repo/build/release/plugin/host/mfr}")"
[ -x "$mfr" ] || { echo "no mfr at $mfr: build the release preset, or give its path" >&2; exit 2; }

(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A CA of our own and the server's certificate for 127.0.0.1, as the partner's would be; mfr
# trusts only the CA (--ca).
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=mfr medplum check CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign \
  -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$work/server.key" -out "$work/server.csr" 2>/dev/null
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial -days 1 \
  -extfile <(printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n') -out "$work/server.pem" 2>/dev/null

python3 "$here/check.py" "$mfr" "$work"
