#!/usr/bin/env bash
# CI: the GPU flavour (linux-x64, ONNX Runtime's CUDA and TensorRT providers; no GPU needed to build).
# Builds its tarball and .deb, checks the provider libraries and the package's CUDA dependencies are
# there, and that on this machine (no GPU) the GPU build falls back to the CPU naming the library the
# loader could not find, in the log and in `edgevoice voices`. (The device check's dry run,
# scripts/check-gpu.sh --cpu-dry-run, takes about 6 minutes here, so CI leaves it out.)
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "check-gpu-build: $*" >&2; exit 1; }

# --gpu without --x64 is refused with a sentence.
if message=$(./build-arm64.sh --gpu 2>&1); then fail "build-arm64.sh --gpu (arm64) did not refuse"; fi
grep -q -- "--gpu needs --x64" <<<"$message" || fail "build-arm64.sh --gpu (arm64) said: $message"

mapfile -t built < <(./build-arm64.sh --x64 --gpu | tail -n 2)
tarball=${built[0]}
deb=${built[1]}
out=artifacts/publish/linux-x64-gpu
for library in libonnxruntime.so libonnxruntime_providers_shared.so libonnxruntime_providers_cuda.so libonnxruntime_providers_tensorrt.so; do
  [ -f "$out/$library" ] || fail "$out lacks $library"
done
readelf -d "$out/libonnxruntime_providers_cuda.so" | grep -q 'libcudart.so.13' || fail "the CUDA provider is not the CUDA 13 build"
listing=$(tar -tzf "$tarball")
grep -q '/libonnxruntime_providers_cuda.so$' <<<"$listing" || fail "$tarball has no CUDA provider"
grep -q '/libonnxruntime_providers_tensorrt.so$' <<<"$listing" || fail "$tarball has no TensorRT provider"
contents=$(dpkg-deb -c "$deb")
for path in ./opt/edgevoice/edgevoice ./opt/edgevoice/libonnxruntime_providers_cuda.so ./opt/edgevoice/libonnxruntime_providers_tensorrt.so; do
  grep -q " $path\$" <<<"$contents" || fail "$deb lacks $path"
done
[ "$(dpkg-deb -f "$deb" Package)" = edgevoice-gpu ] || fail "$deb is not the edgevoice-gpu package"
[ "$(dpkg-deb -f "$deb" Architecture)" = amd64 ] || fail "$deb is not for amd64"
recommends=$(dpkg-deb -f "$deb" Recommends)
for package in cuda-cudart-13-0 libcublas-13-0 libcurand-13-0 libcudnn9-cuda-13; do
  grep -q "$package" <<<"$recommends" || fail "$deb does not recommend $package"
done
echo "gpu release checked: $tarball, $deb"

# No GPU here: CUDA falls back to the CPU with the loader's reason, in the log and in `edgevoice voices`.
if [ ! -e /dev/nvidia0 ]; then
  voices=$(mktemp -d)
  cp tests/EdgeVoice.Tests/Fixtures/piper/en_US-test-x_low.onnx tests/EdgeVoice.Tests/Fixtures/piper/en_US-test-x_low.onnx.json "$voices/"
  json=$("$out/edgevoice" voices --json --voices "$voices" --Inference:Providers=cuda,cpu 2>"$voices/log") || fail "edgevoice voices failed: $(cat "$voices/log")"
  loader='libonnxruntime_providers_cuda.so cannot be loaded: lib[A-Za-z0-9_]*\.so\.[0-9]*: cannot open shared object file'
  reason="cuda: $loader"
  python3 - "$json" "$reason" <<'PY' || fail "edgevoice voices did not report the CUDA fallback: $json"
import json, re, sys
voices = {v["name"]: v for v in json.loads(sys.argv[1])}
piper = voices["en_US-test-x_low"]
assert piper["provider"] == "cpu", piper
assert len(piper["fallbacks"]) == 1 and re.match(sys.argv[2], piper["fallbacks"][0]), piper["fallbacks"]
print("voices: " + piper["fallbacks"][0])
PY
  grep -Eq "cuda cannot be used \($loader" "$voices/log" || fail "the log does not name the missing library: $(cat "$voices/log")"
  rm -rf "$voices"
fi
