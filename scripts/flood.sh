#!/usr/bin/env bash
# Hostile-input flood: the daemon as its own process (espeak voice, WAV sink into a temporary folder,
# no rate limit) against a local Mosquitto, sent ROUNDS rounds of 10,000 hostile payloads (nested
# <p>, 10 s breaks, huge pause markers, broken JSON, lone surrogates, oversized and non-UTF-8
# payloads on say, cancel and hermes/tts/say). Prints the daemon's RSS before and after each round
# and the growth, and fails when it exceeds LIMIT_MB (100). Needs: a Release build
# (dotnet build src/EdgeVoice -c Release), mosquitto, mosquitto_pub/_sub, python3.
# Usage: scripts/flood.sh [ROUNDS=3]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
limit_mb=${LIMIT_MB:-100}
port=${FLOOD_PORT:-18883}
dll=src/EdgeVoice/bin/Release/net10.0/edgevoice.dll
[[ -f $dll ]] || { echo "flood: build first: dotnet build src/EdgeVoice -c Release" >&2; exit 2; }
work=$(mktemp -d /tmp/edgevoice-flood.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

python3 - "$work" <<'PY'
import json, random, sys
work = sys.argv[1]
rnd = random.Random(14)
say, cancel, hermes = [], [], []
nested = "<speak>" + "<p>" * 700 + "Hi." + "</p>" * 700 + "</speak>"
breaks = "<speak>" + "Hi<break time=\"10s\"/>" * 1000 + "</speak>"
markers = "Hi [pause_999999ms] [lbreak] " * 500
for i in range(2800): say.append(json.dumps({"id": f"p{i}", "text": nested, "format": "ssml"}).encode())
for i in range(1000): say.append(json.dumps({"id": f"b{i}", "text": breaks, "format": "ssml"}).encode())
for i in range(1000): say.append(json.dumps({"id": f"m{i}", "text": markers}).encode())
for i in range(1000): say.append(rnd.choice([b'{"text": "no end', b'{"text": 1e999}', b'[[[[[[[[[[', b'{"id": {"a": [1, {"b": null}]}}', b'{"text": "x", "speed": "fast"}']))
for i in range(1000): say.append(rnd.choice([b'{"id": "\\ud800", "text": "Hi."}', b'{"text": "Hi \\udc00."}', b'{"text": "Hi.", "voice": "\\udfff"}']))
for i in range(500): say.append(json.dumps({"text": "x" * 70_000}).encode())
for i in range(500): say.append(b'{"text": "caf\xc3 \xff\xfe"}')
for i in range(1000): say.append(json.dumps({"id": f"ok{i}", "text": "Hello."}).encode())
for i in range(600): cancel.append(rnd.choice([b'{"id": "\\ud800"}', b'{"id": 7}', b'{"id": "nope"}', b'\xff\xfe', b'{{{{']))
for i in range(600): hermes.append(rnd.choice([b'{"text": "Hi.", "siteId": "\\ud800"}', b'{"text": "<p>' * 50 + b'"}', b'{"text": "Hi.", "siteId": "default", "id": "h' + str(i).encode() + b'"}', b'not json']))
rnd.shuffle(say)
for name, lines in (("say", say), ("cancel", cancel), ("hermes", hermes)):
    with open(f"{work}/{name}.txt", "wb") as f:
        f.write(b"\n".join(lines) + b"\n")
print(f"flood: {len(say) + len(cancel) + len(hermes)} payloads a round", file=sys.stderr)
PY

# No queue limit in the broker, so every payload reaches the daemon (the default drops beyond 1,000 queued).
printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\nmax_inflight_messages 0\n' "$port" >"$work/mosquitto.conf"
mosquitto -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 & pids+=($!)
sleep 0.5
dotnet "$dll" serve --broker "mqtt://127.0.0.1:$port" --device flood --sink "wav:$work/wav" \
    --Limits:RequestsPerSecond=0 --Mqtt:DuplicateWindowSeconds=0 --Audio:WavKeepFiles=5 --voices "$work/voices" \
    --Logging:LogLevel:Default=Warning >"$work/daemon.log" 2>&1 & daemon=$!; pids+=($daemon)
mosquitto_sub -p "$port" -t 'edgevoice/flood/events' -t 'hermes/tts/#' >"$work/events.txt" 2>/dev/null & pids+=($!)
for _ in $(seq 100); do grep -q online <(mosquitto_sub -p "$port" -t edgevoice/flood/availability -C 1 -W 1 2>/dev/null || true) && break; sleep 0.2; done

rss() { awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$daemon/status"; }
settle() { # until no event for 5 s
    local last=-1 now
    while now=$(wc -l <"$work/events.txt"); [[ $now != "$last" ]]; do last=$now; sleep 5; done
}
send() {
    mosquitto_pub -p "$port" -q 1 -t edgevoice/flood/say -l <"$work/say.txt"
    mosquitto_pub -p "$port" -q 1 -t edgevoice/flood/cancel -l <"$work/cancel.txt"
    mosquitto_pub -p "$port" -q 1 -t hermes/tts/say -l <"$work/hermes.txt"
}
# Warm-up: one round's worth of the valid requests, so the JIT and the voice are loaded.
head -c 20000 "$work/say.txt" | mosquitto_pub -p "$port" -q 1 -t edgevoice/flood/say -l || true
settle
start=$(rss)
echo "flood: RSS before: ${start} MiB"
for round in $(seq "$rounds"); do
    began=$(date +%s)
    send
    settle
    kill -0 "$daemon" || { echo "flood: the daemon died" >&2; tail -20 "$work/daemon.log" >&2; exit 1; }
    echo "flood: round $round: RSS ${start} -> $(rss) MiB, $(wc -l <"$work/events.txt") events so far, $(( $(date +%s) - began )) s"
done
end=$(rss)
growth=$(( end - start ))
codes=$(grep -o '"\(code\|event\)":"[a-z_]*"' "$work/events.txt" | sort | uniq -c | sort -rn | tr -s ' \n' ' ')
echo "flood: codes: $codes"
echo "flood: RSS growth over $rounds rounds: ${growth} MiB (limit ${limit_mb})"
(( growth < limit_mb ))
