#!/usr/bin/env bash
# Publishes the daemon with Native AOT for linux-x64 and fails on any trim or AOT warning, then runs
# the native binary: one utterance to a WAV file, every fixture voice loaded through ONNX Runtime,
# the Text stage, the engine-cache check, and the daemon end to end over MQTT (request in, finished
# event and WAV file out, clean stop on SIGTERM), then the process integration tests against it.
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "check-aot: $*" >&2; exit 1; }

# Native AOT links with clang and needs zlib's headers.
if ! command -v clang >/dev/null || [ ! -f /usr/include/zlib.h ]; then
  [ "$(id -u)" -eq 0 ] || fail "Native AOT needs clang and zlib1g-dev: sudo apt-get install clang zlib1g-dev"
  install() { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang zlib1g-dev >/dev/null; }
  install || { apt-get update -qq && install; } || fail "could not install clang and zlib1g-dev"
fi

out=artifacts/publish/linux-x64-aot
log=$(mktemp)
dotnet publish src/EdgeVoice -c Release -r linux-x64 -p:PublishAot=true -o "$out" --nologo >"$log" 2>&1 || { cat "$log"; fail "the AOT publish failed"; }
if grep -E ': warning [A-Z]+[0-9]+' "$log" | sort -u | grep .; then
  fail "the AOT publish has warnings (above)"
fi

binary=$out/edgevoice
work=$(mktemp -d)
"$binary" say "The native build speaks." --out "$work/aot.wav" 2>/dev/null || fail "edgevoice say failed"
[ "$(head -c 4 "$work/aot.wav")" = RIFF ] || fail "edgevoice say wrote no WAV file"
[ "$(stat -c %s "$work/aot.wav")" -gt 10000 ] || fail "edgevoice say wrote an almost empty WAV file"
"$binary" voices --voices tests/EdgeVoice.Tests/Fixtures/piper --json >"$work/voices.json" 2>/dev/null || fail "a fixture voice did not load"
grep -q '"engine": *"piper"' "$work/voices.json" || fail "no Piper voice listed"
"$binary" text "Call me at 7:05 pm on my iPhone15." | grep -q "iPhone fifteen" || fail "the Text stage did not run"
# GPT-SoVITS: enroll from a clip espeak-ng speaks (WAV, DSP, ssl/vq, .npy cache), load it from the cache, speak.
"$binary" say "Hello there, this is a short reference clip for the native build's voice cloning check." --out "$work/ref.wav" 2>/dev/null || fail "no reference clip"
"$binary" voices enroll clone --bundle tests/EdgeVoice.Tests/Fixtures/gpt-sovits/min --ref "$work/ref.wav" \
  --ref-text "Hello there, this is a short reference clip." --lang en --voices "$work/gsv" >/dev/null 2>&1 || fail "voices enroll failed"
[ -f "$work/gsv/clone/features/refer_spec.npy" ] || fail "enroll wrote no speaker features"
"$binary" say "The cloned voice speaks." --voice clone --voices "$work/gsv" --out "$work/clone.wav" \
  "--Voices:BundleDirectories:0=$PWD/tests/EdgeVoice.Tests/Fixtures/gpt-sovits" 2>/dev/null || fail "the GPT-SoVITS voice did not speak"
[ "$(stat -c %s "$work/clone.wav")" -gt 10000 ] || fail "the GPT-SoVITS voice wrote an almost empty WAV file"
"$binary" engines check --voices tests/EdgeVoice.Tests/Fixtures/piper "--Inference:TensorRt:EngineCacheDirectory=$work/engines" >/dev/null && fail "engines check passed with no engines"
# The daemon itself, end to end over MQTT: embedded broker, a request in, a finished event and a WAV file out.
command -v mosquitto_pub >/dev/null || { [ "$(id -u)" -eq 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mosquitto-clients >/dev/null; } \
  || fail "the MQTT check needs mosquitto-clients"
port=18932
"$binary" serve --Mqtt:EmbeddedPort=$port --device aot-check --sink "wav:$work/out" >"$work/serve.log" 2>&1 &
daemon=$!
trap 'kill $daemon 2>/dev/null || true' EXIT
for _ in $(seq 50); do mosquitto_sub -V 5 -p $port -t 'edgevoice/aot-check/availability' -C 1 -W 1 2>/dev/null | grep -q online && break; sleep 0.2; done
mosquitto_sub -V 5 -p $port -t 'edgevoice/aot-check/events' -C 3 -W 30 >"$work/events" 2>/dev/null &
listener=$!
sleep 0.5
mosquitto_pub -V 5 -p $port -t 'edgevoice/aot-check/say' -m '{"id":"aot-1","text":"The native daemon speaks over MQTT."}'
wait $listener || { cat "$work/serve.log" >&2; fail "no events from the native daemon"; }
grep -q '"event":"finished"' "$work/events" || { cat "$work/events" >&2; fail "the native daemon did not finish the request"; }
ls "$work/out"/*.wav >/dev/null 2>&1 || fail "the native daemon wrote no WAV file"
kill -TERM $daemon && wait $daemon || fail "the native daemon did not stop cleanly on SIGTERM"
trap - EXIT

# The integration tests that run the daemon as a process (serve over Mosquitto with espeak, Piper and
# GPT-SoVITS voices, SIGTERM, say, enroll, bad settings), against the native binary.
EDGEVOICE_BINARY="$PWD/$binary" dotnet test tests/EdgeVoice.IntegrationTests -c Release --filter "FullyQualifiedName~DaemonProcessTests|FullyQualifiedName~WyomingServerTests" --nologo -v q \
  || fail "the process integration tests failed against the native binary"

echo "aot checked: $binary ($(du -m "$binary" | cut -f1) MiB, no warnings, process integration tests passed)"
