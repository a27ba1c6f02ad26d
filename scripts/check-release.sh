#!/usr/bin/env bash
# Builds the ARM64 release and checks it: the binary is an aarch64 ELF, and the .deb holds the
# binary, the unit, the configuration and the install script, with the right dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t built < <(./build-arm64.sh | tail -n 2)
tarball=${built[0]}
deb=${built[1]}
binary=artifacts/publish/linux-arm64/edgevoice
fail() { echo "check-release: $*" >&2; exit 1; }

[ "$(head -c 4 "$binary" | od -An -c | tr -d ' ')" = "177ELF" ] || fail "$binary is not an ELF file"
machine=$(od -An -t u2 -j 18 -N 2 "$binary" | tr -d ' ')
[ "$machine" = 183 ] || fail "$binary is for ELF machine $machine, not aarch64 (183)"
listing=$(tar -tzf "$tarball")
grep -q '/edgevoice$' <<<"$listing" || fail "$tarball has no edgevoice binary"

contents=$(dpkg-deb -c "$deb")
for path in ./opt/edgevoice/edgevoice ./opt/edgevoice/libonnxruntime.so ./opt/edgevoice/libe_sqlite3.so ./lib/systemd/system/edgevoice.service \
            ./etc/edgevoice/appsettings.json ./etc/edgevoice/edgevoice.env; do
  grep -q " $path\$" <<<"$contents" || fail "$deb lacks $path"
done
[ "$(dpkg-deb -f "$deb" Architecture)" = arm64 ] || fail "$deb is not for arm64"
depends=$(dpkg-deb -f "$deb" Depends)
grep -q libespeak-ng1 <<<"$depends" || fail "$deb does not depend on libespeak-ng1"
grep -q libasound2 <<<"$depends" || fail "$deb does not depend on libasound2"
postinst=$(dpkg-deb -I "$deb" postinst)
grep -q "adduser --system" <<<"$postinst" || fail "$deb's postinst does not create the edgevoice user"
echo "release checked: $tarball, $deb (aarch64)"

# The unit as systemd reads it (with a stand-in binary: /opt/edgevoice is not installed here).
if ! command -v systemd-analyze >/dev/null && [ "$(id -u)" -eq 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends systemd >/dev/null 2>&1 || true
fi
if command -v systemd-analyze >/dev/null; then
  unit_dir=$(mktemp -d)
  sed 's|^ExecStart=/opt/edgevoice/edgevoice|ExecStart=/bin/true|' systemd/edgevoice.service > "$unit_dir/edgevoice.service"
  systemd-analyze verify "$unit_dir/edgevoice.service" || fail "systemd-analyze verify found problems in systemd/edgevoice.service"
  echo "unit checked: systemd-analyze verify"
else
  echo "check-release: systemd-analyze is not available; the unit was not verified" >&2
fi
