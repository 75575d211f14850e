//===- OnnxQuantOps.cpp - ONNX (de)quantization ops -> kiln ---------------===//
#include "OnnxOpBuilders.h"

namespace kiln::onnx_import {
using namespace mlir;

/// y = (x - zero_point) * scale, per tensor or per `axis` (opset 13).
LogicalResult buildDequantizeLinear(NodeContext &node) {
  Value x = node.input(0), scale = node.input(1);
  Type f32 = elementOf(scale);
  FailureOr<int64_t> rank = node.rank(0);
  FailureOr<int64_t> scaleRank = node.rank(1);
  if (failed(rank) || failed(scaleRank))
    return failure();
  // A per-axis [C] scale (and zero point) broadcasts as [C, 1, ..., 1].
  auto perAxis = [&](Value v) -> FailureOr<Value> {
    if (*scaleRank == 0 || *rank == 0)
      return v;
    FailureOr<int64_t> axis =
        normalizedAxis(node, node.attrInt("axis", 1), *rank);
    if (failed(axis))
      return failure();
    SmallVector<int64_t> ones;
    for (int64_t d = 1; d < *rank - *axis; ++d)
      ones.push_back(d);
    if (ones.empty())
      return v;
    return node.create<mlir::kiln::UnsqueezeOp>(v,
                                          node.builder.getDenseI64ArrayAttr(ones));
  };
  FailureOr<Value> value = node.create<mlir::kiln::CastOp>(x, TypeAttr::get(f32));
  if (failed(value))
    return failure();
  if (node.hasInput(2)) {
    FailureOr<Value> zero =
        node.create<mlir::kiln::CastOp>(node.input(2), TypeAttr::get(f32));
    if (failed(zero))
      return failure();
    FailureOr<Value> shaped = perAxis(*zero);
    if (failed(shaped))
      return failure();
    value = node.create<mlir::kiln::SubOp>(*value, *shaped);
    if (failed(value))
      return failure();
  }
  FailureOr<Value> shapedScale = perAxis(scale);
  if (failed(shapedScale))
    return failure();
  FailureOr<Value> result = node.create<mlir::kiln::MulOp>(*value, *shapedScale);
  return failed(result) ? failure() : node.setOutput(0, *result);
}

} // namespace kiln::onnx_import
