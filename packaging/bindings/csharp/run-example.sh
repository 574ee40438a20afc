#!/usr/bin/env bash
# Builds the C# binding and its example with Mono's mcs into OUT/build, then runs it with mono
# and the library MFR_FHIR_LIBRARY names (else libmfr-fhir.so.1): writes OUT/bundle.json and
# OUT/error.txt. .NET 6+ users: `dotnet build` builds the same sources (MfrFhir.csproj).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: run-example.sh OUT}
mkdir -p "$out/build"
# Only mono gets the environment's LD_PRELOAD (a sanitizer runtime, under the ASan build).
env -u LD_PRELOAD mcs -langversion:7.2 -nologo -warnaserror -target:library -out:"$out/build/MfrFhir.dll" "$here"/src/*.cs
env -u LD_PRELOAD mcs -langversion:7.2 -nologo -warnaserror -r:"$out/build/MfrFhir.dll" -out:"$out/build/RecordSession.exe" \
    "$here/examples/RecordSession.cs"
exec mono "$out/build/RecordSession.exe" "$out"
