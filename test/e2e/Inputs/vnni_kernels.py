# vnni_kernels.py DIR: of the quantized matmul kernels `kiln compile
# --dump-kernels-to=DIR` wrote (<kernel>.stmt and <kernel>.s), how many are
# prefill kernels (a loop over several activation rows, `..._gacc...s1.m`)
# and decode kernels (one row), split by whether they read Q6_K weights
# (their 16-bit scale pairs, `_gscp`), and how many of each use vpdpbusd.
import collections
import glob
import os
import re
import sys

counts = collections.Counter()
for stmt in sorted(glob.glob(os.path.join(sys.argv[1], "*qmatmul*.stmt"))):
    text = open(stmt).read()
    if "_gacc" not in text:
        continue
    rows = re.search(r"for \(\S*_gacc\S*\.s1\.m, 0, (\d+)\)", text)
    kind = "prefill" if rows and int(rows.group(1)) > 1 else "decode"
    if "_gscp" in text:
        kind += " q6_k"
    asm = open(stmt[:-len(".stmt")] + ".s").read()
    counts[kind] += 1
    counts[kind + " vnni"] += "vpdpbusd" in asm
for kind in sorted(k for k in counts if not k.endswith(" vnni")):
    print("%s: %d kernels, %d with vpdpbusd" % (kind, counts[kind], counts[kind + " vnni"]))
