# compare_npy.py GOT.npy WANT.pb|WANT.npy [rtol atol]: exit 0 when close.
import sys
import numpy as np
import onnx
from onnx import numpy_helper

got = np.load(sys.argv[1])
if sys.argv[2].endswith(".pb"):
    want = numpy_helper.to_array(onnx.load_tensor(sys.argv[2]))
else:
    want = np.load(sys.argv[2])
rtol = float(sys.argv[3]) if len(sys.argv) > 3 else 1e-4
atol = float(sys.argv[4]) if len(sys.argv) > 4 else 1e-5
ok = got.shape == want.shape and np.allclose(got, want, rtol=rtol, atol=atol)
print("shape %s vs %s, max abs error %.3g" % (got.shape, want.shape,
      np.abs(got.astype(np.float64) - want).max() if got.shape == want.shape else -1))
sys.exit(0 if ok else 1)
