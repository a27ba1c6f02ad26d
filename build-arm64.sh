#!/usr/bin/env bash
# Builds the EdgeVoice release for NVIDIA Jetson and other ARM64 Linux boxes: a self-contained
# publish of `edgevoice` (no .NET install needed on the device), packed as a .tar.gz.
#   ./build-arm64.sh            linux-arm64
#   ./build-arm64.sh --x64      linux-x64
set -euo pipefail
cd "$(dirname "$0")"
rid=linux-arm64
[ "${1:-}" = --x64 ] && rid=linux-x64
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)
out=artifacts/publish/$rid
rm -rf "$out"
dotnet publish src/EdgeVoice -c Release -r "$rid" --self-contained -o "$out"
cp README.md systemd/edgevoice.service systemd/edgevoice.env "$out/"
mkdir -p artifacts/release
tarball=artifacts/release/edgevoice-$version-$rid.tar.gz
tar -C artifacts/publish -czf "$tarball" --transform "s:^$rid:edgevoice-$version:" "$rid"
echo "$tarball"
