#!/usr/bin/python3
"""Writes shared-weights/: two small graphs holding the same weight under different names, as two
exports of one model do (a GPT-SoVITS bundle's gpt_encoder and gpt_step), for the SharedWeights tests.

  first.onnx:  y = Gemm(x [1,16], W1 [16,16], transB) + b [16]; z = x * scale [16]
  second.onnx: y = Gemm(x [1,16], W2 [16,16], transB) + c [16]

W1 and W2 are the same numbers (stored as raw bytes, as exporters store weights); b and c differ,
so exactly one weight is common. scale is stored in float_data, which the reader does not list.

Run with Debian's python3-onnx and python3-numpy:  /usr/bin/python3 make_shared_weights_fixtures.py
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "shared-weights")
rng = np.random.default_rng(7)
weight = rng.standard_normal((16, 16)).astype(np.float32)


def graph(path, weight_name, bias, extra):
    nodes = [helper.make_node("Gemm", ["x", weight_name, "bias"], ["y"], transB=1)]
    initializers = [numpy_helper.from_array(weight, weight_name), numpy_helper.from_array(bias, "bias")]
    outputs = [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 16])]
    if extra:
        nodes.append(helper.make_node("Mul", ["x", "scale"], ["z"]))
        initializers.append(helper.make_tensor("scale", TensorProto.FLOAT, [16], [0.5] * 16))
        outputs.append(helper.make_tensor_value_info("z", TensorProto.FLOAT, [1, 16]))
    model = helper.make_model(
        helper.make_graph(nodes, "shared", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 16])], outputs, initializers),
        opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


os.makedirs(HERE, exist_ok=True)
graph(os.path.join(HERE, "first.onnx"), "encoder.layer.weight", np.arange(16, dtype=np.float32), extra=True)
graph(os.path.join(HERE, "second.onnx"), "onnx::Gemm_42", -np.arange(16, dtype=np.float32), extra=False)
