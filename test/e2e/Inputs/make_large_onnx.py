"""Writes a model over 2 GB into argv[1]: y = x @ W, W a 4096 x 131200
float32 initializer (2.15 GB, more than a protobuf can hold) stored as ONNX
external data in weights.bin, plus the input x.npy and numpy's y in
want.npy. Seeded; the weight matrix is written in slices so memory stays
near one copy. Kept in argv[1] (a cache outside the clone) once complete.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T, helper

out = sys.argv[1]
K, N = 4096, 131200
os.makedirs(out, exist_ok=True)
done = os.path.join(out, "complete")
if os.path.exists(done):  # cached by an earlier run (same seed, same bytes)
    sys.exit(0)
rng = np.random.default_rng(2026)
x = rng.standard_normal((1, K)).astype(np.float32)
want = np.zeros((1, N), np.float64)
with open(os.path.join(out, "weights.bin"), "wb") as f:
    for start in range(0, K, 512):
        rows = rng.standard_normal((512, N)).astype(np.float32) * np.float32(0.02)
        want += x[:, start:start + 512].astype(np.float64) @ rows.astype(np.float64)
        f.write(rows.tobytes())
weight = onnx.TensorProto()
weight.name = "W"
weight.data_type = T.FLOAT
weight.dims.extend([K, N])
weight.data_location = onnx.TensorProto.EXTERNAL
for key, value in (("location", "weights.bin"), ("offset", "0"),
                   ("length", str(K * N * 4))):
    entry = weight.external_data.add()
    entry.key, entry.value = key, value
graph = helper.make_graph(
    [helper.make_node("MatMul", ["x", "W"], ["y"])], "large",
    [helper.make_tensor_value_info("x", T.FLOAT, [1, K])],
    [helper.make_tensor_value_info("y", T.FLOAT, [1, N])], [weight])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
onnx.save(model, os.path.join(out, "large.onnx"))
np.save(os.path.join(out, "x.npy"), x)
np.save(os.path.join(out, "want.npy"), want.astype(np.float32))
open(done, "w").close()
