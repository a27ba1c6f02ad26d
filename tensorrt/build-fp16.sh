#!/usr/bin/env bash
# Builds an FP16 TensorRT engine for one model of a voice with trtexec, with shape profiles read from
# the model's own inputs (edgevoice engines profile: batch 1, dynamic axes 1..OPT..MAX).
#   tensorrt/build-fp16.sh MODEL.onnx [ENGINE] [--opt 128] [--max 512]
# Needs trtexec (JetPack: /usr/src/tensorrt/bin/trtexec) and edgevoice on PATH (or EDGEVOICE=...).
set -euo pipefail
model=${1:?usage: build-fp16.sh MODEL.onnx [ENGINE] [--opt N] [--max N]}
shift
engine=${model%.onnx}.fp16.engine
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then engine=$1; shift; fi
edgevoice=${EDGEVOICE:-edgevoice}
trtexec=${TRTEXEC:-$(command -v trtexec || echo /usr/src/tensorrt/bin/trtexec)}
[ -x "$trtexec" ] || { echo "build-fp16.sh: trtexec not found (set TRTEXEC)" >&2; exit 1; }
command=$("$edgevoice" engines profile "$model" "$@" | grep '^trtexec ')
command=${command/trtexec /"$trtexec" }
command=${command/--saveEngine=* --minShapes/--saveEngine=$engine --minShapes}
echo "$command"
eval "$command"
echo "built $engine"
