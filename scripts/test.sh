#!/usr/bin/env bash
# Runs the whole test suite: installs what the tests need (when run as root), builds, tests,
# and ends with one line of counts. Extra arguments go to `dotnet test` (for example --filter Text).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
results=artifacts/test-results
rm -rf "$results"
status=0
dotnet test EdgeVoice.sln -c Release --blame --logger "trx;LogFileName=edgevoice.trx" --results-directory "$results" "$@" || status=$?
counters=$(grep -o '<Counters [^>]*>' "$results/edgevoice.trx" 2>/dev/null || true)
if [ -n "$counters" ]; then
  count() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  echo "$(count passed) passed, $(count failed) failed, $(( $(count total) - $(count executed) )) skipped"
fi
exit $status
