#!/usr/bin/python3
"""make_qdq_onnx.py DIR: a QDQ-style ONNX model (opset 13) whose MatMul
weights are int8/uint8 initializers behind DequantizeLinear, as ONNX
Runtime's quantizer writes them: y1 = x @ DQ(w1 int8 [128, 64], per-column
scale, zero point 0); y2 = x @ DQ(w2 uint8 [128, 48], one scale, zero point
128, so the columns holding 0 reach -128 and need requantizing). Writes
DIR/qdq.onnx and DIR/x.npy (seeded)."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(5)
    w1 = rng.integers(-127, 128, size=(128, 64)).astype(np.int8)
    s1 = rng.uniform(0.001, 0.02, size=64).astype(np.float32)
    z1 = np.zeros(64, dtype=np.int8)
    w2 = rng.integers(0, 256, size=(128, 48)).astype(np.uint8)
    w2[5, 3] = 0  # column 3 reaches -128 after the zero point
    s2 = np.array(0.01, dtype=np.float32)
    z2 = np.array(128, dtype=np.uint8)
    inits = [numpy_helper.from_array(a, n) for a, n in
             [(w1, "w1"), (s1, "s1"), (z1, "z1"), (w2, "w2"), (s2, "s2"), (z2, "z2")]]
    nodes = [
        helper.make_node("DequantizeLinear", ["w1", "s1", "z1"], ["w1f"], axis=1),
        helper.make_node("MatMul", ["x", "w1f"], ["y1"]),
        helper.make_node("DequantizeLinear", ["w2", "s2", "z2"], ["w2f"]),
        helper.make_node("MatMul", ["x", "w2f"], ["y2"]),
    ]
    graph = helper.make_graph(
        nodes, "qdq", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 8, 128])],
        [helper.make_tensor_value_info("y1", TensorProto.FLOAT, [1, 8, 64]),
         helper.make_tensor_value_info("y2", TensorProto.FLOAT, [1, 8, 48])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(out, "qdq.onnx"))
    np.save(os.path.join(out, "x.npy"), rng.standard_normal((1, 8, 128)).astype(np.float32))


main()
