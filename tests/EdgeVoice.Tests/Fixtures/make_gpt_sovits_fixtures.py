#!/usr/bin/python3
"""Writes small GPT-SoVITS test bundles in gpt-sovits/: ONNX graphs with the exact input and output
names, element types and dynamic dimensions of the minimal runtime's export (ssl, vq_encoder,
gpt_encoder, gpt_step, sovits; see the voice contract), a config.json with a symbol table, and the
official exporter's four graphs with its <name>.json.

The graphs are not a neural voice; each does something simple that tests can check:
- ssl: one 768-wide feature per 320 samples (mean and RMS of the frame times fixed weights);
- vq_encoder: every second frame to a code in 0..1023;
- gpt_encoder: the KV cache rows are the phoneme ids then the prompt tokens (k = value, v = 2 * value),
  and the first token is (sum of the cache / (layers * width)) mod 1000 + 1;
- gpt_step: writes the sampled token into row x_len + y_len + idx of both caches, and proposes the next
  token from the whole cache in the same way, so a token sequence depends on every row kept; EOS (1024)
  once idx + 1 reaches 2 * x_len. `min-endless` never says EOS;
- sovits: 1280 samples per token, a tone whose pitch follows the token.
`min-export` reproduces the wiring of the minimal exporter's real v2 graphs: its sovits has no
`noise_scale`, and the input named `speed` multiplies the prior noise (tone + randn * 0.1 * speed, the
shape of z_p = m_p + randn * exp(logs_p) * noise_scale); gpt_encoder has no `phoneme_ids_len`; every
dimension of 1 is a symbolic name (`batch_size` first, `one` elsewhere), and ssl and vq_encoder name
their input and output time axes alike (`time`).
`min-fp16` is `min` with float16 inputs and outputs, as the exporter's onnx_to_fp16.py leaves a bundle.
Each graph's top-50 candidates are the target and its neighbours, scored -|id - target|.

Run with Debian's python3-onnx:  /usr/bin/python3 make_gpt_sovits_fixtures.py
"""
import json
import math
import os
import shutil

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gpt-sovits")
LAYERS = 2
WIDTH = 8
VOCAB = 1025
EOS = 1024
SAMPLES_PER_TOKEN = 1280
OPSET = 17
EXPORT = False  # set while writing min-export: dims of 1 become symbolic names, time axes named alike

ARPABET_VOWELS = ["AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW", "OY", "UH", "UW"]
ARPABET_CONSONANTS = ["B", "CH", "D", "DH", "F", "G", "HH", "JH", "K", "L", "M", "N", "NG", "P", "R", "S", "SH", "T", "TH", "V", "W", "Y", "Z", "ZH"]
ZH_INITIALS = ["b", "c", "ch", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "q", "r", "s", "sh", "t", "w", "x", "y", "z", "zh", "AA", "EE", "OO"]
ZH_FINALS = ["a", "ai", "an", "ang", "ao", "e", "E", "ei", "en", "eng", "er", "i", "i0", "ia", "ian", "iang", "iao", "ie", "in", "ing",
             "iong", "ir", "iu", "o", "ong", "ou", "u", "ua", "uai", "uan", "uang", "ui", "un", "uo", "v", "van", "ve", "vn"]


def symbol_table():
    """The ids the contract names, the rest numbered in order (a test table, not the real one)."""
    fixed = {"!": 0, ",": 1, "-": 2, ".": 3, "?": 4, "SP": 77, "UNK": 86, "_": 95, "a1": 97, "…": 321}
    names = [f + str(t) for f in ZH_FINALS for t in range(1, 6)] + ZH_INITIALS
    names += [v + str(s) for v in ARPABET_VOWELS for s in range(3)] + ARPABET_CONSONANTS + ["SP2", "SP3"]
    table = dict(fixed)
    free = (i for i in range(1000) if i not in fixed.values())
    for name in names:
        if name not in table:
            table[name] = next(free)
    return table


def const(name, values, dtype=TensorProto.FLOAT, dims=None):
    array = np.array(values, dtype=np.float32 if dtype == TensorProto.FLOAT else np.int64)
    if dims is not None:
        array = array.reshape(dims)
    return helper.make_node("Constant", [], [name], value=numpy_helper.from_array(array, name + "_v"))


def symbolic(values):
    """The exporter's dims: a fixed 1 becomes `batch_size` (first axis) or `one`; ssl/vq time axes are all `time`."""
    for value in values:
        for axis, dim in enumerate(value.type.tensor_type.shape.dim):
            if dim.HasField("dim_value") and dim.dim_value == 1:
                dim.dim_param = "batch_size" if axis == 0 else "one"
            elif dim.HasField("dim_param") and dim.dim_param in ("frames", "codes"):
                dim.dim_param = "time"


def save(nodes, name, inputs, outputs, folder, file):
    if EXPORT:
        symbolic(inputs)
        symbolic(outputs)
    graph = helper.make_graph(nodes, name, inputs, outputs)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="edgevoice-fixtures")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(folder, file))


def info(name, dtype, dims):
    return helper.make_tensor_value_info(name, dtype, dims)


def candidates(target, prefix):
    """Top-50 of logits -|id - target| over the vocabulary: [1,50] values and indices."""
    return [
        const(prefix + "vocab", list(range(VOCAB)), TensorProto.INT64),
        helper.make_node("Sub", [prefix + "vocab", target], [prefix + "dist"]),
        helper.make_node("Abs", [prefix + "dist"], [prefix + "absdist"]),
        helper.make_node("Cast", [prefix + "absdist"], [prefix + "absdist_f"], to=TensorProto.FLOAT),
        helper.make_node("Neg", [prefix + "absdist_f"], [prefix + "logits1"]),
        const(prefix + "row", [0], TensorProto.INT64),
        helper.make_node("Unsqueeze", [prefix + "logits1", prefix + "row"], [prefix + "logits"]),
        const(prefix + "k", [50], TensorProto.INT64),
        helper.make_node("TopK", [prefix + "logits", prefix + "k"], ["topk_values", "topk_indices"], axis=1),
    ]


def next_token(k, v, prefix):
    """(sum(k) + sum(v)) / (layers * width), floored, mod 1000, + 1: an int64 scalar."""
    return [
        helper.make_node("ReduceSum", [k], [prefix + "ks"], keepdims=0),
        helper.make_node("ReduceSum", [v], [prefix + "vs"], keepdims=0),
        helper.make_node("Add", [prefix + "ks", prefix + "vs"], [prefix + "s"]),
        const(prefix + "norm", [float(LAYERS * WIDTH)], dims=[]),
        helper.make_node("Div", [prefix + "s", prefix + "norm"], [prefix + "mean"]),
        helper.make_node("Floor", [prefix + "mean"], [prefix + "fl"]),
        helper.make_node("Cast", [prefix + "fl"], [prefix + "fl_i"], to=TensorProto.INT64),
        const(prefix + "thousand", [1000], TensorProto.INT64, dims=[]),
        helper.make_node("Mod", [prefix + "fl_i", prefix + "thousand"], [prefix + "m"]),
        const(prefix + "one", [1], TensorProto.INT64, dims=[]),
        helper.make_node("Add", [prefix + "m", prefix + "one"], [prefix + "token"]),
    ]


def ssl(folder):
    weights = np.stack([np.linspace(-1, 1, 768), np.cos(np.arange(768) / 50.0)]).astype(np.float32)
    nodes = [
        helper.make_node("Shape", ["audio"], ["shape"]),
        const("one_idx", 1, TensorProto.INT64, dims=[]),
        helper.make_node("Gather", ["shape", "one_idx"], ["time"], axis=0),
        const("hop", 320, TensorProto.INT64, dims=[]),
        helper.make_node("Div", ["time", "hop"], ["frames"]),
        helper.make_node("Mul", ["frames", "hop"], ["used"]),
        const("zero1", [0], TensorProto.INT64), const("ax1", [1], TensorProto.INT64), const("ax0", [0], TensorProto.INT64),
        helper.make_node("Unsqueeze", ["used", "ax0"], ["used1"]),
        helper.make_node("Slice", ["audio", "zero1", "used1", "ax1"], ["cut"]),
        const("frame_shape", [-1, 320], TensorProto.INT64),
        helper.make_node("Reshape", ["cut", "frame_shape"], ["framed"]),
        helper.make_node("ReduceMean", ["framed"], ["mean"], axes=[1], keepdims=1),
        helper.make_node("ReduceL2", ["framed"], ["l2"], axes=[1], keepdims=1),
        helper.make_node("Concat", ["mean", "l2"], ["stats"], axis=1),
        helper.make_node("Constant", [], ["w"], value=numpy_helper.from_array(weights, "w_v")),
        helper.make_node("MatMul", ["stats", "w"], ["feat"]),
        helper.make_node("Transpose", ["feat"], ["feat_t"], perm=[1, 0]),
        helper.make_node("Unsqueeze", ["feat_t", "ax0"], ["last_hidden_state"]),
    ]
    save(nodes, "ssl", [info("audio", TensorProto.FLOAT, [1, "time"])],
         [info("last_hidden_state", TensorProto.FLOAT, [1, 768, "frames"])], folder, "ssl.onnx")


def vq_encoder(folder):
    nodes = [
        const("start", [0], TensorProto.INT64), const("end", [1 << 30], TensorProto.INT64),
        const("axis", [2], TensorProto.INT64), const("step", [2], TensorProto.INT64),
        helper.make_node("Slice", ["ssl_content", "start", "end", "axis", "step"], ["half"]),
        const("feature_axis", [1], TensorProto.INT64),
        helper.make_node("ReduceSum", ["half", "feature_axis"], ["sum"], keepdims=1),
        helper.make_node("Abs", ["sum"], ["abs"]),
        const("scale", [997.0], dims=[]),
        helper.make_node("Mul", ["abs", "scale"], ["scaled"]),
        helper.make_node("Cast", ["scaled"], ["scaled_i"], to=TensorProto.INT64),
        const("vocab", 1024, TensorProto.INT64, dims=[]),
        helper.make_node("Mod", ["scaled_i", "vocab"], ["codes"]),
    ]
    save(nodes, "vq_encoder", [info("ssl_content", TensorProto.FLOAT, [1, 768, "time"])],
         [info("codes", TensorProto.INT64, [1, 1, "codes"])], folder, "vq_encoder.onnx")


def gpt_encoder(folder, lengths=True):
    nodes = [
        helper.make_node("Concat", ["phoneme_ids", "prompts"], ["seq"], axis=1),
        helper.make_node("Cast", ["seq"], ["seq_f"], to=TensorProto.FLOAT),
        const("col", [-1, 1], TensorProto.INT64),
        helper.make_node("Reshape", ["seq_f", "col"], ["seq_col"]),
        const("wide", [1, WIDTH], TensorProto.INT64),
        helper.make_node("Expand", ["seq_col", "wide"], ["rows"]),
        const("cache_shape", [1, 1, -1, WIDTH], TensorProto.INT64),
        helper.make_node("Reshape", ["rows", "cache_shape"], ["one_layer"]),
        const("layers", [LAYERS, 1, 1, 1], TensorProto.INT64),
        helper.make_node("Tile", ["one_layer", "layers"], ["k_cache"]),
        const("two", [2.0], dims=[]),
        helper.make_node("Mul", ["k_cache", "two"], ["v_cache"]),
        helper.make_node("Shape", ["phoneme_ids"], ["xs"]),
        helper.make_node("Shape", ["prompts"], ["ys"]),
        const("i1", [1], TensorProto.INT64), const("i2", [2], TensorProto.INT64),
        helper.make_node("Slice", ["xs", "i1", "i2"], ["x_len"]),
        helper.make_node("Slice", ["ys", "i1", "i2"], ["y_len"]),
    ] + next_token("k_cache", "v_cache", "n_") + candidates("n_token", "c_")
    inputs = [
        info("phoneme_ids", TensorProto.INT64, [1, "text_len"]),
    ] + ([info("phoneme_ids_len", TensorProto.INT64, [1])] if lengths else []) + [
        info("prompts", TensorProto.INT64, [1, "prompt_len"]),
        info("bert_feature", TensorProto.FLOAT, [1, 1024, "text_len"]),
    ]
    outputs = [
        info("topk_values", TensorProto.FLOAT, [1, 50]), info("topk_indices", TensorProto.INT64, [1, 50]),
        info("k_cache", TensorProto.FLOAT, [LAYERS, 1, "max_len", WIDTH]), info("v_cache", TensorProto.FLOAT, [LAYERS, 1, "max_len", WIDTH]),
        info("x_len", TensorProto.INT64, [1]), info("y_len", TensorProto.INT64, [1]),
    ]
    save(nodes, "gpt_encoder", inputs, outputs, folder, "gpt_encoder.onnx")


def gpt_step(folder, eos):
    nodes = [
        helper.make_node("Add", ["x_len", "y_len"], ["xy"]),
        helper.make_node("Add", ["xy", "idx"], ["row"]),
        helper.make_node("Shape", ["k_cache"], ["cs"]),
        const("two_idx", 2, TensorProto.INT64, dims=[]),
        helper.make_node("Gather", ["cs", "two_idx"], ["max_len"], axis=0),
        const("zero", 0, TensorProto.INT64, dims=[]), const("one", 1, TensorProto.INT64, dims=[]),
        helper.make_node("Range", ["zero", "max_len", "one"], ["positions"]),
        helper.make_node("Equal", ["positions", "row"], ["at"]),
        helper.make_node("Cast", ["at"], ["at_f"], to=TensorProto.FLOAT),
        const("mask_shape", [1, 1, -1, 1], TensorProto.INT64),
        helper.make_node("Reshape", ["at_f", "mask_shape"], ["mask"]),
        const("onef", [1.0], dims=[]),
        helper.make_node("Sub", ["onef", "mask"], ["keep"]),
        helper.make_node("Cast", ["samples"], ["sample_f"], to=TensorProto.FLOAT),
        const("scalar_shape", [1, 1, 1, 1], TensorProto.INT64),
        helper.make_node("Reshape", ["sample_f", "scalar_shape"], ["value"]),
        helper.make_node("Mul", ["mask", "value"], ["k_row"]),
        const("twof", [2.0], dims=[]),
        helper.make_node("Mul", ["k_row", "twof"], ["v_row"]),
        helper.make_node("Mul", ["k_cache", "keep"], ["k_kept"]),
        helper.make_node("Mul", ["v_cache", "keep"], ["v_kept"]),
        helper.make_node("Add", ["k_kept", "k_row"], ["k_cache_new"]),
        helper.make_node("Add", ["v_kept", "v_row"], ["v_cache_new"]),
    ] + next_token("k_cache_new", "v_cache_new", "n_")
    if eos:
        nodes += [
            helper.make_node("Add", ["idx", "one"], ["steps"]),
            const("two_i", 2, TensorProto.INT64, dims=[]),
            helper.make_node("Mul", ["x_len", "two_i"], ["stop_at"]),
            helper.make_node("GreaterOrEqual", ["steps", "stop_at"], ["stop"]),
            const("eos", [EOS], TensorProto.INT64),
            helper.make_node("Reshape", ["n_token", "one_shape"], ["n_token1"]),
            const("one_shape", [1], TensorProto.INT64),
            helper.make_node("Where", ["stop", "eos", "n_token1"], ["target1"]),
            helper.make_node("Reshape", ["target1", "empty"], ["target"]),
            const("empty", [], TensorProto.INT64, dims=[0]),
        ]
        target = "target"
    else:
        target = "n_token"
    nodes += candidates(target, "c_")
    cache = [LAYERS, 1, "max_len", WIDTH]
    inputs = [
        info("samples", TensorProto.INT64, [1, 1]),
        info("k_cache", TensorProto.FLOAT, cache), info("v_cache", TensorProto.FLOAT, cache),
        info("x_len", TensorProto.INT64, [1]), info("y_len", TensorProto.INT64, [1]), info("idx", TensorProto.INT64, [1]),
    ]
    outputs = [
        info("topk_values", TensorProto.FLOAT, [1, 50]), info("topk_indices", TensorProto.INT64, [1, 50]),
        info("k_cache_new", TensorProto.FLOAT, cache), info("v_cache_new", TensorProto.FLOAT, cache),
    ]
    # Constants are defined before use: move them to the front.
    nodes = [n for n in nodes if n.op_type == "Constant"] + [n for n in nodes if n.op_type != "Constant"]
    save(nodes, "gpt_step", inputs, outputs, folder, "gpt_step.onnx")


def tone(tokens_in, out, out_dims):
    """1280 samples per token: 0.3 * sin(2 pi (200 + 25 * (token mod 16)) n / 32000)."""
    return [
        helper.make_node("Cast", [tokens_in], ["tok_f"], to=TensorProto.FLOAT),
        const("col", [-1, 1], TensorProto.INT64),
        helper.make_node("Reshape", ["tok_f", "col"], ["tok_col"]),
        const("sixteen", [16.0], dims=[]),
        helper.make_node("Mod", ["tok_col", "sixteen"], ["tok_mod"], fmod=1),
        const("step_hz", [25.0], dims=[]), const("base_hz", [200.0], dims=[]),
        helper.make_node("Mul", ["tok_mod", "step_hz"], ["hz_part"]),
        helper.make_node("Add", ["hz_part", "base_hz"], ["hz"]),
        const("n", [float(i) for i in range(SAMPLES_PER_TOKEN)], dims=[1, SAMPLES_PER_TOKEN]),
        helper.make_node("Mul", ["hz", "n"], ["hz_n"]),
        const("w", [2 * math.pi / 32000], dims=[]),
        helper.make_node("Mul", ["hz_n", "w"], ["phase"]),
        helper.make_node("Sin", ["phase"], ["sine"]),
        const("amp", [0.3], dims=[]),
        helper.make_node("Mul", ["sine", "amp"], ["wave"]),
        const("out_shape", out_dims, TensorProto.INT64),
        helper.make_node("Reshape", ["wave", "out_shape"], [out]),
    ]


def sovits(folder, speed=False, speed_is_noise=False):
    """With `speed`, the export kept SoVITS's speed input: here it scales the tone's loudness, so tests can hear it arrive.
    With `speed_is_noise`, the v2 exporter's wiring: no noise_scale, and `speed` multiplies the prior noise."""
    nodes = tone("pred_semantic", "audio" if not (speed or speed_is_noise) else "plain", [1, 1, -1])
    inputs = [
        info("pred_semantic", TensorProto.INT64, [1, 1, "sem_len"]),
        info("text_seq", TensorProto.INT64, [1, "text_len"]),
        info("refer_spec", TensorProto.FLOAT, [1, 1025, "ref_len"]),
    ]
    if not speed_is_noise:
        inputs.append(info("noise_scale", TensorProto.FLOAT, [1]))
    if speed_is_noise:
        nodes += [
            helper.make_node("RandomNormalLike", ["plain"], ["randn"]),
            const("logs", [math.log(0.1)], dims=[]),
            helper.make_node("Exp", ["logs"], ["sigma"]),
            helper.make_node("Mul", ["randn", "sigma"], ["noise"]),
            helper.make_node("Mul", ["noise", "speed"], ["scaled_noise"]),
            helper.make_node("Add", ["plain", "scaled_noise"], ["audio"]),
        ]
        inputs.append(info("speed", TensorProto.FLOAT, [1]))
    elif speed:
        nodes.append(helper.make_node("Mul", ["plain", "speed"], ["audio"]))
        inputs.append(info("speed", TensorProto.FLOAT, [1]))
    save(nodes, "sovits", inputs, [info("audio", TensorProto.FLOAT, [1, 1, "samples"])], folder, "sovits.onnx")


def official(folder, name):
    """The official exporter's four graphs with their I/O (sequence-first KV caches that grow each step,
    sampling in the graph), plus the minimal export's ssl.onnx and config.json beside them, which the
    official export lacks (it has no ssl graph and no symbol table). The GPT writes x then y into its
    caches and proposes tokens as the minimal fixture does; it says EOS once y holds 3 * x_len tokens."""
    base = os.path.join(folder, name)
    os.makedirs(base, exist_ok=True)
    ssl(folder)
    with open(os.path.join(folder, "config.json"), "w", encoding="utf-8") as f:
        json.dump(config(), f, ensure_ascii=False, indent=1)
    ax0 = const("ax0", [0], TensorProto.INT64)
    # t2s_encoder: x = phone ids as rows [1, X, WIDTH]; prompts = every second ssl frame as a code (the VQ inside)
    save([
        ax0,
        helper.make_node("Concat", ["ref_seq", "text_seq"], ["ids"], axis=1),
        helper.make_node("Cast", ["ids"], ["ids_f"], to=TensorProto.FLOAT),
        const("col", [1, -1, 1], TensorProto.INT64),
        helper.make_node("Reshape", ["ids_f", "col"], ["ids_col"]),
        const("wide", [1, 1, WIDTH], TensorProto.INT64),
        helper.make_node("Expand", ["ids_col", "wide"], ["x"]),
        const("start", [0], TensorProto.INT64), const("end", [1 << 30], TensorProto.INT64),
        const("axis", [2], TensorProto.INT64), const("step", [2], TensorProto.INT64),
        helper.make_node("Slice", ["ssl_content", "start", "end", "axis", "step"], ["half"]),
        const("feature_axis", [1], TensorProto.INT64),
        helper.make_node("ReduceSum", ["half", "feature_axis"], ["sum"], keepdims=0),
        helper.make_node("Abs", ["sum"], ["abs"]),
        const("scale", [997.0], dims=[]),
        helper.make_node("Mul", ["abs", "scale"], ["scaled"]),
        helper.make_node("Cast", ["scaled"], ["scaled_i"], to=TensorProto.INT64),
        const("vocab", 1024, TensorProto.INT64, dims=[]),
        helper.make_node("Mod", ["scaled_i", "vocab"], ["prompts"]),
    ], "t2s_encoder",
        [info("ref_seq", TensorProto.INT64, [1, "ref_length"]), info("text_seq", TensorProto.INT64, [1, "text_length"]),
         info("ref_bert", TensorProto.FLOAT, ["ref_length", 1024]), info("text_bert", TensorProto.FLOAT, ["text_length", 1024]),
         info("ssl_content", TensorProto.FLOAT, [1, 768, "ssl_length"])],
        [info("x", TensorProto.FLOAT, [1, "x_len", WIDTH]), info("prompts", TensorProto.INT64, [1, "y_len"])], base, name + "_t2s_encoder.onnx")

    def rows(seq_f, out):
        """[1, n] float values -> [LAYERS, n, 1, WIDTH] cache rows."""
        return [
            const(out + "_shape", [1, -1, 1, 1], TensorProto.INT64),
            helper.make_node("Reshape", [seq_f, out + "_shape"], [out + "_r"]),
            const(out + "_tile", [LAYERS, 1, 1, WIDTH], TensorProto.INT64),
            helper.make_node("Tile", [out + "_r", out + "_tile"], [out]),
        ]

    def step_outputs(k_all, v_all, prefix, y_in, y_emb_in, x_example):
        """Next token from the caches, EOS once y reaches 3 * x_len; logits, samples, y, y_emb."""
        return next_token(k_all, v_all, prefix) + [
            helper.make_node("Shape", [y_in], [prefix + "ys"]),
            helper.make_node("Shape", [x_example], [prefix + "xs"]),
            const(prefix + "i1", [1], TensorProto.INT64), const(prefix + "i2", [2], TensorProto.INT64),
            helper.make_node("Slice", [prefix + "ys", prefix + "i1", prefix + "i2"], [prefix + "ylen"]),
            helper.make_node("Slice", [prefix + "xs", prefix + "i1", prefix + "i2"], [prefix + "xlen"]),
            const(prefix + "three", [3], TensorProto.INT64),
            helper.make_node("Mul", [prefix + "xlen", prefix + "three"], [prefix + "stop_at"]),
            helper.make_node("GreaterOrEqual", [prefix + "ylen", prefix + "stop_at"], [prefix + "stop"]),
            const(prefix + "eos", [EOS], TensorProto.INT64),
            const(prefix + "one_shape", [1], TensorProto.INT64),
            helper.make_node("Reshape", [prefix + "token", prefix + "one_shape"], [prefix + "token1"]),
            helper.make_node("Where", [prefix + "stop", prefix + "eos", prefix + "token1"], [prefix + "target1"]),
            const(prefix + "empty", [], TensorProto.INT64, dims=[0]),
            helper.make_node("Reshape", [prefix + "target1", prefix + "empty"], [prefix + "target"]),
            const(prefix + "vocab", list(range(VOCAB)), TensorProto.INT64),
            helper.make_node("Sub", [prefix + "vocab", prefix + "target"], [prefix + "dist"]),
            helper.make_node("Abs", [prefix + "dist"], [prefix + "absdist"]),
            helper.make_node("Cast", [prefix + "absdist"], [prefix + "absdist_f"], to=TensorProto.FLOAT),
            helper.make_node("Neg", [prefix + "absdist_f"], [prefix + "logits1"]),
            const(prefix + "row", [0], TensorProto.INT64),
            helper.make_node("Unsqueeze", [prefix + "logits1", prefix + "row"], ["logits"]),
            const(prefix + "sample_shape", [1, 1], TensorProto.INT64),
            helper.make_node("Reshape", [prefix + "target", prefix + "sample_shape"], ["samples"]),
            helper.make_node("Concat", [y_in, "samples"], ["y"], axis=1),
            helper.make_node("Cast", ["samples"], [prefix + "samples_f"], to=TensorProto.FLOAT),
            const(prefix + "emb_shape", [1, 1, 1], TensorProto.INT64),
            helper.make_node("Reshape", [prefix + "samples_f", prefix + "emb_shape"], [prefix + "emb_new"]),
            helper.make_node("Concat", [y_emb_in, prefix + "emb_new"], ["y_emb"], axis=1),
        ]

    # first-stage decoder: caches = x rows then prompt rows; first token proposed from them
    first = [
        const("sum_axis", [2], TensorProto.INT64),
        helper.make_node("ReduceMean", ["x"], ["x_vals"], axes=[2], keepdims=0),
        helper.make_node("Cast", ["prompts"], ["p_f"], to=TensorProto.FLOAT),
        helper.make_node("Concat", ["x_vals", "p_f"], ["seq"], axis=1),
    ] + rows("seq", "k") + [
        const("two", [2.0], dims=[]),
        helper.make_node("Mul", ["k", "two"], ["v"]),
        helper.make_node("Identity", ["x"], ["x_example"]),
        helper.make_node("Unsqueeze", ["p_f", "emb_axis"], ["p_emb"]),
        const("emb_axis", [2], TensorProto.INT64),
    ] + step_outputs("k", "v", "f_", "prompts", "p_emb", "x")
    first = [n for n in first if n.op_type == "Constant"] + [n for n in first if n.op_type != "Constant"]
    save(first, "t2s_fsdec",
         [info("x", TensorProto.FLOAT, [1, "x_len", WIDTH]), info("prompts", TensorProto.INT64, [1, "y_len"])],
         [info("y", TensorProto.INT64, [1, "y_len1"]), info("k", TensorProto.FLOAT, [LAYERS, "n", 1, WIDTH]), info("v", TensorProto.FLOAT, [LAYERS, "n", 1, WIDTH]),
          info("y_emb", TensorProto.FLOAT, [1, "y_len1", 1]), info("x_example", TensorProto.FLOAT, [1, "x_len", WIDTH]),
          info("logits", TensorProto.FLOAT, [1, VOCAB]), info("samples", TensorProto.INT64, [1, 1])],
         base, name + "_t2s_fsdec.onnx")

    # stage decoder: the last token of iy joins the caches; the next token is proposed from them
    stage = [
        const("last_start", [-1], TensorProto.INT64), const("last_end", [1 << 30], TensorProto.INT64), const("ax1", [1], TensorProto.INT64),
        helper.make_node("Slice", ["iy", "last_start", "last_end", "ax1"], ["last"]),
        helper.make_node("Cast", ["last"], ["last_f"], to=TensorProto.FLOAT),
    ] + rows("last_f", "k_row") + [
        helper.make_node("Concat", ["ik", "k_row"], ["k"], axis=1),
        const("two", [2.0], dims=[]),
        helper.make_node("Mul", ["k_row", "two"], ["v_row"]),
        helper.make_node("Concat", ["iv", "v_row"], ["v"], axis=1),
    ] + step_outputs("k", "v", "s_", "iy", "iy_emb", "ix_example")
    stage = [n for n in stage if n.op_type == "Constant"] + [n for n in stage if n.op_type != "Constant"]
    save(stage, "t2s_sdec",
         [info("iy", TensorProto.INT64, [1, "y_len"]), info("ik", TensorProto.FLOAT, [LAYERS, "n", 1, WIDTH]), info("iv", TensorProto.FLOAT, [LAYERS, "n", 1, WIDTH]),
          info("iy_emb", TensorProto.FLOAT, [1, "y_len", 1]), info("ix_example", TensorProto.FLOAT, [1, "x_len", WIDTH])],
         [info("y", TensorProto.INT64, [1, "y_len1"]), info("k", TensorProto.FLOAT, [LAYERS, "n1", 1, WIDTH]), info("v", TensorProto.FLOAT, [LAYERS, "n1", 1, WIDTH]),
          info("y_emb", TensorProto.FLOAT, [1, "y_len1", 1]), info("logits", TensorProto.FLOAT, [1, VOCAB]), info("samples", TensorProto.INT64, [1, 1])],
         base, name + "_t2s_sdec.onnx")
    save(tone("pred_semantic", "audio", [-1]), "vits",
         [info("text_seq", TensorProto.INT64, [1, "text_length"]), info("pred_semantic", TensorProto.INT64, [1, 1, "n"]),
          info("ref_audio", TensorProto.FLOAT, [1, "audio_length"])],
         [info("audio", TensorProto.FLOAT, ["samples"])], base, name + "_vits.onnx")
    with open(os.path.join(folder, name + ".json"), "w", encoding="utf-8") as f:
        json.dump({"Folder": name, "Name": name, "Type": "GPT-SoVits", "Rate": 32000, "NumLayers": LAYERS, "EmbeddingDim": WIDTH,
                   "Dict": "cmudict", "BertPath": "", "AddBlank": False}, f, indent=1)


def bert(folder):
    """bert.onnx with the export's I/O: hidden_states [1, seq, 1024] where every feature of a token is its id / 100
    plus its position / 1000, so tests can see which token's row reached which phone; and a small vocab.txt."""
    nodes = [
        helper.make_node("Cast", ["input_ids"], ["ids_f"], to=TensorProto.FLOAT),
        const("hundredth", [0.01], dims=[]),
        helper.make_node("Mul", ["ids_f", "hundredth"], ["scaled"]),
        helper.make_node("Cast", ["attention_mask"], ["mask_f"], to=TensorProto.FLOAT),
        helper.make_node("Mul", ["scaled", "mask_f"], ["masked"]),
        helper.make_node("Cast", ["token_type_ids"], ["types_f"], to=TensorProto.FLOAT),
        helper.make_node("Add", ["masked", "types_f"], ["value"]),
        const("shape", [1, -1, 1], TensorProto.INT64),
        helper.make_node("Reshape", ["value", "shape"], ["column"]),
        const("wide", [1, 1, 1024], TensorProto.INT64),
        helper.make_node("Expand", ["column", "wide"], ["hidden_states"]),
    ]
    save(nodes, "bert", [info(n, TensorProto.INT64, [1, "seq_len"]) for n in ("input_ids", "attention_mask", "token_type_ids")],
         [info("hidden_states", TensorProto.FLOAT, [1, "seq_len", 1024])], folder, "bert.onnx")
    vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ",", ".", "!", "?", "-", "…"] + list("你好世界中国人们我的是了在有不这一个大上来天气很今早安谢再见行长银")
    with open(os.path.join(folder, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(vocabulary) + "\n")


def config():
    return {
        "train": {"segment_size": 20480},
        "data": {"max_wav_value": 32768.0, "sampling_rate": 32000, "filter_length": 2048, "hop_length": 640, "win_length": 2048,
                 "n_mel_channels": 128, "mel_fmin": 0.0, "mel_fmax": None, "add_blank": True, "n_speakers": 300, "cleaned_text": True},
        "model": {"gin_channels": 512, "upsample_rates": [10, 8, 2, 2, 2], "semantic_frame_rate": "25hz", "version": "v2"},
        "symbol_to_id": symbol_table(),
    }


def minimal(name, eos, export=False):
    global EXPORT
    EXPORT = export
    folder = os.path.join(HERE, name)
    os.makedirs(folder, exist_ok=True)
    ssl(folder)
    vq_encoder(folder)
    gpt_encoder(folder, lengths=not export)
    gpt_step(folder, eos)
    sovits(folder, speed_is_noise=export)
    EXPORT = False
    with open(os.path.join(folder, "config.json"), "w", encoding="utf-8") as f:
        json.dump(config(), f, ensure_ascii=False, indent=1)


def half_io(source, name):
    """A copy of bundle `source` as the exporter's onnx_to_fp16.py leaves it: every float input and
    output of every graph is float16 (casts at the graph's edges; the arithmetic inside stays float)."""
    folder = os.path.join(HERE, name)
    os.makedirs(folder, exist_ok=True)
    for file in sorted(os.listdir(os.path.join(HERE, source))):
        if not file.endswith(".onnx"):
            shutil.copy(os.path.join(HERE, source, file), os.path.join(folder, file))
            continue
        model = onnx.load(os.path.join(HERE, source, file))
        half_graph_io(model.graph)
        onnx.checker.check_model(model)
        onnx.save(model, os.path.join(folder, file))


def half_graph_io(graph):
    """Makes every float input and output of `graph` float16: a Cast to float after each such input, a
    Cast to float16 before each such output. Also used by scripts/gen-gpt-sovits.py --fp16."""
    head, tail = [], []
    for value in graph.input:
        if value.type.tensor_type.elem_type == TensorProto.FLOAT:
            inner = value.name + "_f32"
            for node in graph.node:
                node.input[:] = [inner if i == value.name else i for i in node.input]
            head.append(helper.make_node("Cast", [value.name], [inner], to=TensorProto.FLOAT))
            value.type.tensor_type.elem_type = TensorProto.FLOAT16
    for value in graph.output:
        if value.type.tensor_type.elem_type == TensorProto.FLOAT:
            inner = value.name + "_f32out"
            for node in list(graph.node) + head:
                node.output[:] = [inner if o == value.name else o for o in node.output]
                node.input[:] = [inner if i == value.name else i for i in node.input]
            tail.append(helper.make_node("Cast", [inner], [value.name], to=TensorProto.FLOAT16))
            value.type.tensor_type.elem_type = TensorProto.FLOAT16
    nodes = head + list(graph.node) + tail
    del graph.node[:]
    graph.node.extend(nodes)


def npy_samples():
    """Arrays written by numpy.save, which the cache's .npy writer must reproduce byte for byte."""
    folder = os.path.join(HERE, "npy")
    os.makedirs(folder, exist_ok=True)
    np.save(os.path.join(folder, "f4_2x3x4.npy"), (np.arange(24, dtype=np.float32) / 7).reshape(2, 3, 4))
    np.save(os.path.join(folder, "i8_1x25.npy"), np.arange(25, dtype=np.int64).reshape(1, 25) * 41 % 1024)
    np.save(os.path.join(folder, "f2_5.npy"), np.array([0.5, -1, 2, 1e-3, 65504], dtype=np.float16))
    np.save(os.path.join(folder, "i8_scalar.npy"), np.array(7, dtype=np.int64))
    np.save(os.path.join(folder, "f4_1x1025x0.npy"), np.zeros((1, 1025, 0), dtype=np.float32))


if __name__ == "__main__":
    shutil.rmtree(HERE, ignore_errors=True)
    npy_samples()
    minimal("min", eos=True)
    minimal("min-endless", eos=False)
    minimal("min-bert", eos=True)
    minimal("min-export", eos=True, export=True)
    bert(os.path.join(HERE, "min-bert"))
    sovits(os.path.join(HERE, "min-bert"), speed=True)
    official(os.path.join(HERE, "official"), "demo")
    half_io("min", "min-fp16")
