#!/usr/bin/env bash
# Builds the Java binding and its example with javac (--release 8: the jar runs on Java 8-21)
# against JNA (JNA_JAR, else Debian's /usr/share/java/jna.jar) into OUT/build, then runs it with
# the library MFR_FHIR_LIBRARY names (else libmfr-fhir.so.1): writes OUT/bundle.json and
# OUT/error.txt. Maven users: `mvn package` builds the same sources (pom.xml).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: run-example.sh OUT}
jna=${JNA_JAR:-/usr/share/java/jna.jar}
classes=$out/build/classes
mkdir -p "$classes"
# Only the JVM gets the environment's LD_PRELOAD (a sanitizer runtime, under the ASan build).
env -u LD_PRELOAD javac --release 8 -Xlint:-options -encoding UTF-8 -cp "$jna" -d "$classes" \
    $(find "$here/src/main/java" "$here/examples" -name '*.java')
exec java ${MFR_JAVA_OPTIONS:-} -cp "$classes:$jna" org.mfrfhir.example.RecordSession "$out"
