#!/usr/bin/python3
"""check_dq_blocks.py IR.mlir MODEL.onnx: decodes the Q8_0 blocks
kiln-quantize wrote for each DequantizeLinear'd MatMul weight of MODEL (the
IR names each weight's type, file and offset) and compares them with
DequantizeLinear computed by numpy from the ONNX initializers: a row kept
exactly must match to the half-precision rounding of its scale (2^-11
relative), a requantized row to half a Q8_0 step of its block (plus that
rounding of the step). Prints one
line per weight."""
import re
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def main():
    ir, path = sys.argv[1:3]
    model = onnx.load(path)
    inits = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    decls = re.findall(r'kiln.weight_decl @(\w+) : tensor<(\d+)x(\d+)x!kiln.q8_0> '
                       r'\{offset = (\d+) : i64, source = "([^"]+)"\}', open(ir).read())
    for node in model.graph.node:
        if node.op_type != "DequantizeLinear":
            continue
        w, s = inits[node.input[0]], inits[node.input[1]]
        z = inits[node.input[2]] if len(node.input) > 2 else np.zeros_like(s, dtype=w.dtype)
        want = ((w.astype(np.float32) - z.astype(np.float32)) * s.astype(np.float32)).T  # [N, K]
        name, n, k, offset, source = next(d for d in decls if d[0] == node.input[0])
        n, k, offset = int(n), int(k), int(offset)
        blocks = np.fromfile(source, dtype=np.uint8, offset=offset, count=n * k // 32 * 34)
        blocks = blocks.reshape(n, k // 32, 34)
        d = blocks[:, :, :2].copy().view(np.float16).astype(np.float32)  # [N, K/32, 1]
        q = blocks[:, :, 2:].view(np.int8).astype(np.float32)
        got = (q * d).reshape(n, k)
        exact = np.abs(got - want) <= np.abs(want) * 2.0**-11 + 1e-12
        step = np.repeat(d[:, :, 0], 32, axis=1)
        # Half a step of rounding, plus the half-precision rounding of d
        # (2^-11 relative) carried by each value.
        close = np.abs(got - want) <= step / 2 + np.abs(want) * 2.0**-10
        rows_exact = int(exact.all(axis=1).sum())
        ok = close.all()
        print("%s: %d rows, %d kept exactly, %s" % (
            name, n, rows_exact, "all within half a step" if ok else "NOT within half a step"))


main()
