#!/usr/bin/python3
# unsupported_arch.py OUT.gguf: a valid GGUF of an architecture kiln does not
# build graphs for (mamba), written with gguf-py.
import os
import sys
sys.path.insert(0, os.path.join(os.environ.get(
    "KILN_LLAMA_DIR", os.path.expanduser("~/.cache/kiln/llama")), "src", "gguf-py"))
import gguf
import numpy as np
w = gguf.GGUFWriter(sys.argv[1], "mamba")
w.add_tensor("token_embd.weight", np.zeros((8, 4), np.float32))
w.write_header_to_file()
w.write_kv_data_to_file()
w.write_tensors_to_file()
w.close()
