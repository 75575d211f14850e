//===- Repack.h - weight layouts repacked for CPU kernels -----------------===//
//
// The one definition of the layouts kiln-repack-weights writes for x86
// kernels (docs/repacking.md), `!kiln.q4_0x32` and `!kiln.q8_0x32`: rows go
// in groups of 32, and each group stores, for each block index b in turn,
// the 32 rows' f16 scales (64 bytes, row by row) and then their quants
// with the rows innermost:
//   q4_0x32: quant byte p (0..15) of rows 0..31, for p in turn (32 bytes
//            each; one vector load gives byte p of 32 rows);
//   q8_0x32: the element pairs (2q, 2q+1) of rows 0..31, for q = 0..15 in
//            turn (64 bytes each; one vector load gives a pair of 32 rows,
//            the operand of a 16-bit multiply-add of pairs).
// Either is the same size as the 32 original blocks. A kernel reads each
// group as one forward stream. Pure C++: no MLIR here.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_QUANT_REPACK_H
#define KILN_QUANT_REPACK_H

#include "kiln/Quant/BlockFormat.h"

#include <cstdint>

namespace kiln::quant {

/// Rows per group of the repacked layouts.
constexpr int64_t kRepackRows = 32;

/// Whether `format` has a repacked layout (Q4_0 and Q8_0).
bool hasRepackedLayout(BlockFormat format);

/// Offset in a repacked tensor of byte `byte` (of GGUF's block: the f16
/// scale, then the quants) of block `block` of row `row`, for rows of
/// `rowLength` elements.
int64_t repackedOffset(BlockFormat format, int64_t row, int64_t block, int64_t byte,
                       int64_t rowLength);

/// Repacks `rows` rows of `rowLength` elements of GGUF `format` blocks at
/// `src` into the repacked layout at `dst` (same size). False if the format
/// has none, or `rows` is not a multiple of 32 or `rowLength` of 32.
bool repackRows(BlockFormat format, const uint8_t *src, int64_t rows, int64_t rowLength,
                uint8_t *dst);

} // namespace kiln::quant

#endif // KILN_QUANT_REPACK_H
