# compare_logits.py GOT.npy WANT.npy: the largest difference must stay within
# 1e-3 of the reference logits' range (max - min).
import sys
import numpy as np

got, want = np.load(sys.argv[1]), np.load(sys.argv[2])
assert got.shape == want.shape, (got.shape, want.shape)
err = float(np.abs(got.astype(np.float64) - want).max())
span = float(want.max() - want.min())
print("max abs error %.3g, logit range %.3g" % (err, span))
if err <= 1e-3 * span:
    print("within 1e-3 of the logit range")
    sys.exit(0)
sys.exit(1)
