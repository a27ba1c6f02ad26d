#!/usr/bin/python3
"""Writes the small Piper test voices in piper/: ONNX models with Piper's exact inputs and outputs
(input int64 [1,N], input_lengths int64 [1], scales float32 [3], sid int64 [1] when multi-speaker;
one float32 output) and their .onnx.json configs with Piper's default phoneme-id map.

The graph is not a neural voice: it turns each phoneme id into a short tone whose pitch depends on
the id, so tests can check what reached the model. Its length follows Piper's rules: hop_length
samples per id, times length_scale; on multi-speaker voices each speaker id raises the pitch
(a gain would not do: Piper normalises every sentence to full scale).

Run with Debian's python3-onnx:  /usr/bin/python3 make_piper_fixtures.py
"""
import json
import os

import onnx
from onnx import TensorProto, helper

HOP = 64
RATE = 16000
HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "piper")

# Piper's default phoneme-id map (piper-phonemize DEFAULT_PHONEME_ID_MAP, non-Windows code points).
SYMBOLS = (
    ["_", "^", "$", " ", "!", "'", "(", ")", ",", "-", ".", ":", ";", "?"]
    + list("abcdefhijklmnopqrstuvwxyz")
    + list("æçðøħŋœǀǁǂǃɐɑɒɓɔɕɖɗɘəɚɛɜɞɟɠɡɢɣɤɥɦɧɨɪɫɬɭɮɯɰɱɲɳɴɵɶɸɹɺɻɽɾʀʁʂʃʄʈʉʊʋʌʍʎʏʐʑʒʔʕʘʙʛʜʝʟʡʢʲˈˌːˑ˞βθχᵻⱱ")
    + list("0123456789")
    + ["\u0327", "\u0303", "\u032a", "\u032f", "\u0329", "ʰ", "ˤ", "ε", "↓", "#", "\"", "↑", "\u033a", "\u033b", "g", "ʦ", "X", "\u031d", "\u030a"]
)
PHONEME_ID_MAP = {symbol: [i] for i, symbol in enumerate(SYMBOLS)}
assert PHONEME_ID_MAP["ˈ"] == [120] and PHONEME_ID_MAP["\u030a"] == [158]


def const(name, values, dtype=TensorProto.FLOAT, dims=None):
    return helper.make_node("Constant", [], [name], value=helper.make_tensor(name + "_v", dtype, dims if dims is not None else [len(values)], values))


def model(layout, speakers):
    nodes = [
        const("hop", [float(HOP)], dims=[]),
        const("two_pi_over_rate", [6.283185307 / RATE], dims=[]),
        const("base_hz", [110.0], dims=[]),
        const("hz_per_id", [4.0], dims=[]),
        const("half", [0.25], dims=[]),
        const("one_i", [1], TensorProto.INT64),
        const("idx1", [1], TensorProto.INT64),
        const("idx_len", [1], TensorProto.INT64, dims=[]),
        const("zero_i", [0], TensorProto.INT64, dims=[]),
        const("one_i_s", [1], TensorProto.INT64, dims=[]),
        const("ones2", [1, 1], TensorProto.INT64),
        const("axes1", [1], TensorProto.INT64),
        # samples T = floor(N * hop * length_scale)
        helper.make_node("Shape", ["input"], ["in_shape"]),
        helper.make_node("Gather", ["in_shape", "idx_len"], ["n"], axis=0),
        helper.make_node("Cast", ["n"], ["n_f"], to=TensorProto.FLOAT),
        helper.make_node("Gather", ["scales", "one_i_s"], ["length_scale"], axis=0),
        helper.make_node("Mul", ["n_f", "hop"], ["n_hop"]),
        helper.make_node("Mul", ["n_hop", "length_scale"], ["t_f"]),
        helper.make_node("Floor", ["t_f"], ["t_floor"]),
        helper.make_node("Cast", ["t_floor"], ["t"], to=TensorProto.INT64),
        const("axes0", [0], TensorProto.INT64),
        helper.make_node("Unsqueeze", ["t", "axes0"], ["t1"]),
        helper.make_node("Concat", ["ones2", "t1"], ["sizes"], axis=0),
        # each sample takes the id it falls in: nearest-neighbour resize of [1,1,N] to [1,1,T]
        helper.make_node("Cast", ["input"], ["ids_f"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["ids_f", "axes1"], ["ids_3d"]),
        helper.make_node("Resize", ["ids_3d", "", "", "sizes"], ["ids_up"], mode="nearest"),
        # tone: sin(2*pi*(110 + 4*id)*k/rate) * 0.25
        helper.make_node("Range", ["zero_i", "t", "one_i_s"], ["k"]),
        helper.make_node("Cast", ["k"], ["k_f"], to=TensorProto.FLOAT),
        helper.make_node("Mul", ["ids_up", "hz_per_id"], ["hz_part"]),
        helper.make_node("Add", ["hz_part", "base_hz"], ["hz_ids" if speakers > 1 else "hz"]),
    ] + ([] if speakers <= 1 else [
        const("hz_per_speaker", [150.0], dims=[]),
        helper.make_node("Cast", ["sid"], ["sid_f"], to=TensorProto.FLOAT),
        helper.make_node("Mul", ["sid_f", "hz_per_speaker"], ["sid_hz"]),
        helper.make_node("Add", ["hz_ids", "sid_hz"], ["hz"]),
    ]) + [
        helper.make_node("Mul", ["hz", "k_f"], ["hz_k"]),
        helper.make_node("Mul", ["hz_k", "two_pi_over_rate"], ["phase"]),
        helper.make_node("Sin", ["phase"], ["sine"]),
        helper.make_node("Mul", ["sine", "half"], ["tone"]),
        # input_lengths takes part, as in the real graph: zero length gives silence
        helper.make_node("Greater", ["input_lengths", "zero_i"], ["has_len"]),
        helper.make_node("Cast", ["has_len"], ["has_len_f"], to=TensorProto.FLOAT),
        helper.make_node("Mul", ["tone", "has_len_f"], ["voiced"]),
    ]
    inputs = [
        helper.make_tensor_value_info("input", TensorProto.INT64, ["batch_size", "phonemes"]),
        helper.make_tensor_value_info("input_lengths", TensorProto.INT64, ["batch_size"]),
        helper.make_tensor_value_info("scales", TensorProto.FLOAT, [3]),
    ]
    last = "voiced"
    if speakers > 1:
        inputs.append(helper.make_tensor_value_info("sid", TensorProto.INT64, [1]))
    shapes = {"1x1x1xT": [1, 1, 1, -1], "1x1xT": [1, 1, -1], "1xTx1": [1, -1, 1], "1xT": [1, -1]}
    nodes += [const("out_shape", shapes[layout], TensorProto.INT64), helper.make_node("Reshape", [last, "out_shape"], ["output"])]
    dims = {"1x1x1xT": [1, 1, 1, "time"], "1x1xT": [1, 1, "time"], "1xTx1": [1, "time", 1], "1xT": [1, "time"]}[layout]
    graph = helper.make_graph(nodes, "piper_fixture", inputs, [helper.make_tensor_value_info("output", TensorProto.FLOAT, dims)])
    result = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 15)], producer_name="edgevoice-fixtures")
    result.ir_version = 8
    onnx.checker.check_model(result)
    return result


def config(espeak_voice, speakers, language):
    value = {
        "audio": {"sample_rate": RATE, "quality": "x_low"},
        "espeak": {"voice": espeak_voice},
        "phoneme_type": "espeak",
        "phoneme_id_map": PHONEME_ID_MAP,
        "num_symbols": 256,
        "num_speakers": speakers,
        "inference": {"noise_scale": 0.667, "length_scale": 1.0, "noise_w": 0.8},
        "hop_length": HOP,
        "language": {"code": language},
        "piper_version": "1.0.0",
    }
    if speakers > 1:
        value["speaker_id_map"] = {"alice": 0, "bob": 1, "carol": 2}
    return value


def write(name, layout, speakers, espeak_voice="en-us", language="en_US"):
    os.makedirs(HERE, exist_ok=True)
    onnx.save(model(layout, speakers), os.path.join(HERE, name + ".onnx"))
    with open(os.path.join(HERE, name + ".onnx.json"), "w", encoding="utf-8") as f:
        json.dump(config(espeak_voice, speakers, language), f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    write("en_US-test-x_low", "1x1x1xT", 1)
    write("en_US-test3d-x_low", "1x1xT", 1)
    write("en_US-testcol-x_low", "1xTx1", 1)
    write("en_US-test2d-x_low", "1xT", 1)
    write("en_US-multi-x_low", "1x1x1xT", 3)
    write("zh_CN-test-x_low", "1x1x1xT", 1, espeak_voice="cmn", language="zh_CN")
    write("de_DE-test-x_low", "1x1x1xT", 1, espeak_voice="de", language="de_DE")
