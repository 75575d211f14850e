"""Checks a weight written by kiln-repack-weights against its GGUF-layout
source, from the layouts' definition (docs/repacking.md): per group of 32
rows and block index, the 32 rows' 2-byte scales, then the quants with the
rows innermost (q4_0: byte p = 0..15 of the 32 rows in turn; q8_0: element
pairs q = 0..15 of the 32 rows in turn, 2 bytes per row). With `copy`,
checks that a weight left alone is copied unchanged.

usage: check_repacked.py q4_0|q8_0 SRC SRC_OFFSET OUT OUT_OFFSET ROWS ROW_LENGTH [copy]
"""
import sys

fmt, src_path, src_at, out_path, out_at, rows, row_length = sys.argv[1:8]
src_at, out_at, rows, row_length = int(src_at), int(out_at), int(rows), int(row_length)
copy = len(sys.argv) > 8
block_bytes = {"q4_0": 18, "q8_0": 34}[fmt]
blocks = row_length // 32
size = rows * blocks * block_bytes
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
        at = (row * blocks + b) * block_bytes
        block = src[at:at + block_bytes]
        base = (group * blocks + b) * 32 * block_bytes
        expected[base + 2 * r:base + 2 * r + 2] = block[0:2]
        for q in range(block_bytes - 2):
            if fmt == "q4_0":
                place = base + 64 + 32 * q + r
            else:
                place = base + 64 + 64 * (q // 2) + 2 * r + q % 2
            expected[place] = block[2 + q]
bad = sum(1 for a, b in zip(expected, out) if a != b)
print(f"repacked {fmt}: {bad} of {size} bytes differ")
