#!/usr/bin/env bash
# Builds the EdgeVoice release for NVIDIA Jetson and other ARM64 Linux boxes: a self-contained
# publish of `edgevoice` (no .NET install needed on the device), packed as a .tar.gz and a .deb.
#   ./build-arm64.sh            linux-arm64 (Debian architecture arm64)
#   ./build-arm64.sh --x64      linux-x64   (amd64)
#   ./build-arm64.sh --aot      Native AOT: one native binary, faster start, less memory. For arm64 this
#                               cross-compiles, which needs clang, lld and an arm64 sysroot from Debian:
#                               dpkg --add-architecture arm64 && apt-get update &&
#                               apt-get install clang lld libc6-dev:arm64 libgcc-12-dev:arm64 zlib1g-dev:arm64
# The .deb installs to /opt/edgevoice, the unit to /lib/systemd/system, a default configuration to
# /etc/edgevoice, and creates the edgevoice user (groups audio and video) when installed.
set -euo pipefail
cd "$(dirname "$0")"
rid=linux-arm64
arch=arm64
aot=
for option in "$@"; do
  case "$option" in
    --x64) rid=linux-x64; arch=amd64 ;;
    --aot) aot=-aot ;;
    *) echo "build-arm64.sh: unknown option $option (use --x64, --aot)" >&2; exit 2 ;;
  esac
done
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)
out=artifacts/publish/$rid$aot
rm -rf "$out"
if [ -n "$aot" ]; then
  # lld links for the target's architecture whatever the build machine's.
  dotnet publish src/EdgeVoice -c Release -r "$rid" -p:PublishAot=true -p:LinkerFlavor=lld -o "$out" --nologo
  rm -f "$out"/*.dbg "$out"/*.dll # debug symbols stay on the build machine; the .dll files are ONNX Runtime's Windows copies
else
  dotnet publish src/EdgeVoice -c Release -r "$rid" --self-contained -o "$out"
fi
cp README.md systemd/edgevoice.service systemd/edgevoice.env "$out/"
mkdir -p artifacts/release
tarball=artifacts/release/edgevoice-$version-$rid$aot.tar.gz
tar -C artifacts/publish -czf "$tarball" --transform "s:^$rid$aot:edgevoice-$version:" "$rid$aot"

# The Debian package.
root=artifacts/deb/edgevoice_${version}_$arch$aot
rm -rf "$root"
mkdir -p "$root/DEBIAN" "$root/opt/edgevoice" "$root/lib/systemd/system" "$root/etc/edgevoice"
cp -r "$out/." "$root/opt/edgevoice/"
rm -f "$root/opt/edgevoice/edgevoice.service" "$root/opt/edgevoice/edgevoice.env"
cp systemd/edgevoice.service "$root/lib/systemd/system/"
cp systemd/edgevoice.env "$root/etc/edgevoice/"
cp src/EdgeVoice/appsettings.json "$root/etc/edgevoice/appsettings.json"
cat > "$root/DEBIAN/control" <<CONTROL
Package: edgevoice
Version: $version
Architecture: $arch
Maintainer: EdgeVoice <edgevoice@localhost>
Depends: libespeak-ng1, espeak-ng-data, libasound2 | libasound2t64, libicu72 | libicu74 | libicu76 | libicu-dev
Section: sound
Priority: optional
Description: EdgeVoice offline text-to-speech daemon
 Speaks what kiosks, robots and signs send it over MQTT, with neural voices
 (Piper, GPT-SoVITS) on ONNX Runtime and TensorRT, and a built-in espeak-ng voice.
CONTROL
printf '/etc/edgevoice/appsettings.json\n/etc/edgevoice/edgevoice.env\n' > "$root/DEBIAN/conffiles"
cat > "$root/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
  if ! getent passwd edgevoice >/dev/null; then
    adduser --system --group --home /var/lib/edgevoice --no-create-home edgevoice
  fi
  for group in audio video; do
    if getent group "$group" >/dev/null; then
      adduser edgevoice "$group" >/dev/null
    fi
  done
  if [ -d /run/systemd/system ]; then
    systemctl daemon-reload >/dev/null || true
  fi
fi
POSTINST
chmod 755 "$root/DEBIAN/postinst"
deb=artifacts/release/edgevoice_${version}_$arch$aot.deb
dpkg-deb --root-owner-group --build "$root" "$deb" >/dev/null
echo "$tarball"
echo "$deb"
