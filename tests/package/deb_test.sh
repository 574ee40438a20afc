#!/usr/bin/env bash
# `cpack -G DEB` on this build: the file is mfr-fhir_<version>_amd64.deb, it depends on the
# Debian packages of the libraries the plugin links (found by dpkg-shlibdeps), ships the
# library with its SONAME link, the ldconfig trigger and the shlibs file, and nothing a host
# does not need.
# usage: deb_test.sh BUILD_DIR VERSION
set -euo pipefail
build=$1 version=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
(cd "$build" && cpack -G DEB -B "$work" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; fail "cpack -G DEB"; }
deb=$work/mfr-fhir_${version}_$(dpkg --print-architecture).deb
[[ -f $deb ]] || fail "no $deb; cpack made: $(ls "$work")"
[[ $(dpkg-deb -f "$deb" Package) == mfr-fhir && $(dpkg-deb -f "$deb" Version) == "$version" ]] || fail "control fields"
depends=$(dpkg-deb -f "$deb" Depends)
dep_names=$(tr ',' '\n' <<<"$depends" | awk '{print $1}')
for dep in libc6 libssl3 libsqlite3-0 libstdc++6; do
  grep -qxF "$dep" <<<"$dep_names" || fail "Depends lacks $dep: $depends"
done
files=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in ./usr/lib/libmfr-fhir.so.1 ./usr/lib/libmfr-fhir.so ./usr/include/mfr/mfr.h ./usr/include/mfr/mfr.hpp \
         ./usr/bin/mfr ./usr/lib/pkgconfig/mfr-fhir.pc ./usr/lib/cmake/mfr-fhir/mfr-fhir-config.cmake \
         ./usr/share/man/man1/mfr.1 ./usr/share/mfr-fhir/fhir/package.json; do
  grep -qx "$f" <<<"$files" || fail "$f is not in the package"
done
! grep -Eq '\.a$|/tests?/' <<<"$files" || fail "the package holds a static library or tests"
dpkg-deb -e "$deb" "$work/control"
grep -q "^libmfr-fhir 1 mfr-fhir" "$work/control/shlibs" || fail "shlibs: $(cat "$work/control/shlibs")"
grep -q ldconfig "$work/control/postinst" || fail "postinst does not run ldconfig"
# Unpacked anywhere, its host finds its plugin and passes the self-test.
dpkg-deb -x "$deb" "$work/root"
"$work/root/usr/bin/mfr" doctor >"$work/doctor.txt" || { cat "$work/doctor.txt"; fail "mfr doctor from the package"; }
echo "$(basename "$deb"): $(wc -l <<<"$files") entries, Depends: $depends"
echo "deb: 1 passed, 0 failed"
