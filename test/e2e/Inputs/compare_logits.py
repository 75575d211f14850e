# compare_logits.py GOT.npy WANT.npy [TOLERANCE]: the largest difference must
# stay within TOLERANCE (default 1e-3) of the reference logits' range (max - min).
import sys
import numpy as np

got, want = np.load(sys.argv[1]), np.load(sys.argv[2])
assert got.shape == want.shape, (got.shape, want.shape)
err = float(np.abs(got.astype(np.float64) - want).max())
span = float(want.max() - want.min())
print("max abs error %.3g, logit range %.3g" % (err, span))
text = sys.argv[3] if len(sys.argv) > 3 else "1e-3"
if err <= float(text) * span:
    print("within %s of the logit range" % text)
    sys.exit(0)
sys.exit(1)
