//===- Repack.h - weight layouts repacked for CPU kernels -----------------===//
//
// The one definition of `!kiln.q4_0x32`, the Q4_0 layout kiln-repack-weights
// writes for x86 kernels (docs/repacking.md): rows go in groups of 32, and
// each group stores, for each block index b in turn, the 32 rows' f16
// scales (64 bytes, row by row) and then their 16 quant bytes position by
// position (byte p of rows 0..31, for p = 0..15): 576 bytes per block
// index, the same size as the 32 original blocks. A kernel then loads one
// quant byte position of 32 rows as one contiguous vector and reads each
// group as one forward stream. Pure C++: no MLIR here.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_QUANT_REPACK_H
#define KILN_QUANT_REPACK_H

#include <cstdint>

namespace kiln::quant {

/// Rows per group of `!kiln.q4_0x32`.
constexpr int64_t kQ4_0Interleave = 32;

/// Offset in a q4_0x32 tensor of byte `byte` (0..17 of GGUF's
/// block_q4_0: the f16 scale, then the 16 quant bytes) of block `block` of
/// row `row`, for rows of `rowLength` elements.
int64_t q4_0x32Offset(int64_t row, int64_t block, int64_t byte, int64_t rowLength);

/// Repacks `rows` rows of `rowLength` elements of GGUF Q4_0 blocks at `src`
/// into q4_0x32 at `dst` (same size). False if `rows` is not a multiple of
/// 32 or `rowLength` of 32.
bool repackQ4_0x32(const uint8_t *src, int64_t rows, int64_t rowLength, uint8_t *dst);

} // namespace kiln::quant

#endif // KILN_QUANT_REPACK_H
