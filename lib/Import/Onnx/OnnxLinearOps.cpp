//===- OnnxLinearOps.cpp - ONNX MatMul, Gemm and Gather -> kiln -----------===//
#include "OnnxOpBuilders.h"

namespace kiln::onnx_import {
using namespace mlir;

/// numpy.matmul: 1-D operands are promoted to matrices and the added
/// dimension removed from the result.
LogicalResult buildMatMul(NodeContext &node) {
  Value a = node.input(0), b = node.input(1);
  FailureOr<int64_t> rankA = node.rank(0), rankB = node.rank(1);
  if (failed(rankA) || failed(rankB))
    return failure();
  auto axes = [&](int64_t axis) { return node.builder.getDenseI64ArrayAttr(axis); };
  if (*rankA == 1) {
    FailureOr<Value> promoted = node.create<mlir::kiln::UnsqueezeOp>(a, axes(0));
    if (failed(promoted))
      return failure();
    a = *promoted;
  }
  if (*rankB == 1) {
    FailureOr<Value> promoted = node.create<mlir::kiln::UnsqueezeOp>(b, axes(1));
    if (failed(promoted))
      return failure();
    b = *promoted;
  }
  FailureOr<Value> product = node.create<mlir::kiln::MatmulOp>(a, b, UnitAttr());
  if (failed(product))
    return failure();
  Value result = *product;
  if (*rankB == 1) {
    FailureOr<Value> squeezed = node.create<mlir::kiln::SqueezeOp>(result, axes(-1));
    if (failed(squeezed))
      return failure();
    result = *squeezed;
  }
  if (*rankA == 1) {
    FailureOr<Value> squeezed = node.create<mlir::kiln::SqueezeOp>(
        result, axes(*rankB == 1 ? -1 : -2));
    if (failed(squeezed))
      return failure();
    result = *squeezed;
  }
  return node.setOutput(0, result);
}

/// Y = alpha * A' * B' + beta * C, with A' = transA ? A^T : A and so on.
LogicalResult buildGemm(NodeContext &node) {
  Value a = node.input(0), b = node.input(1);
  Type element = elementOf(a);
  if (node.attrInt("transA", 0)) {
    FailureOr<Value> transposed = node.create<mlir::kiln::TransposeOp>(
        a, node.builder.getDenseI64ArrayAttr({1, 0}));
    if (failed(transposed))
      return failure();
    a = *transposed;
  }
  UnitAttr transB = node.attrInt("transB", 0) ? node.builder.getUnitAttr()
                                               : UnitAttr();
  FailureOr<Value> product = node.create<mlir::kiln::MatmulOp>(a, b, transB);
  if (failed(product))
    return failure();
  Value result = *product;
  float alpha = node.attrFloat("alpha", 1.0f);
  if (alpha != 1.0f) {
    FailureOr<Value> scaled =
        node.create<mlir::kiln::MulOp>(result, node.scalar(element, alpha));
    if (failed(scaled))
      return failure();
    result = *scaled;
  }
  if (node.hasInput(2)) {
    Value c = node.input(2);
    float beta = node.attrFloat("beta", 1.0f);
    if (beta != 1.0f) {
      FailureOr<Value> scaled =
          node.create<mlir::kiln::MulOp>(c, node.scalar(element, beta));
      if (failed(scaled))
        return failure();
      c = *scaled;
    }
    FailureOr<Value> sum = node.create<mlir::kiln::AddOp>(result, c);
    if (failed(sum))
      return failure();
    result = *sum;
  }
  return node.setOutput(0, result);
}

LogicalResult buildGather(NodeContext &node) {
  FailureOr<Value> result = node.create<mlir::kiln::GatherOp>(
      node.input(0), node.input(1),
      node.builder.getI64IntegerAttr(node.attrInt("axis", 0)));
  return failed(result) ? failure() : node.setOutput(0, *result);
}

} // namespace kiln::onnx_import
