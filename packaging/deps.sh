#!/usr/bin/env bash
# Installs the Debian 12 packages mfr-fhir needs to build, test and benchmark.
# Idempotent and non-interactive: packages already present are left alone,
# and apt-get runs only when something is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ninja-build
  libboost1.81-dev libboost-url1.81-dev
  libssl-dev openssl ca-certificates
  nlohmann-json3-dev catch2 libsqlite3-dev libbenchmark-dev libcli11-dev
  clang libclang-rt-14-dev          # libFuzzer targets
  librsvg2-bin libxml2-utils        # chart tests: render SVG, check well-formedness
  python3 curl file binutils        # host tests and the exported-symbol check
  wrk                               # tests/bench/server_bench.sh (HTTPS load on mfr serve)
  php8.2-cli php8.2-opcache         # packaging/bindings/php (FFI is built in; opcache for preload)
  openjdk-17-jdk-headless libjna-java   # packaging/bindings/java (javac, JNA 5.13)
  mono-mcs mono-runtime             # packaging/bindings/csharp (mcs, P/Invoke)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "deps: all packages present"
fi
