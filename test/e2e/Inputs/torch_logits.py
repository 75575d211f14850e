#!/usr/bin/python3
"""torch_logits.py MODEL.gguf TOKENS KILN_LOGITS.npy [TOLERANCE]: loads the
model back from its GGUF into the PyTorch module it was trained as
(scripts/kiln_llama_torch.py; quantized weights are dequantized by gguf-py),
computes the next-token logits after TOKENS (comma-separated ids) and
compares them with kiln's.

The default tolerance is 0.1% of the logit range: the GGUF stores F16
weights, which kiln (as llama.cpp) multiplies with activations rounded to
f16, and the KV cache is f16, where PyTorch computes everything in f32 from
the same f16 weights. TOLERANCE (a fraction of the range) sets another."""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "scripts"))
from kiln_llama_torch import load_gguf  # noqa: E402

model = load_gguf(sys.argv[1])
tokens = torch.tensor([[int(t) for t in sys.argv[2].split(",")]])
with torch.no_grad():
    want = model(tokens)[0, -1].numpy()
got = np.load(sys.argv[3])
tolerance = float(sys.argv[4]) if len(sys.argv) > 4 else 0.001
err = float(np.abs(got - want).max())
span = float(want.max() - want.min())
print("argmax kiln %d torch %d" % (int(got.argmax()), int(want.argmax())))
print("logits %s %g%% of range (max abs err %.3g, range %.3g)" %
      ("within" if err <= tolerance * span else "NOT within", 100 * tolerance, err, span))
