# make_mlp.py OUT_DIR: writes mlp.onnx (x[2,64] -> MatMul W1[64,128] -> Relu ->
# MatMul W2[128,16] + b) with seeded random weights large enough to be
# weights (not constants), an input x.npy and numpy's result want.npy.
import os
import sys
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
rng = np.random.default_rng(7)
w1 = rng.standard_normal((64, 128)).astype(np.float32) * 0.1
w2 = rng.standard_normal((128, 16)).astype(np.float32) * 0.1
b = rng.standard_normal((16,)).astype(np.float32)
x = rng.standard_normal((2, 64)).astype(np.float32)
graph = helper.make_graph(
    [helper.make_node("MatMul", ["x", "w1"], ["h"]),
     helper.make_node("Relu", ["h"], ["r"]),
     helper.make_node("MatMul", ["r", "w2"], ["m"]),
     helper.make_node("Add", ["m", "b"], ["y"])],
    "mlp",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 64])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 16])],
    [numpy_helper.from_array(w1, "w1"), numpy_helper.from_array(w2, "w2"),
     numpy_helper.from_array(b, "b")])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
onnx.checker.check_model(model)
onnx.save(model, os.path.join(out, "mlp.onnx"))
np.save(os.path.join(out, "x.npy"), x)
np.save(os.path.join(out, "want.npy"), np.maximum(x @ w1, 0) @ w2 + b)
np.save(os.path.join(out, "x_wrong_shape.npy"), x[:1])
np.save(os.path.join(out, "x_wrong_type.npy"), x.astype(np.float64))
