# Checks use_api.c's printed gemm outputs against numpy (the reference):
# Y = 0.25 * A^T @ B^T + 0.35 * C for test_gemm_all_attributes, with the
# inputs use_api.c fills in.
import sys
import numpy as np

def fill(i, shape):
    n = int(np.prod(shape))
    return np.sin(1.0 + i + 0.5 * np.arange(n)).astype(np.float32).reshape(shape)

a, b, c = fill(0, (4, 3)), fill(1, (5, 4)), fill(2, (1, 5))
want = 0.25 * (a.T @ b.T) + 0.35 * c
line = [l for l in sys.stdin.read().splitlines() if l.startswith("output ")][0]
got = np.array([float(v) for v in line.split()[2:]], dtype=np.float32).reshape(3, 5)
err = np.abs(got - want).max()
print("max abs error %.3g" % err)
sys.exit(0 if err < 1e-5 else 1)
