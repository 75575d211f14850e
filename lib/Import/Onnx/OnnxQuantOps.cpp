//===- OnnxQuantOps.cpp - ONNX (de)quantization ops -> kiln ---------------===//
#include "OnnxOpBuilders.h"

#include <cmath>

namespace kiln::onnx_import {
using namespace mlir;
namespace kd = ::mlir::kiln;

/// A scale or zero point (input 1 or 2) shaped to broadcast against x
/// (input 0): per tensor as it is, per `axis` ([C]) as [C, 1, ..., 1].
static FailureOr<Value> perAxis(NodeContext &node, Value v) {
  FailureOr<int64_t> rank = node.rank(0), scaleRank = node.rank(1);
  if (failed(rank) || failed(scaleRank))
    return failure();
  if (*scaleRank == 0 || *rank == 0)
    return v;
  FailureOr<int64_t> axis = normalizedAxis(node, node.attrInt("axis", 1), *rank);
  if (failed(axis))
    return failure();
  SmallVector<int64_t> ones;
  for (int64_t d = 1; d < *rank - *axis; ++d)
    ones.push_back(d);
  if (ones.empty())
    return v;
  return node.create<mlir::kiln::UnsqueezeOp>(
      v, node.builder.getDenseI64ArrayAttr(ones));
}

/// y = (x - zero_point) * scale, per tensor or per `axis` (opset 13).
LogicalResult buildDequantizeLinear(NodeContext &node) {
  Value x = node.input(0), scale = node.input(1);
  Type f32 = elementOf(scale);
  FailureOr<Value> value = node.create<mlir::kiln::CastOp>(x, TypeAttr::get(f32));
  if (failed(value))
    return failure();
  if (node.hasInput(2)) {
    FailureOr<Value> zero =
        node.create<mlir::kiln::CastOp>(node.input(2), TypeAttr::get(f32));
    if (failed(zero))
      return failure();
    FailureOr<Value> shaped = perAxis(node, *zero);
    if (failed(shaped))
      return failure();
    value = node.create<mlir::kiln::SubOp>(*value, *shaped);
    if (failed(value))
      return failure();
  }
  FailureOr<Value> shapedScale = perAxis(node, scale);
  if (failed(shapedScale))
    return failure();
  FailureOr<Value> result = node.create<mlir::kiln::MulOp>(*value, *shapedScale);
  return failed(result) ? failure() : node.setOutput(0, *result);
}

/// y = saturate(round(x / scale) + zero_point), per tensor or per axis.
LogicalResult buildQuantizeLinear(NodeContext &node) {
  Value x = node.input(0), scale = node.input(1);
  Type target = node.hasInput(2) ? elementOf(node.input(2))
                                 : node.builder.getIntegerType(8, false);
  Type f = elementOf(x);
  FailureOr<Value> s = perAxis(node, scale);
  if (failed(s))
    return failure();
  FailureOr<Value> y = node.create<kd::DivOp>(x, *s);
  if (failed(y) || failed(y = node.create<kd::RoundOp>(*y)))
    return failure();
  if (node.hasInput(2)) {
    FailureOr<Value> zp = node.create<kd::CastOp>(node.input(2), TypeAttr::get(f));
    if (failed(zp) || failed(zp = perAxis(node, *zp)) ||
        failed(y = node.create<kd::AddOp>(*y, *zp)))
      return failure();
  }
  bool isSigned = !target.isUnsignedInteger();
  unsigned bits = target.getIntOrFloatBitWidth();
  double lo = isSigned ? -std::ldexp(1.0, bits - 1) : 0;
  double hi = isSigned ? std::ldexp(1.0, bits - 1) - 1 : std::ldexp(1.0, bits) - 1;
  if (failed(y = node.create<kd::MaxOp>(*y, node.scalar(f, lo))) ||
      failed(y = node.create<kd::MinOp>(*y, node.scalar(f, hi))) ||
      failed(y = node.create<kd::CastOp>(*y, TypeAttr::get(target))))
    return failure();
  return node.setOutput(0, *y);
}

} // namespace kiln::onnx_import
