//===- Repack.h - weight layouts repacked for CPU kernels -----------------===//
//
// The one definition of the layouts kiln-repack-weights writes for x86
// kernels (docs/repacking.md), `!kiln.q4_0x32`, `!kiln.q8_0x32`,
// `!kiln.q4_kx32` and `!kiln.q6_kx32`: rows go in groups of 32, and each
// group stores, for each block index b in turn, the 32 rows' f16 fields
// (64 bytes each: d; for q4_k d, then dmin; each as the 32 rows' low bytes,
// then their high bytes) and then the other bytes of their blocks, in
// GGUF's order, with the rows innermost:
//   q4_0x32: the quant byte pairs (2q, 2q+1) of rows 0..31, for q = 0..7
//            in turn (64 bytes each; the nibbles of one vector load are
//            the operands of an 8-bit multiply-add of pairs, pmaddubsw);
//   q4_kx32: the same pairs of the 12 scale bytes, then of the 128 quant
//            bytes (70 pairs of 64 bytes);
//   q6_kx32: byte k of rows 0..31 for ql[128], qh[64] and scales[16], k
//            in turn (32 bytes each; GGUF's d, last in its block, comes
//            first here);
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

/// Whether `format` has a repacked layout (Q4_0, Q8_0, Q4_K and Q6_K).
bool hasRepackedLayout(BlockFormat format);

/// The f16 fields of a block of `format` (1, or 2 for Q4_K) and the byte
/// where they start in GGUF's block (0, or 208 for Q6_K).
int64_t halfFields(BlockFormat format);
int64_t halfFieldsAt(BlockFormat format);

/// Whether a block's other bytes are stored as per-row byte pairs (Q4_0,
/// Q8_0, Q4_K: bytes 2q, 2q+1 of the 32 rows, 64 bytes per q) rather than
/// one byte per row (Q6_K: byte k of the 32 rows, 32 bytes per k).
bool pairedBytes(BlockFormat format);

/// Offset in a repacked tensor of byte `byte` (of GGUF's block: the f16
/// fields, then the rest) of block `block` of row `row`, for rows of
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
