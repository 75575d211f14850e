"""Writes the ONNX models and inputs of onnx-values.test into argv[1].

text.onnx: Cast float32 / float16 / float64 / int64 to STRING and STRING to
float32 / int32. Seeded random numbers over 60 orders of magnitude plus the
special values; the strings include what ONNX's Cast spec and strtod accept.
The expected outputs come from numpy and Python (str of numpy scalars, float(),
int()), never from kiln.

passthrough.onnx: an optional<tensor> and a sequence<tensor> through Identity,
with inputs that are a present and an empty optional and a 3-item sequence.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T, helper, numpy_helper

out = sys.argv[1]
rng = np.random.default_rng(20261124)


def onnx_text(v):
    """numpy's shortest round-trip text, with ONNX's spelling of NaN and
    the infinities."""
    if np.isnan(v):
        return "NaN"
    if np.isinf(v):
        return "INF" if v > 0 else "-INF"
    return str(v)


# --- text.onnx ---
f32 = (rng.standard_normal(40) * 10.0 ** rng.integers(-30, 30, 40)).astype(np.float32)
f32 = np.concatenate([f32, np.array([0.0, -0.0, 1.0, 100.0, 1e-4, 9.999e-5, 1e16, 9.9e15,
                                     np.finfo(np.float32).max, np.finfo(np.float32).tiny,
                                     1e-45, np.nan, np.inf, -np.inf], np.float32)])
f16 = (rng.standard_normal(16) * 100).astype(np.float16)
f64 = rng.standard_normal(8) * 10.0 ** rng.integers(-200, 200, 8)
i64 = np.concatenate([rng.integers(-10**15, 10**15, 6),
                      np.array([np.iinfo(np.int64).min, np.iinfo(np.int64).max])]).astype(np.int64)
texts = np.array(["1.5", "-0.25", "3e-3", "NaN", "INF", "+INF", "-INF", "inf", "nan",
                  "1e39", "  7", "0x10", "123456789012", "-1e-50", "65504", "0.1"])
ints = np.array(["0", "-7", "2147483647", "-2147483648", "42", "  9"])

inputs = [("f32", T.FLOAT, f32), ("f16", T.FLOAT16, f16), ("f64", T.DOUBLE, f64),
          ("i64", T.INT64, i64), ("texts", T.STRING, texts), ("ints", T.STRING, ints)]
nodes = [helper.make_node("Cast", ["f32"], ["f32_text"], to=T.STRING),
         helper.make_node("Cast", ["f16"], ["f16_text"], to=T.STRING),
         helper.make_node("Cast", ["f64"], ["f64_text"], to=T.STRING),
         helper.make_node("Cast", ["i64"], ["i64_text"], to=T.STRING),
         helper.make_node("Cast", ["texts"], ["parsed"], to=T.FLOAT),
         helper.make_node("Cast", ["ints"], ["parsed_ints"], to=T.INT32),
         # A round trip: float -> text -> float is exact.
         helper.make_node("Cast", ["f32_text"], ["round_trip"], to=T.FLOAT)]
outputs = [("f32_text", T.STRING, f32.shape), ("f16_text", T.STRING, f16.shape),
           ("f64_text", T.STRING, f64.shape), ("i64_text", T.STRING, i64.shape),
           ("parsed", T.FLOAT, texts.shape), ("parsed_ints", T.INT32, ints.shape),
           ("round_trip", T.FLOAT, f32.shape)]
graph = helper.make_graph(
    nodes, "text",
    [helper.make_tensor_value_info(n, t, v.shape) for n, t, v in inputs],
    [helper.make_tensor_value_info(n, t, s) for n, t, s in outputs])
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
          os.path.join(out, "text.onnx"))
for name, _, value in inputs:
    np.save(os.path.join(out, name + ".npy"), value)
bad = texts.copy()
bad[5] = "1.5x"
np.save(os.path.join(out, "texts_bad.npy"), bad)
big = ints.copy()
big[2] = "2147483648"
np.save(os.path.join(out, "ints_big.npy"), big)

np.seterr(over="ignore")  # "1e39" is infinite in float32
expected = {
    "f32_text": np.array([onnx_text(v) for v in f32]),
    "f16_text": np.array([onnx_text(v) for v in f16]),
    "f64_text": np.array([onnx_text(v) for v in f64]),
    "i64_text": np.array([str(v) for v in i64]),
    "parsed": np.array([float(t) if not t.startswith("0x") else float.fromhex(t)
                        for t in texts]).astype(np.float32),
    "parsed_ints": np.array([int(t) for t in ints], np.int32),
    "round_trip": f32,
}
np.savez(os.path.join(out, "text_expected.npz"), **expected)

# --- passthrough.onnx ---
opt_type = helper.make_optional_type_proto(helper.make_tensor_type_proto(T.FLOAT, [2, 3]))
seq_type = helper.make_sequence_type_proto(helper.make_tensor_type_proto(T.INT64, None))
graph = helper.make_graph(
    [helper.make_node("Identity", ["opt"], ["opt_out"]),
     helper.make_node("Identity", ["seq"], ["seq_mid"]),
     helper.make_node("Identity", ["seq_mid"], ["seq_out"])],
    "passthrough",
    [helper.make_value_info("opt", opt_type), helper.make_value_info("seq", seq_type)],
    [helper.make_value_info("opt_out", opt_type), helper.make_value_info("seq_out", seq_type)])
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 16)]),
          os.path.join(out, "passthrough.onnx"))


def save(proto, name):
    with open(os.path.join(out, name), "wb") as f:
        f.write(proto.SerializeToString())


present = rng.standard_normal((2, 3)).astype(np.float32)
save(numpy_helper.from_optional(present, name="opt"), "opt_present.pb")
empty = onnx.OptionalProto()
empty.name = "opt"
save(empty, "opt_empty.pb")
items = [rng.integers(-100, 100, s).astype(np.int64) for s in [(4,), (2, 2), ()]]
save(numpy_helper.from_list(items, name="seq"), "seq.pb")
save(numpy_helper.from_list([present], name="seq"), "seq_floats.pb")
save(numpy_helper.from_optional(present.reshape(3, 2), name="opt"), "opt_wrong_shape.pb")
np.save(os.path.join(out, "present.npy"), present)
np.savez(os.path.join(out, "seq_expected.npz"), *items)
