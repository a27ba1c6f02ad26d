#!/usr/bin/env bash
# Quick start: installs what the daemon needs (when run as root) and runs it with the embedded
# broker on 127.0.0.1:1883, the built-in espeak voice, and WAV files in ./audio-out when there is
# no sound card. Extra arguments go to `edgevoice serve` (for example --device kiosk).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh run
exec dotnet run --project src/EdgeVoice -c Release -- serve "$@"
