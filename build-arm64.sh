#!/usr/bin/env bash
# Builds the EdgeVoice release for NVIDIA Jetson and other ARM64 Linux boxes: a self-contained
# publish of `edgevoice` (no .NET install needed on the device), packed as a .tar.gz and a .deb.
#   ./build-arm64.sh            linux-arm64 (Debian architecture arm64)
#   ./build-arm64.sh --x64      linux-x64   (amd64)
#   ./build-arm64.sh --x64 --gpu  linux-x64 with ONNX Runtime's CUDA and TensorRT providers
#                               (Microsoft.ML.OnnxRuntime.Gpu.Linux; x64 only: NuGet has no aarch64 GPU build,
#                               Jetsons use Inference:NativeLibraryPath). Package edgevoice-gpu.
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
gpu=
for option in "$@"; do
  case "$option" in
    --x64) rid=linux-x64; arch=amd64 ;;
    --aot) aot=-aot ;;
    --gpu) gpu=-gpu ;;
    *) echo "build-arm64.sh: unknown option $option (use --x64, --aot, --gpu)" >&2; exit 2 ;;
  esac
done
if [ -n "$gpu" ] && [ "$rid" != linux-x64 ]; then
  echo "build-arm64.sh: --gpu needs --x64: the NuGet GPU build of ONNX Runtime is for linux-x64 only; on a Jetson, build the CPU release and point Inference:NativeLibraryPath at JetPack's TensorRT-enabled libonnxruntime.so (docs/JETSON.md)." >&2
  exit 2
fi
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)
suffix=$aot$gpu
out=artifacts/publish/$rid$suffix
rm -rf "$out"
if [ -n "$aot" ]; then
  # lld links for the target's architecture whatever the build machine's.
  dotnet publish src/EdgeVoice -c Release -r "$rid" ${gpu:+-p:EdgeVoiceGpu=true} -p:PublishAot=true -p:LinkerFlavor=lld -o "$out" --nologo
  rm -f "$out"/*.dbg "$out"/*.dll # debug symbols stay on the build machine; the .dll files are ONNX Runtime's Windows copies
else
  dotnet publish src/EdgeVoice -c Release -r "$rid" ${gpu:+-p:EdgeVoiceGpu=true} --self-contained -o "$out"
fi
cp README.md systemd/edgevoice.service systemd/edgevoice.env "$out/"
mkdir -p artifacts/release
tarball=artifacts/release/edgevoice-$version-$rid$suffix.tar.gz
# The GPU build is 390 MB, 300 of it the CUDA provider: fast compression levels keep its build to seconds.
tar -C artifacts/publish -I "gzip ${gpu:+-1}" -cf "$tarball" --transform "s:^$rid$suffix:edgevoice-$version:" "$rid$suffix"

# The Debian package.
package=edgevoice
extra=
if [ -n "$gpu" ]; then
  package=edgevoice-gpu
  # The CUDA provider needs CUDA 13 (libcudart.so.13, libcublas/libcublasLt.so.13, libcurand.so.10) and cuDNN 9;
  # the TensorRT provider also TensorRT 10 (libnvinfer.so.10, libnvonnxparser.so.10). These are the package names of
  # NVIDIA's CUDA apt repository. They are recommended, not required: CUDA may come from elsewhere (a runfile install,
  # the nvidia-* Python wheels), and without it EdgeVoice runs on the CPU and says which library was missing.
  extra="Recommends: cuda-cudart-13-0, libcublas-13-0, libcurand-13-0, libcudnn9-cuda-13
Suggests: libnvinfer10, libnvonnxparsers10
Provides: edgevoice
Conflicts: edgevoice
Replaces: edgevoice"
fi
root=artifacts/deb/${package}_${version}_$arch$aot
rm -rf "$root"
mkdir -p "$root/DEBIAN" "$root/opt/edgevoice" "$root/lib/systemd/system" "$root/etc/edgevoice"
cp -r "$out/." "$root/opt/edgevoice/"
rm -f "$root/opt/edgevoice/edgevoice.service" "$root/opt/edgevoice/edgevoice.env"
cp systemd/edgevoice.service "$root/lib/systemd/system/"
cp systemd/edgevoice.env "$root/etc/edgevoice/"
cp src/EdgeVoice/appsettings.json "$root/etc/edgevoice/appsettings.json"
cat > "$root/DEBIAN/control" <<CONTROL
Package: $package
Version: $version
Architecture: $arch
Maintainer: EdgeVoice <edgevoice@localhost>
Depends: libespeak-ng1, espeak-ng-data, libasound2 | libasound2t64, libicu72 | libicu74 | libicu76 | libicu-dev${extra:+
$extra}
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
  # GPIO chips (kiosk buttons, the amplifier's enable): a udev rule gives /dev/gpiochip* to this group (docs/JETSON.md).
  getent group gpio >/dev/null || addgroup --system gpio >/dev/null
  for group in audio video gpio; do
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
deb=artifacts/release/${package}_${version}_$arch$aot.deb
dpkg-deb --root-owner-group ${gpu:+-Zzstd -z3} --build "$root" "$deb" >/dev/null
echo "$tarball"
echo "$deb"
