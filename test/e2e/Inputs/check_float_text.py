"""Reads "<float> <text>" lines (use_values.c -DTEXT) and checks each text
is numpy's str of the float32 value; prints the count checked."""
import sys

import numpy as np

lines = [l.split() for l in sys.stdin if l.strip()]
bad = [(v, t) for v, t in lines if str(np.float32(float(v))) != t]
for v, t in bad:
    print("MISMATCH %s: kiln %s, numpy %s" % (v, t, np.float32(float(v))))
print("checked %d strings, %d differ" % (len(lines), len(bad)))
sys.exit(1 if bad or not lines else 0)
