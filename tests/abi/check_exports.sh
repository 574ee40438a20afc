#!/usr/bin/env bash
# The shared library exports the C ABI and nothing else, under the SONAME hosts link against.
set -euo pipefail
lib=$1
soname=$(objdump -p "$lib" | awk '/SONAME/ {print $2}')
[[ $soname == libmfr-fhir.so.1 ]] || { echo "SONAME is '$soname', expected libmfr-fhir.so.1"; exit 1; }
symbols=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRVWiu]$/ {print $3}' | sed 's/@.*//' | sort -u)
strays=$(grep -v '^mfr_' <<<"$symbols" || true)
if [[ -n $strays ]]; then
  echo "exported symbols that are not mfr_*:"; echo "$strays"; exit 1
fi
for required in mfr_plugin_entry mfr_version mfr_last_error mfr_free mfr_context_open mfr_export mfr_import; do
  grep -qx "$required" <<<"$symbols" || { echo "missing export: $required"; exit 1; }
done
echo "$(wc -l <<<"$symbols") symbols, all mfr_*: 1 passed, 0 failed"
