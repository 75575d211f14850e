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
//   q6_kx32: bytes 4q..4q+3 of rows 0..31 (128 bytes each) for the 52
//            runs q of ql[128], qh[64] and scales[16], in the order the
//            kernel reads them (storedRun; GGUF's d, last in its block,
//            comes first here);
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

/// How many consecutive bytes of a block's other bytes each row keeps
/// together (a run): 2 for Q4_0, Q8_0 and Q4_K (bytes 2q, 2q+1 of the 32
/// rows, 64 bytes per q), 4 for Q6_K (bytes 4q..4q+3, 128 bytes per q).
int64_t rowRunBytes(BlockFormat format);

/// Where run q (GGUF's bytes after the f16 fields, rowRunBytes at a time)
/// is stored among the block's runs: q itself, except for Q6_K, whose 52
/// runs go in the order its kernel reads them (q6kScaleRun, q6kQlRun,
/// q6kQhRun).
int64_t storedRun(BlockFormat format, int64_t q);

/// Q6_K's stored runs (T: an integer, or a Halide expression in the
/// kernel generator): first the four runs of the 16 scale bytes, then, for
/// each half of the block (`upper`: elements 128..255) and each of ggml's
/// eight lanes j, the ql run of elements 4j..4j+3 of quarters 0 and 2
/// (`odd` 0) and of quarters 1 and 3 (`odd` 1), then the qh run of
/// elements 4j..4j+3 of all four quarters: 384 bytes that serve lane j of
/// one half, so the kernel reads each block front to back.
template <typename T> T q6kScaleRun(T k) { return k; }
template <typename T> T q6kQlRun(T upper, T lane, T odd) {
  return 4 + 24 * upper + 3 * lane + odd;
}
template <typename T> T q6kQhRun(T upper, T lane) { return 4 + 24 * upper + 3 * lane + 2; }

/// storedRun for T an integer or a Halide expression, `choose(c, a, b)`
/// being c ? a : b for T (Halide's select).
template <typename T, typename Choose>
T storedRunOf(BlockFormat format, T q, Choose choose) {
  if (format != BlockFormat::Q6_K)
    return q;
  // GGUF's runs: ql 0..31 (bytes 64 upper + 32 odd + 4 lane), qh 32..47
  // (bytes 128 + 32 upper + 4 lane), scales 48..51.
  T qh = q - 32;
  return choose(q >= 48, q6kScaleRun<T>(q - 48),
                choose(q >= 32, q6kQhRun<T>(qh / 8, qh % 8), q6kQlRun<T>(q / 16, q % 8, (q / 8) % 2)));
}

/// Where byte q of a block's other bytes (GGUF's, after the f16 fields)
/// of row r of a group lies among the block's stored runs (from the end of
/// the f16 fields), for T an integer or a Halide expression as storedRunOf:
/// the one address formula of repackedOffset and the kernel generator.
template <typename T, typename Choose>
T restOffsetOf(BlockFormat format, T q, T r, Choose choose) {
  int run = int(rowRunBytes(format)); // int: T may be a Halide expression
  return storedRunOf<T>(format, q / run, choose) * (run * int(kRepackRows)) + run * r + q % run;
}

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
