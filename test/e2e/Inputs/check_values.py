"""Compares kiln's outputs of make_value_models.py's models with the
expectations numpy and Python computed there: text exactly, numbers exactly
(NaN where NaN), sequences and optionals item by item.

usage: check_values.py text DIR OUT_DIR | passthrough DIR OUT_DIR present|empty
"""
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper

kind, data, out = sys.argv[1:4]
failures = 0


def check(name, got, want):
    global failures
    same = got.shape == want.shape and (
        np.array_equal(got, want, equal_nan=True) if want.dtype.kind == "f"
        else np.array_equal(got, want))
    if want.dtype.kind == "f" and same:  # -0.0 and 0.0 too
        same = np.array_equal(np.signbit(got), np.signbit(want))
    if not same:
        failures += 1
        bad = [i for i in range(min(got.size, want.size))
               if str(got.flat[i]) != str(want.flat[i])][:5]
        print("MISMATCH %s: %s" % (name, [(i, got.flat[i], want.flat[i]) for i in bad]))
    else:
        print("ok %s (%d values)" % (name, want.size))


if kind == "text":
    expected = np.load(os.path.join(data, "text_expected.npz"))
    for name in expected.files:
        check(name, np.load(os.path.join(out, name + ".npy")), expected[name])
else:
    def load(name, cls):
        proto = cls()
        with open(os.path.join(out, name + ".pb"), "rb") as f:
            proto.ParseFromString(f.read())
        return proto

    opt = numpy_helper.to_optional(load("opt_out", onnx.OptionalProto))
    if sys.argv[4] == "empty":
        if opt is not None:
            failures += 1
            print("MISMATCH opt_out: expected an empty optional")
        else:
            print("ok opt_out (empty)")
    else:
        check("opt_out", opt, np.load(os.path.join(data, "present.npy")))
    seq = numpy_helper.to_list(load("seq_out", onnx.SequenceProto))
    items = np.load(os.path.join(data, "seq_expected.npz"))
    want = [items["arr_%d" % i] for i in range(len(items.files))]
    if len(seq) != len(want):
        failures += 1
        print("MISMATCH seq_out: %d items, expected %d" % (len(seq), len(want)))
    for i, (g, w) in enumerate(zip(seq, want)):
        check("seq_out[%d]" % i, g, w)
sys.exit(1 if failures else 0)
