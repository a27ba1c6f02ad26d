#!/usr/bin/env bash
# GPT-SoVITS at real size: time to first audio and peak RSS of a one-shot `edgevoice say`, N runs,
# medians (the machine is shared and noisy: one run means little). Not in CI.
#   bash scripts/gsv-first-audio.sh EDGEVOICE VOICES_DIR VOICE RUNS [extra edgevoice options...]
# Example (bundle from scripts/gen-gpt-sovits.py, voice enrolled as in docs/BENCHMARKS.md):
#   bash scripts/gsv-first-audio.sh src/EdgeVoice/bin/Release/net10.0/edgevoice /tmp/rs/voices real 5 \
#       --Voices:BundleDirectories:0=artifacts/gsv-real
set -euo pipefail
exe=$1 voices=$2 voice=$3 runs=$4
shift 4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for run in $(seq "$runs"); do
  /usr/bin/time -f "peak_kb %M" "$exe" say "Welcome to the central station." --voice "$voice" --voices "$voices" \
    --out "$work/say.wav" --GptSoVits:MaxTokens=60 --GptSoVits:Seed=1 "$@" >"$work/run.log" 2>&1 || { cat "$work/run.log"; exit 1; }
  first=$(sed -n 's/.*first audio after \([0-9]*\) ms.*/\1/p' "$work/run.log")
  peak=$(sed -n 's/^peak_kb \([0-9]*\)$/\1/p' "$work/run.log")
  echo "run $run: first audio $first ms, peak RSS $peak kB"
  echo "$first $peak" >>"$work/all"
done
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
echo "median of $runs: first audio $(cut -d' ' -f1 "$work/all" | median) ms, peak RSS $(cut -d' ' -f2 "$work/all" | median) kB"
