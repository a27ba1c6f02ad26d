#!/usr/bin/env bash
# Builds an INT8 (with FP16 fallback) TensorRT engine for one model of a voice, calibrated on samples
# that `edgevoice engines calibrate` made from a text list through the voice's own frontend:
#   edgevoice engines calibrate --voice NAME --texts texts.txt --out samples
#   tensorrt/build-int8.sh MODEL.onnx samples/<model> [ENGINE] [--opt 128] [--max 512]
# Polygraphy (pip install polygraphy, with TensorRT's Python bindings from JetPack) calibrates and writes
# the calibration cache beside the engine; trtexec --calib=CACHE or Inference:TensorRt:Int8CalibrationTable
# reuse it. Shape profiles come from the model's inputs, as for FP16.
set -euo pipefail
model=${1:?usage: build-int8.sh MODEL.onnx SAMPLES [ENGINE] [--opt N] [--max N]}
samples=${2:?usage: build-int8.sh MODEL.onnx SAMPLES [ENGINE] [--opt N] [--max N]}
shift 2
engine=${model%.onnx}.int8.engine
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then engine=$1; shift; fi
edgevoice=${EDGEVOICE:-edgevoice}
here=$(cd "$(dirname "$0")" && pwd)
command -v polygraphy >/dev/null || { echo "build-int8.sh: polygraphy not found (pip install polygraphy)" >&2; exit 1; }
[ -d "$samples" ] || { echo "build-int8.sh: no samples folder $samples (make it with edgevoice engines calibrate)" >&2; exit 1; }
profile=$("$edgevoice" engines profile "$model" "$@")
value() { sed -n "s/^Inference:TensorRt:Profile$1Shapes=//p" <<<"$profile" | tr ',' ' '; }
# Polygraphy takes name:[d0,d1,...]; edgevoice prints name:d0xd1x...
shapes() { for s in $(value "$1"); do echo -n " ${s%%:*}:[$(tr 'x' ',' <<<"${s#*:}")]"; done; }
cache=${engine%.engine}.calibration.cache
EDGEVOICE_CALIBRATION_SAMPLES=$samples polygraphy convert "$model" --int8 --fp16 \
  --data-loader-script "$here/samples_loader.py" --calibration-cache "$cache" \
  --trt-min-shapes$(shapes Min) --trt-opt-shapes$(shapes Opt) --trt-max-shapes$(shapes Max) \
  -o "$engine"
echo "built $engine (calibration cache $cache)"
