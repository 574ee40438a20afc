#!/usr/bin/env bash
# Installs the current build into a temporary prefix, as `cmake --install` would on a clinic's
# machine, then checks one thing about the installed tree:
#   layout      the files a host needs are there (and nothing that is not), the SONAME link,
#               the man page documents every subcommand, the installed `mfr` finds ../lib
#   find_package  the C++ example builds with find_package(mfr-fhir) and runs
#   pkgconfig   the C and C++ examples build with `pkg-config --cflags --libs mfr-fhir` and run
# usage: install_test.sh BUILD_DIR MODE [EXTRA_COMPILE_FLAGS]
set -euo pipefail
build=$1 mode=$2 extra=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >"$work/install.log"
lib=$prefix/lib
examples=$prefix/share/doc/mfr-fhir/examples
fail() { echo "FAIL: $*"; exit 1; }

case $mode in
layout)
  for f in lib/libmfr-fhir.so.1 lib/libmfr-fhir.so include/mfr/mfr.h include/mfr/mfr.hpp bin/mfr \
           lib/pkgconfig/mfr-fhir.pc lib/cmake/mfr-fhir/mfr-fhir-config.cmake \
           lib/cmake/mfr-fhir/mfr-fhir-config-version.cmake lib/cmake/mfr-fhir/mfr-fhir-targets.cmake \
           share/man/man1/mfr.1 share/mfr-fhir/fhir/StructureDefinition-mfr-skin-rolling-finding.json \
           share/doc/mfr-fhir/examples/hosts/c/record_session.c share/doc/mfr-fhir/examples/hosts/python/mfr_host.py \
           share/doc/mfr-fhir/examples/hosts/cpp/CMakeLists.txt; do
    [[ -e $prefix/$f ]] || fail "$f is not installed"
  done
  [[ $(readlink "$lib/libmfr-fhir.so") == libmfr-fhir.so.1 ]] || fail "libmfr-fhir.so does not link to libmfr-fhir.so.1"
  [[ -L $lib/libmfr-fhir.so.1 ]] || fail "libmfr-fhir.so.1 is not the SONAME link to the versioned file"
  soname=$(objdump -p "$lib/libmfr-fhir.so.1" | awk '/SONAME/ {print $2}')
  [[ $soname == libmfr-fhir.so.1 ]] || fail "SONAME is $soname"
  fhir_count=$(find "$prefix/share/mfr-fhir/fhir" -name '*.json' | wc -l)
  (( fhir_count >= 10 )) || fail "only $fhir_count conformance resources installed"
  strays=$(find "$prefix" \( -name '*.a' -o -name '*test*' -o -name 'mfr_core*' \) -not -path '*/examples/*' -print)
  [[ -z $strays ]] || fail "installed what hosts do not need: $strays"
  [[ $(ls "$prefix/bin") == mfr ]] || fail "bin/ holds $(ls "$prefix/bin" | tr '\n' ' ')"
  # Every subcommand `mfr --help` lists has its .SS section in the man page.
  subcommands=$("$prefix/bin/mfr" --help | awk '/^Subcommands:/ {on=1; next} on && NF {print $1}')
  [[ -n $subcommands ]] || fail "mfr --help lists no subcommands"
  man_text=$(sed 's/\\-/-/g' "$prefix/share/man/man1/mfr.1")
  for sub in $subcommands; do
    grep -Eq "^\.SS $sub( |$)" <<<"$man_text" ||
      fail "the man page does not document 'mfr $sub'"
  done
  man -l "$prefix/share/man/man1/mfr.1" >/dev/null 2>"$work/man.err" || true
  [[ ! -s $work/man.err ]] || { cat "$work/man.err"; fail "man reports problems in mfr.1"; }
  # The installed host finds the installed plugin in ../lib, not the build tree's.
  "$prefix/bin/mfr" version | tee "$work/version.txt"
  grep -q "from $prefix/bin/../lib/libmfr-fhir.so.1" "$work/version.txt" || fail "mfr did not load the plugin from ../lib"
  "$prefix/bin/mfr" doctor >"$work/doctor.txt" || { cat "$work/doctor.txt"; fail "mfr doctor failed"; }
  grep -q '"ok": true' "$work/doctor.txt" || fail "mfr doctor did not report ok"
  pc_version=$(PKG_CONFIG_PATH=$lib/pkgconfig pkg-config --modversion mfr-fhir)
  [[ $pc_version == $("$prefix/bin/mfr" version | awk '/^plugin/ {print $2}') ]] || fail "pkg-config says $pc_version"
  echo "installed tree: $(find "$prefix" -type f | wc -l) files, $fhir_count FHIR resources, subcommands documented: $(echo $subcommands)"
  ;;
find_package)
  cmake -S "$examples/hosts/cpp" -B "$work/build" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Debug \
        -DCMAKE_CXX_FLAGS="$extra" >"$work/configure.log" || { cat "$work/configure.log"; fail "configure"; }
  cmake --build "$work/build" >"$work/build.log" 2>&1 || { cat "$work/build.log"; fail "build"; }
  mkdir "$work/out"
  "$work/build/emr_module" "$examples"/sessions/2019-0*.json "$work/out"
  [[ -s $work/out/bundle.json && -s $work/out/course.svg ]] || fail "no bundle.json or course.svg"
  # It ran against the installed library, not the build tree's.
  # ldd's output is kept first: `ldd | grep -q` under pipefail fails when grep exits early (SIGPIPE).
  libs="$(ldd "$work/build/emr_module")"
  grep -qF "$prefix/lib/libmfr-fhir.so.1" <<<"$libs" || fail "not linked to the installed library: $(grep mfr <<<"$libs")"
  # A find_package asking for another major version is refused (SameMajorVersion).
  mkdir "$work/major"
  printf 'cmake_minimum_required(VERSION 3.16)\nproject(p NONE)\nfind_package(mfr-fhir 1.0 REQUIRED)\n' >"$work/major/CMakeLists.txt"
  if cmake -S "$work/major" -B "$work/major/build" -DCMAKE_PREFIX_PATH="$prefix" >"$work/major.log" 2>&1; then
    fail "find_package(mfr-fhir 1.0) accepted version 0.x"
  fi
  ;;
pkgconfig)
  export PKG_CONFIG_PATH=$lib/pkgconfig
  flags=$(pkg-config --cflags --libs mfr-fhir)
  libdir=$(pkg-config --variable=libdir mfr-fhir)
  [[ $(cd "$libdir" && pwd -P) == $(cd "$lib" && pwd -P) ]] || fail "libdir is $libdir"
  # shellcheck disable=SC2086
  cc -std=c99 -Wall -Wextra -Werror $extra "$examples/hosts/c/record_session.c" $flags -Wl,-rpath,"$libdir" -o "$work/record_session"
  # shellcheck disable=SC2086
  c++ -std=c++17 -Wall -Wextra -Werror $extra "$examples/hosts/cpp/emr_module.cpp" $flags -Wl,-rpath,"$libdir" -o "$work/emr_module"
  "$work/record_session" "$work/c-bundle.json"
  grep -q '"resourceType": "Bundle"' "$work/c-bundle.json" || fail "the C host wrote no Bundle"
  mkdir "$work/out"
  "$work/emr_module" "$examples"/sessions/*.json "$work/out" && fail "sessions of two patients made one course chart" || true
  "$work/emr_module" "$examples"/sessions/2019-0*.json "$work/out"
  [[ -s $work/out/course.svg ]] || fail "no course.svg"
  ;;
*) echo "unknown mode $mode"; exit 2 ;;
esac
echo "install $mode: 1 passed, 0 failed"
