#!/usr/bin/env bash
# Runs the whole test suite: installs what the tests need (when run as root), builds, tests,
# and ends with one line of counts. Extra arguments go to `dotnet test` (for example --filter Text).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
results=artifacts/test-results
rm -rf "$results"
status=0
# Both test projects: EdgeVoice.Tests (unit) and EdgeVoice.IntegrationTests (the daemon with its real parts).
dotnet test EdgeVoice.sln -c Release --blame --logger "trx;LogFilePrefix=edgevoice" --results-directory "$results" "$@" || status=$?
passed=0 failed=0 skipped=0
for trx in "$results"/edgevoice*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" || true)
  [ -n "$counters" ] || continue
  count() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  passed=$(( passed + $(count passed) )); failed=$(( failed + $(count failed) ))
  skipped=$(( skipped + $(count total) - $(count executed) ))
done
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
