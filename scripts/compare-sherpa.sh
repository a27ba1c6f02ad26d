#!/usr/bin/env bash
# EdgeVoice against sherpa-onnx on the same Piper model and text, in one run (see compare-sherpa.js).
#   bash scripts/compare-sherpa.sh [MODEL_DIR] [TEXT] [RUNS] [EDGEVOICE OPTIONS...]
# MODEL_DIR defaults to out/piper-medium (made by scripts/gen-piper.py if missing). Installs
# sherpa-onnx-node from npm into out/sherpa-node (git-ignored). Not in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-out/piper-medium}
text=${2:-docs/bench-text.txt}
runs=${3:-3}
shift $(($# < 3 ? $# : 3))
[ -f "$model/voices/en_US-real-medium.onnx" ] || /usr/bin/python3 scripts/gen-piper.py "$model"
if [ ! -d out/sherpa-node/node_modules/sherpa-onnx-node ]; then
  mkdir -p out/sherpa-node
  (cd out/sherpa-node && npm init -y >/dev/null && npm install --no-audit --no-fund sherpa-onnx-node@1.13.8)
fi
dotnet build src/EdgeVoice -c Release -v q -nologo >/dev/null
node scripts/compare-sherpa.js "$model" "$text" "$runs" "$@"
