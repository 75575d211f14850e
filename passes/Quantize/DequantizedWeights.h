//===- DequantizedWeights.h - ONNX DequantizeLinear weights to Q8_0 -------===//
//
// An ONNX QDQ model multiplies activations by DequantizeLinear(int8 weight,
// scale, zero point); imported, that is kiln.matmul(x, mul(sub(cast(w),
// zp), scale)). kiln-quantize turns such a weight into Q8_0 blocks at
// compile time, so the matmul reads 8-bit weights instead of dequantizing
// them on every call. Part of the kiln-quantize pass (Quantize.cpp).
//
//===----------------------------------------------------------------------===//
#ifndef KILN_PASSES_QUANTIZE_DEQUANTIZEDWEIGHTS_H
#define KILN_PASSES_QUANTIZE_DEQUANTIZEDWEIGHTS_H

#include "kiln/Dialect/Kiln/KilnOps.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir::kiln {

/// A matched integer weight: its per-output-row scales and zero points and
/// the matmuls that read it through the dequantizing chain.
struct DequantizedWeight {
  int64_t rows = 0, rowLength = 0; // N, K
  bool columns = false;            // stored [K, N] (ONNX MatMul) or [N, K]
  bool isUnsigned = false;         // ui8 rather than i8
  std::vector<float> scales;       // per row n
  std::vector<float> zeroPoints;   // per row n
  SmallVector<MatmulOp> matmuls;
  SmallVector<WeightOp> sources;   // the kiln.weight each matmul reads
  SmallVector<Operation *> chain;  // cast/sub/mul ops to erase, users first
};

/// Matches every use of the integer weight `weights` (one declaration's
/// kiln.weight ops) as a per-tensor or per-row dequantization feeding only
/// matmul right-hand sides with f32 left-hand sides.
std::optional<DequantizedWeight> matchDequantizedWeight(ArrayRef<WeightOp> weights);

/// Q8_0 blocks ([N, K / 32] blocks) of the matched weight whose stored
/// integers are at `source`. A row whose integers minus zero point fit in
/// [-127, 127] keeps them, with the row's scale as every block's half-
/// precision `d` (exact up to that rounding); other rows are requantized
/// from the dequantized values.
std::vector<uint8_t> encodeDequantizedWeight(const DequantizedWeight &weight,
                                             const uint8_t *source);

/// Rewrites the matched matmuls to kiln.qmatmul of the weight (now of type
/// `quantized`) and erases the dequantizing chain.
void rewriteDequantizedWeight(DequantizedWeight &weight, ArrayRef<WeightOp> weights,
                              RankedTensorType quantized);

} // namespace mlir::kiln

#endif // KILN_PASSES_QUANTIZE_DEQUANTIZEDWEIGHTS_H
