#!/usr/bin/env bash
# The systemd unit as systemd reads it: `systemd-analyze verify` must be clean, and the sandbox's
# `systemd-analyze security` exposure must stay at or below 2.5 ("OK"). Installs systemd's tools
# when they are missing and this runs as root.
set -euo pipefail
cd "$(dirname "$0")/.."
unit=systemd/edgevoice.service
limit=${EDGEVOICE_UNIT_EXPOSURE_LIMIT:-2.5}
fail() { echo "check-unit: $*" >&2; exit 1; }

if ! command -v systemd-analyze >/dev/null && [ "$(id -u)" -eq 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends systemd >/dev/null 2>&1 || true
fi
command -v systemd-analyze >/dev/null || fail "systemd-analyze is not available (Debian package systemd)"

# With a stand-in binary: /opt/edgevoice is not installed here.
unit_dir=$(mktemp -d)
trap 'rm -rf "$unit_dir"' EXIT
sed 's|^ExecStart=/opt/edgevoice/edgevoice|ExecStart=/bin/true|' "$unit" > "$unit_dir/edgevoice.service"
verify=$(systemd-analyze verify "$unit_dir/edgevoice.service" 2>&1) || fail "systemd-analyze verify failed: $verify"
[ -z "$verify" ] || fail "systemd-analyze verify is not clean: $verify"

report=$(systemd-analyze security --offline=true --no-pager "$unit" 2>&1) || true
score=$(sed -n 's/.*Overall exposure level for edgevoice.service: \([0-9.]*\).*/\1/p' <<<"$report")
[ -n "$score" ] || fail "no exposure level in systemd-analyze security's report: $report"
awk -v s="$score" -v l="$limit" 'BEGIN { exit !(s <= l) }' \
  || fail "$unit exposure is $score, above $limit; systemd-analyze security --offline=true $unit shows what opened up"
echo "unit checked: systemd-analyze verify clean, security exposure $score (limit $limit)"
