"""Checks a q4_0x32 weight written by kiln-repack-weights against its
GGUF-layout source, from the layout's definition (docs/repacking.md): per
group of 32 rows and block index, the 32 rows' 2-byte scales, then byte p
(p = 0..15) of the 32 rows' quants. Also checks that a weight left alone is
copied unchanged.

usage: check_repacked.py SRC SRC_OFFSET OUT OUT_OFFSET ROWS ROW_LENGTH [copy]
"""
import sys

src_path, src_at, out_path, out_at, rows, row_length = sys.argv[1:7]
src_at, out_at, rows, row_length = int(src_at), int(out_at), int(rows), int(row_length)
copy = len(sys.argv) > 7
blocks = row_length // 32
size = rows * blocks * 18
src = open(src_path, 'rb').read()[src_at:src_at + size]
out = open(out_path, 'rb').read()[out_at:out_at + size]
if len(src) != size or len(out) != size:
    sys.exit(f"short read: {len(src)} / {len(out)} of {size} bytes")
if copy:
    print("copied" if src == out else "changed")
    sys.exit(0)
expected = bytearray(size)
for row in range(rows):
    group, r = divmod(row, 32)
    for b in range(blocks):
        block = src[(row * blocks + b) * 18:(row * blocks + b + 1) * 18]
        base = (group * blocks + b) * 576
        expected[base + 2 * r:base + 2 * r + 2] = block[0:2]
        for p in range(16):
            expected[base + 64 + 32 * p + r] = block[2 + p]
bad = sum(1 for a, b in zip(expected, out) if a != b)
print(f"repacked: {bad} of {size} bytes differ")
