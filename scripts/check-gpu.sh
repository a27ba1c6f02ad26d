#!/usr/bin/env bash
# The device check: EdgeVoice's GPU build on a machine with an NVIDIA GPU (x86-64, CUDA 13 and cuDNN 9
# installed system-wide or as the nvidia-* Python wheels; TensorRT optional; no network). Under 8 minutes.
#
# Here (with the network and the .NET SDK):
#   scripts/check-gpu.sh --stage     Builds the self-contained GPU publish, the GPU build of the tests, a
#                                    minimal .NET to run them, and the espeak-ng/ICU libraries, packs them
#                                    (tar | zstd) and splits them into parts of at most 60 MiB in
#                                    artifacts/gpu-stage/ (git-ignored) with SHA256SUMS.
# On the GPU machine (the repository copied there; each call carries one part, at most 64 MiB):
#   scripts/check-gpu.sh --receive   Moves the parts that came with this call to /tmp/edgevoice-stage.
#   scripts/check-gpu.sh [--piper MODEL.onnx] [--gpt-sovits BUNDLE --ref CLIP.wav --ref-text TEXT [--lang en]]
#                                    Joins the parts under /tmp, checks their SHA-256, and checks: the CUDA
#                                    libraries are found; `edgevoice voices` with tensorrt,cuda,cpu (TensorRT
#                                    falls back with its reason unless installed, CUDA is used); `edgevoice bench`
#                                    on the Piper voice and the GPT-SoVITS bundle (provider, per-step time, host
#                                    time per step, first audio); the Category=Gpu tests.
# Here, end to end: scripts/check-gpu.sh --cpu-dry-run [--publish DIR] [--reuse-stage]
#                                    Every step on this CPU (stage, receive, join, run), expecting the CPU
#                                    with the loader's reasons where the GPU check expects CUDA.
# The report goes to $OUT/check-gpu.txt when $OUT is set (the device tool), else artifacts/check-gpu.txt.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
mode=run
reuse=
dry=
publish=
piper=
bundle=
ref=
ref_text=
lang=en
stage=$repo/artifacts/gpu-stage
received=/tmp/edgevoice-stage
work=/tmp/edgevoice-gpu
while [ $# -gt 0 ]; do
  case "$1" in
    --stage) mode=stage ;;
    --receive) mode=receive ;;
    --cpu-dry-run) dry=1 ;;
    --reuse-stage) reuse=1 ;;
    --publish) publish=$2; shift ;;
    --piper) piper=$2; shift ;;
    --gpt-sovits) bundle=$2; shift ;;
    --ref) ref=$2; shift ;;
    --ref-text) ref_text=$2; shift ;;
    --lang) lang=$2; shift ;;
    *) echo "check-gpu.sh: unknown option $1 (see the comment at the top of the script)" >&2; exit 2 ;;
  esac
  shift
done
fail() { echo "check-gpu: FAIL: $*" >&2; exit 1; }
elapsed() { echo "$(( $(date +%s) - started ))"; }
started=$(date +%s)

stage_parts() {
  local out=${publish:-$repo/artifacts/publish/linux-x64-gpu}
  if [ ! -x "$out/edgevoice" ] || [ ! -f "$out/libonnxruntime_providers_cuda.so" ]; then
    out=$repo/artifacts/publish/linux-x64-gpu
    dotnet publish "$repo/src/EdgeVoice" -c Release -r linux-x64 --self-contained -p:EdgeVoiceGpu=true -o "$out" --nologo >/dev/null
  fi
  dotnet build "$repo/tests/EdgeVoice.Tests" -c Release -p:EdgeVoiceGpu=true --nologo -v q >/dev/null
  local tests=$repo/artifacts/gpu/bin/EdgeVoice.Tests/Release/net10.0
  local tree
  tree=$(mktemp -d)
  cp -a "$out" "$tree/edgevoice"
  cp -a "$tests" "$tree/tests"
  # The tests' copy of ONNX Runtime is the publish's: links, not a second 300 MB.
  for library in "$tree"/tests/runtimes/linux-x64/native/*.so; do
    [ -f "$tree/edgevoice/$(basename "$library")" ] && ln -sf "../../../../edgevoice/$(basename "$library")" "$library"
  done
  rm -rf "$tree"/tests/runtimes/{win,osx,linux-arm64,android,ios}* 2>/dev/null || true
  # A minimal .NET to run the tests: the muxer, the runtime, and the SDK's test runner.
  local dotnet_root
  dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
  mkdir -p "$tree/dotnet/shared" "$tree/dotnet/sdk"
  cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$tree/dotnet/"
  cp -a "$dotnet_root/shared/Microsoft.NETCore.App" "$tree/dotnet/shared/"
  local sdk
  sdk=$(ls -d "$dotnet_root"/sdk/*/ | sort -V | tail -n 1)
  mkdir -p "$tree/dotnet/sdk/$(basename "$sdk")"
  (cd "$sdk" && cp -a Extensions TestHostNetFramework Microsoft.TestPlatform.* Microsoft.VisualStudio.TestPlatform.* vstest.console* \
      testhost* Newtonsoft.Json.dll NuGet.Frameworks.dll Microsoft.Extensions.*.dll "$tree/dotnet/sdk/$(basename "$sdk")/")
  # espeak-ng (Piper's and GPT-SoVITS' English phonemes) and ICU, with what they load, for a machine without them.
  mkdir -p "$tree/lib"
  local libs
  libs=$(for l in libespeak-ng.so.1 libicuuc.so libicui18n.so; do ldconfig -p | awk -v l="$l" '$1 ~ "^"l {print $NF; exit}'; done)
  for l in $libs $(ldd $libs | awk '/=> \//{print $3}' | sort -u); do
    case "$(basename "$l")" in libc.so*|libm.so*|libpthread*|libdl.so*|librt.so*|ld-linux*|libstdc++*|libgcc_s*) ;; *) cp -L "$l" "$tree/lib/" ;; esac
  done
  for l in "$tree"/lib/libicu*.so.*; do ln -sf "$(basename "$l")" "$tree/lib/$(basename "$l" | sed 's/\.so\..*/.so/')"; done
  cp -a "$(dirname "$(ldconfig -p | awk '/libespeak-ng.so.1 /{print $NF; exit}')")/espeak-ng-data" "$tree/espeak-ng-data" 2>/dev/null \
    || cp -a /usr/share/espeak-ng-data "$tree/espeak-ng-data"
  cp "$repo/docs/bench-text.txt" "$tree/"
  rm -rf "$stage"
  mkdir -p "$stage"
  tar -C "$tree" -cf - . | zstd -q -T0 -6 | split -b 60M -d -a 2 - "$stage/edgevoice-gpu.tar.zst.part"
  rm -rf "$tree"
  (cd "$stage" && sha256sum edgevoice-gpu.tar.zst.part* > SHA256SUMS && cat edgevoice-gpu.tar.zst.part* | sha256sum | sed 's/-$/edgevoice-gpu.tar.zst/' >> SHA256SUMS)
  echo "staged in $(elapsed) s: $(ls "$stage" | grep -c part) parts, $(du -sh "$stage" | cut -f1) in $stage"
  for part in "$stage"/edgevoice-gpu.tar.zst.part*; do
    echo "  carry [\"artifacts/gpu-stage/$(basename "$part")\", \"artifacts/gpu-stage/SHA256SUMS\"]; command: bash scripts/check-gpu.sh --receive"
  done
}

receive_parts() {
  mkdir -p "$received"
  [ -f "$stage/SHA256SUMS" ] && cp "$stage/SHA256SUMS" "$received/"
  for part in "$stage"/edgevoice-gpu.tar.zst.part*; do
    [ -f "$part" ] || continue
    local name
    name=$(basename "$part")
    (cd "$stage" && grep " $name\$" SHA256SUMS | sha256sum -c --quiet -) || fail "$name is damaged"
    cp "$part" "$received/$name"
  done
  [ -f "$received/SHA256SUMS" ] || fail "no SHA256SUMS received yet"
  local missing
  missing=$(awk '/part/{print $2}' "$received/SHA256SUMS" | while read -r p; do [ -f "$received/$p" ] || echo "$p"; done)
  echo "received: $(cd "$received" && ls edgevoice-gpu.tar.zst.part* | tr '\n' ' ')"
  echo "still to carry: ${missing:-none}"
}

join_parts() {
  if [ -x "$work/edgevoice/edgevoice" ] && [ -f "$work/.sha256" ] && cmp -s "$work/.sha256" <(grep 'edgevoice-gpu.tar.zst$' "$received/SHA256SUMS"); then
    echo "joined already: $work"
    return
  fi
  (cd "$received" && grep part SHA256SUMS | sha256sum -c --quiet -) || fail "a part is missing or damaged in $received"
  local whole
  whole=$(cd "$received" && cat edgevoice-gpu.tar.zst.part* | sha256sum | cut -d' ' -f1)
  grep -q "^$whole  edgevoice-gpu.tar.zst\$" "$received/SHA256SUMS" || fail "the joined archive's SHA-256 ($whole) is not the staged one"
  rm -rf "$work"
  mkdir -p "$work"
  (cd "$received" && cat edgevoice-gpu.tar.zst.part*) | zstd -q -d | tar -C "$work" -xf -
  grep 'edgevoice-gpu.tar.zst$' "$received/SHA256SUMS" > "$work/.sha256"
  echo "joined and checked (sha256 $whole) in $work"
}

find_cuda() {
  local found=
  if ldconfig -p 2>/dev/null | grep -q 'libcudart.so.13 '; then
    found="system ($(ldconfig -p | awk '/libcudart.so.13 /{print $NF; exit}'))"
  fi
  local wheels
  wheels=$(python3 -c 'import nvidia, os; print("\n".join(os.path.abspath(p) for p in nvidia.__path__))' 2>/dev/null || true)
  if [ -n "$wheels" ]; then
    local dirs
    dirs=$(find $wheels -name 'lib*.so*' -printf '%h\n' 2>/dev/null | sort -u | tr '\n' ':')
    if [ -n "$dirs" ]; then
      export LD_LIBRARY_PATH="${dirs%:}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
      found="${found:+$found; }Python wheels ($(tr ':' '\n' <<<"${dirs%:}" | wc -l) folders under $wheels)"
    fi
  fi
  echo "CUDA libraries: ${found:-none found}"
  for l in libcudart.so.13 libcublas.so.13 libcublasLt.so.13 libcurand.so.10 libcudnn.so.9 libnvinfer.so.10; do
    local where
    where=$(tr ':' '\n' <<<"${LD_LIBRARY_PATH:-}" | while read -r d; do [ -n "$d" ] && [ -e "$d/$l" ] && { echo "$d/$l"; break; }; done)
    [ -z "$where" ] && where=$(ldconfig -p 2>/dev/null | awk -v l="$l" '$1==l {print $NF; exit}')
    echo "  $l: ${where:-missing}"
  done
  command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | sed 's/^/  GPU: /' || true
}

run_checks() {
  join_parts
  local ev=$work/edgevoice/edgevoice
  export LD_LIBRARY_PATH="$work/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export ESPEAK_DATA_PATH=$work/espeak-ng-data
  export DOTNET_ROOT=$work/dotnet
  [ -n "$dry" ] || find_cuda
  local voices=/tmp/edgevoice-gpu-voices
  rm -rf "$voices"
  mkdir -p "$voices"
  if [ -z "$piper" ] && [ -n "$dry" ]; then piper=$work/tests/Fixtures/piper/en_US-test-x_low.onnx; fi
  if [ -n "$piper" ]; then cp "$piper" "$piper.json" "$voices/"; fi
  local settings=(--Inference:Providers=tensorrt,cuda,cpu --Inference:TensorRt:EngineCacheDirectory=/tmp/edgevoice-engines)

  echo "== voices (tensorrt,cuda,cpu) at $(elapsed) s"
  local json
  json=$("$ev" voices --json --voices "$voices" "${settings[@]}" 2>/tmp/edgevoice-gpu-voices.log) || { cat /tmp/edgevoice-gpu-voices.log; fail "edgevoice voices failed"; }
  python3 - "$json" "${dry:-0}" <<'PY' || fail "voices did not use the expected provider"
import json, sys
dry = sys.argv[2] == "1"
for v in json.loads(sys.argv[1]):
    print(f"  {v['name']}: provider {v['provider']}, load {v['load_ms']:.0f} ms, warm-up {v['warm_up_ms']:.0f} ms")
    for f in v["fallbacks"]:
        print(f"    fell back: {f}")
    if v["engine"] == "piper":
        want = "cpu" if dry else "cuda"
        assert v["provider"] in ((want, "tensorrt") if not dry else (want,)), f"{v['name']} ran on {v['provider']}, not {want}"
        if v["provider"] != "tensorrt":
            assert v["fallbacks"] and v["fallbacks"][0].startswith("tensorrt: "), "TensorRT fell back without a reason"
        if dry:
            assert any("cannot open shared object file" in f for f in v["fallbacks"]), "no loader reason"
PY

  if [ -n "$piper" ]; then
    echo "== bench: Piper $(basename "$piper") at $(elapsed) s"
    "$ev" bench --voice "$(basename "$piper" .onnx)" --voices "$voices" --text "$work/bench-text.txt" --runs "${runs:-2}" "${settings[@]}" 2>/dev/null \
      | grep -E '^voice|^\| chunk|^\| all|real-time|first audio' | head -n 30
  fi

  if [ -z "$bundle" ] && [ -n "$dry" ]; then
    bundle=$work/tests/Fixtures/gpt-sovits/min
    ref=/tmp/edgevoice-gpu-ref.wav
    ref_text="Hello there, this is a short reference clip for the voice cloning test."
    "$ev" say --voice espeak --voices "$voices" -o "$ref" "$ref_text" >/dev/null 2>&1 || fail "could not make a reference clip"
  fi
  if [ -n "$bundle" ]; then
    [ -n "$ref" ] && [ -n "$ref_text" ] || fail "--gpt-sovits needs --ref and --ref-text"
    echo "== bench: GPT-SoVITS $(basename "$bundle") at $(elapsed) s"
    settings+=("--Voices:BundleDirectories:0=$(cd "$(dirname "$bundle")" && pwd)")
    "$ev" voices enroll gsv --bundle "$bundle" --ref "$ref" --ref-text "$ref_text" --lang "$lang" --force --voices "$voices" "${settings[@]}" >/dev/null 2>&1 \
      || fail "enrolling the GPT-SoVITS voice failed"
    "$ev" bench --voice gsv --voices "$voices" --text "$work/bench-text.txt" --runs "${runs:-2}" "${settings[@]}" 2>/dev/null \
      | grep -E '^voice|^\| chunk|^\| all|real-time|first audio|^\| [0-9]+ \| [0-9]+ \| [0-9.]+ \| [0-9.]+ \| [0-9]+ \|' | head -n 30
  fi

  echo "== Category=Gpu tests at $(elapsed) s"
  local sdk
  sdk=$(ls -d "$work"/dotnet/sdk/*/ | tail -n 1)
  export EDGEVOICE_GPU_REPORT=/tmp/edgevoice-gpu-figures.txt
  rm -f "$EDGEVOICE_GPU_REPORT"
  local results
  results=$("$work/dotnet/dotnet" exec "$sdk/vstest.console.dll" "$work/tests/EdgeVoice.Tests.dll" --TestCaseFilter:Category=Gpu 2>&1) || true
  grep -E 'Passed|Failed|Skipped|Total|rror' <<<"$results" | sed 's/^/  /' | tail -n 12 || true
  if [ -f "$EDGEVOICE_GPU_REPORT" ]; then sed 's/^/  /' "$EDGEVOICE_GPU_REPORT"; fi
  grep -Eq 'Failed: +0,' <<<"$results" || fail "the Category=Gpu tests did not pass"
  if [ -z "$dry" ] && grep -Eq 'Skipped: +[1-9]' <<<"$results"; then
    grep -m1 -A1 'SKIP\]' <<<"$results" || true
    fail "Category=Gpu tests were skipped on the GPU machine"
  fi
  echo "== done in $(elapsed) s"
}

report=${OUT:-$repo/artifacts}/check-gpu.txt
mkdir -p "$(dirname "$report")"
case "$mode" in
  stage) stage_parts ;;
  receive) receive_parts ;;
  run)
    exec > >(tee "$report") 2>&1
    echo "check-gpu $(date -u +%FT%TZ) on $(uname -m) $(hostname)${dry:+ (CPU dry run: every step but the provider)}"
    if [ -n "$dry" ]; then
      [ -n "$reuse" ] && [ -f "$stage/SHA256SUMS" ] || stage_parts
      rm -rf "$received"
      receive_parts
    fi
    run_checks
    echo "report: $report"
    ;;
esac
