"""Checks a weight written by kiln-repack-weights against its GGUF-layout
source, from the layouts' definition (docs/repacking.md): per group of 32
rows and block index, the 32 rows' f16 fields (d, and dmin for q4_k; q6_k's
d is the last two bytes of its GGUF block; each field as the 32 low bytes,
then the 32 high bytes), then the other
bytes with the rows innermost: byte pairs (2 bytes per row, 64 per pair) in
GGUF's order; q6_k: runs of 4 bytes per row (128 per run), the 4 runs of
scales first, then for each half of the block and each lane j the ql run of
quarters 0 and 2, the ql run of quarters 1 and 3 and the qh run (elements
4j..4j+3). With `copy`, checks that a weight left alone is copied unchanged.

usage: check_repacked.py FORMAT SRC SRC_OFFSET OUT OUT_OFFSET ROWS ROW_LENGTH [copy]
"""
import sys

fmt, src_path, src_at, out_path, out_at, rows, row_length = sys.argv[1:8]
src_at, out_at, rows, row_length = int(src_at), int(out_at), int(rows), int(row_length)
copy = len(sys.argv) > 8
block_bytes, block_elements, fields_at, fields = {
    "q4_0": (18, 32, 0, 2), "q8_0": (34, 32, 0, 2),
    "q4_k": (144, 256, 0, 4), "q6_k": (210, 256, 208, 2)}[fmt]
blocks = row_length // block_elements
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
        for k in range(fields):
            expected[base + 32 * k + r] = block[fields_at + k]
        others = block[:fields_at] + block[fields_at + fields:]
        for q, value in enumerate(others):
            if fmt != "q6_k":
                place = base + 32 * fields + 64 * (q // 2) + 2 * r + q % 2
            else:
                if q >= 192:    # scales
                    run = (q - 192) // 4
                elif q >= 128:  # qh: half, lane
                    run = 4 + 24 * ((q - 128) // 32) + 3 * ((q % 32) // 4) + 2
                else:           # ql: half, lane, quarters 1 and 3
                    run = 4 + 24 * (q // 64) + 3 * ((q % 32) // 4) + (q % 64) // 32
                place = base + 32 * fields + 128 * run + 4 * r + q % 4
            expected[place] = value
bad = sum(1 for a, b in zip(expected, out) if a != b)
print(f"repacked {fmt}: {bad} of {size} bytes differ")
