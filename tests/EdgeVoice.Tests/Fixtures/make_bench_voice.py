#!/usr/bin/python3
"""Writes a Piper-sized voice for `edgevoice bench`: random weights, Piper's exact inputs and
outputs, and a decoder shaped like Piper's "medium" quality (hidden 192, upsample rates 8,8,2,2
with kernels 16,16,4,4 from 512 channels, three residual blocks of kernel 3, 5 and 7 per stage).
It costs about the compute of a trained voice of that size; it does not speak. Not committed
(tens of megabytes): make it when benchmarking.

    /usr/bin/python3 make_bench_voice.py OUTPUT_DIR      (Debian's python3-onnx and python3-numpy)
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from make_piper_fixtures import PHONEME_ID_MAP

RATE = 22050
HIDDEN = 192
FRAMES_PER_ID = 3          # about 35 ms of audio per id (phonemes and the pads between them)
UPSAMPLE = [(8, 16), (8, 16), (2, 4), (2, 4)]
CHANNELS = 512
RESBLOCK_KERNELS = [3, 5, 7]

rng = np.random.default_rng(7)
nodes, weights = [], []
counter = [0]


def name(prefix):
    counter[0] += 1
    return f"{prefix}_{counter[0]}"


def weight(shape, fan_in):
    w = numpy_helper.from_array((rng.standard_normal(shape) / np.sqrt(fan_in)).astype(np.float32), name("w"))
    weights.append(w)
    return w.name


def conv(x, cin, cout, k, dilation=1):
    out = name("conv")
    nodes.append(helper.make_node("Conv", [x, weight([cout, cin, k], cin * k), weight([cout], cin * k)], [out],
                                  pads=[dilation * (k - 1) // 2] * 2, dilations=[dilation]))
    return out


def leaky(x):
    out = name("lrelu")
    nodes.append(helper.make_node("LeakyRelu", [x], [out], alpha=0.1))
    return out


def add(a, b):
    out = name("add")
    nodes.append(helper.make_node("Add", [a, b], [out]))
    return out


def build():
    nodes.append(helper.make_node("Gather", [weight([256, HIDDEN], 1), "input"], ["emb"], axis=0))
    nodes.append(helper.make_node("Transpose", ["emb"], ["x0"], perm=[0, 2, 1]))
    x = "x0"
    for _ in range(4):  # text encoder stand-in
        x = add(x, leaky(conv(x, HIDDEN, HIDDEN, 5)))
    # durations: FRAMES_PER_ID frames a phoneme, times length_scale
    consts = [
        ("frames", np.array(float(FRAMES_PER_ID), np.float32)), ("one_s", np.array(1, np.int64)),
        ("len_idx", np.array(1, np.int64)), ("axes0", np.array([0], np.int64)), ("head", np.array([1, HIDDEN], np.int64)),
        ("zero_s", np.array(0, np.int64)),
    ]
    for n, v in consts:
        weights.append(numpy_helper.from_array(v, n))
    nodes.extend([
        helper.make_node("Shape", ["input"], ["shape"]),
        helper.make_node("Gather", ["shape", "len_idx"], ["n"], axis=0),
        helper.make_node("Cast", ["n"], ["n_f"], to=TensorProto.FLOAT),
        helper.make_node("Gather", ["scales", "one_s"], ["length_scale"], axis=0),
        helper.make_node("Mul", ["n_f", "frames"], ["f1"]),
        helper.make_node("Mul", ["f1", "length_scale"], ["f2"]),
        helper.make_node("Ceil", ["f2"], ["f3"]),
        helper.make_node("Cast", ["f3"], ["t"], to=TensorProto.INT64),
        helper.make_node("Unsqueeze", ["t", "axes0"], ["t1"]),
        helper.make_node("Concat", ["head", "t1"], ["sizes"], axis=0),
        helper.make_node("Resize", [x, "", "", "sizes"], ["frames_x"], mode="nearest"),
        helper.make_node("Greater", ["input_lengths", "zero_s"], ["has_len"]),
    ])
    x = conv("frames_x", HIDDEN, CHANNELS, 7)
    channels = CHANNELS
    for rate, kernel in UPSAMPLE:  # HiFi-GAN style decoder
        out = name("up")
        cout = channels // 2
        nodes.append(helper.make_node("ConvTranspose", [leaky(x), weight([channels, cout, kernel], channels * kernel), weight([cout], channels * kernel)],
                                      [out], strides=[rate], pads=[(kernel - rate) // 2] * 2))
        channels, x = cout, out
        blocks = []
        for k in RESBLOCK_KERNELS:
            y = x
            for dilation in (1, 3):
                y = add(y, conv(leaky(y), channels, channels, k, dilation))
            blocks.append(y)
        total = add(add(blocks[0], blocks[1]), blocks[2])
        x = name("avg")
        weights.append(numpy_helper.from_array(np.array(1 / 3, np.float32), x + "_c"))
        nodes.append(helper.make_node("Mul", [total, x + "_c"], [x]))
    post = conv(leaky(x), channels, 1, 7)
    nodes.append(helper.make_node("Tanh", [post], ["audio"]))
    nodes.append(helper.make_node("Unsqueeze", ["audio", "axes0"], ["output"]))
    inputs = [
        helper.make_tensor_value_info("input", TensorProto.INT64, ["batch_size", "phonemes"]),
        helper.make_tensor_value_info("input_lengths", TensorProto.INT64, ["batch_size"]),
        helper.make_tensor_value_info("scales", TensorProto.FLOAT, [3]),
    ]
    graph = helper.make_graph(nodes, "piper_bench", inputs, [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 1, 1, "time"])], initializer=weights)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 15)], producer_name="edgevoice-bench")
    model.ir_version = 8
    return model


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "bench-voices"
    os.makedirs(out, exist_ok=True)
    model = build()
    onnx.checker.check_model(model)
    path = os.path.join(out, "en_US-bench-medium.onnx")
    onnx.save(model, path)
    config = {"audio": {"sample_rate": RATE, "quality": "medium"}, "espeak": {"voice": "en-us"}, "phoneme_type": "espeak",
              "phoneme_id_map": PHONEME_ID_MAP, "num_symbols": 256, "num_speakers": 1,
              "inference": {"noise_scale": 0.667, "length_scale": 1.0, "noise_w": 0.8}, "language": {"code": "en_US"}}
    with open(path + ".json", "w", encoding="utf-8") as f:
        json.dump(config, f, ensure_ascii=False)
    params = sum(int(np.prod(w.dims)) for w in model.graph.initializer)
    print(f"{path}: {params / 1e6:.1f} M parameters, {os.path.getsize(path) / 1e6:.0f} MB")
