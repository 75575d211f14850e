//===- OnnxElementwiseOps.cpp - ONNX elementwise ops -> kiln --------------===//
#include "OnnxOpBuilders.h"

namespace kiln::onnx_import {
using namespace mlir;

/// Before opset 7, binary ops broadcast only with an explicit `broadcast`
/// attribute and their own rules; kiln supports the numpy rules of 7+.
static LogicalResult checkLegacyBroadcast(NodeContext &node) {
  if (node.opset < 7 && node.attrInt("broadcast", 0))
    return node.error("the pre-opset-7 'broadcast' attribute is not supported");
  return success();
}

template <typename OpTy>
static LogicalResult binary(NodeContext &node) {
  if (failed(checkLegacyBroadcast(node)))
    return failure();
  FailureOr<Value> result = node.create<OpTy>(node.input(0), node.input(1));
  return failed(result) ? failure() : node.setOutput(0, *result);
}

/// Max, Min, Sum: a chain over any number of inputs (at least one).
template <typename OpTy>
static FailureOr<Value> variadic(NodeContext &node) {
  if (node.numInputs() < 1)
    return node.error("needs at least one input");
  Value acc = node.input(0);
  for (int i = 1; i < node.numInputs(); ++i) {
    FailureOr<Value> next = node.create<OpTy>(acc, node.input(i));
    if (failed(next))
      return failure();
    acc = *next;
  }
  return acc;
}

template <typename OpTy>
static LogicalResult chain(NodeContext &node) {
  FailureOr<Value> result = variadic<OpTy>(node);
  return failed(result) ? failure() : node.setOutput(0, *result);
}

LogicalResult buildAdd(NodeContext &node) { return binary<mlir::kiln::AddOp>(node); }
LogicalResult buildSub(NodeContext &node) { return binary<mlir::kiln::SubOp>(node); }
LogicalResult buildMul(NodeContext &node) { return binary<mlir::kiln::MulOp>(node); }
LogicalResult buildDiv(NodeContext &node) { return binary<mlir::kiln::DivOp>(node); }
LogicalResult buildMax(NodeContext &node) { return chain<mlir::kiln::MaxOp>(node); }
LogicalResult buildMin(NodeContext &node) { return chain<mlir::kiln::MinOp>(node); }
LogicalResult buildSum(NodeContext &node) { return chain<mlir::kiln::AddOp>(node); }

LogicalResult buildMean(NodeContext &node) {
  FailureOr<Value> sum = variadic<mlir::kiln::AddOp>(node);
  if (failed(sum))
    return failure();
  Value count = node.scalar(elementOf(*sum), node.numInputs());
  FailureOr<Value> mean = node.create<mlir::kiln::DivOp>(*sum, count);
  return failed(mean) ? failure() : node.setOutput(0, *mean);
}

static LogicalResult compare(NodeContext &node, mlir::kiln::ComparePredicate p) {
  FailureOr<Value> result = node.create<mlir::kiln::CompareOp>(
      mlir::kiln::ComparePredicateAttr::get(node.builder.getContext(), p),
      node.input(0), node.input(1));
  return failed(result) ? failure() : node.setOutput(0, *result);
}

LogicalResult buildEqual(NodeContext &node) {
  return compare(node, mlir::kiln::ComparePredicate::eq);
}
LogicalResult buildLess(NodeContext &node) {
  return compare(node, mlir::kiln::ComparePredicate::lt);
}
LogicalResult buildLessOrEqual(NodeContext &node) {
  return compare(node, mlir::kiln::ComparePredicate::le);
}
LogicalResult buildGreater(NodeContext &node) {
  return compare(node, mlir::kiln::ComparePredicate::gt);
}
LogicalResult buildGreaterOrEqual(NodeContext &node) {
  return compare(node, mlir::kiln::ComparePredicate::ge);
}

template <typename OpTy>
static LogicalResult unary(NodeContext &node) {
  FailureOr<Value> result = node.create<OpTy>(node.input(0));
  return failed(result) ? failure() : node.setOutput(0, *result);
}

LogicalResult buildSqrt(NodeContext &node) { return unary<mlir::kiln::SqrtOp>(node); }
LogicalResult buildExp(NodeContext &node) { return unary<mlir::kiln::ExpOp>(node); }
LogicalResult buildLog(NodeContext &node) { return unary<mlir::kiln::LogOp>(node); }
LogicalResult buildErf(NodeContext &node) { return unary<mlir::kiln::ErfOp>(node); }
LogicalResult buildTanh(NodeContext &node) { return unary<mlir::kiln::TanhOp>(node); }
LogicalResult buildSigmoid(NodeContext &node) {
  return unary<mlir::kiln::SigmoidOp>(node);
}
LogicalResult buildRelu(NodeContext &node) { return unary<mlir::kiln::ReluOp>(node); }
LogicalResult buildNeg(NodeContext &node) { return unary<mlir::kiln::NegOp>(node); }
LogicalResult buildAbs(NodeContext &node) { return unary<mlir::kiln::AbsOp>(node); }
LogicalResult buildSin(NodeContext &node) {
  return unary<mlir::kiln::SinOp>(node);
}
LogicalResult buildCos(NodeContext &node) {
  return unary<mlir::kiln::CosOp>(node);
}
LogicalResult buildTan(NodeContext &node) {
  return unary<mlir::kiln::TanOp>(node);
}
LogicalResult buildAsin(NodeContext &node) {
  return unary<mlir::kiln::AsinOp>(node);
}
LogicalResult buildAcos(NodeContext &node) {
  return unary<mlir::kiln::AcosOp>(node);
}
LogicalResult buildAtan(NodeContext &node) {
  return unary<mlir::kiln::AtanOp>(node);
}
LogicalResult buildSinh(NodeContext &node) {
  return unary<mlir::kiln::SinhOp>(node);
}
LogicalResult buildCosh(NodeContext &node) {
  return unary<mlir::kiln::CoshOp>(node);
}
LogicalResult buildAsinh(NodeContext &node) {
  return unary<mlir::kiln::AsinhOp>(node);
}
LogicalResult buildAcosh(NodeContext &node) {
  return unary<mlir::kiln::AcoshOp>(node);
}
LogicalResult buildAtanh(NodeContext &node) {
  return unary<mlir::kiln::AtanhOp>(node);
}
LogicalResult buildFloor(NodeContext &node) {
  return unary<mlir::kiln::FloorOp>(node);
}
LogicalResult buildCeil(NodeContext &node) {
  return unary<mlir::kiln::CeilOp>(node);
}
LogicalResult buildRound(NodeContext &node) {
  return unary<mlir::kiln::RoundOp>(node);
}

LogicalResult buildIdentity(NodeContext &node) {
  return node.setOutput(0, node.input(0));
}

LogicalResult buildReciprocal(NodeContext &node) {
  Value x = node.input(0);
  FailureOr<Value> result =
      node.create<mlir::kiln::DivOp>(node.scalar(elementOf(x), 1.0), x);
  return failed(result) ? failure() : node.setOutput(0, *result);
}

LogicalResult buildLeakyRelu(NodeContext &node) {
  // x < 0 ? alpha * x : x
  Value x = node.input(0);
  Type element = elementOf(x);
  Value zero = node.scalar(element, 0.0);
  FailureOr<Value> negative = node.create<mlir::kiln::CompareOp>(
      mlir::kiln::ComparePredicateAttr::get(node.builder.getContext(),
                                      mlir::kiln::ComparePredicate::lt),
      x, zero);
  FailureOr<Value> scaled = node.create<mlir::kiln::MulOp>(
      x, node.scalar(element, node.attrFloat("alpha", 0.01f)));
  if (failed(negative) || failed(scaled))
    return failure();
  FailureOr<Value> result = node.create<mlir::kiln::SelectOp>(*negative, *scaled, x);
  return failed(result) ? failure() : node.setOutput(0, *result);
}

LogicalResult buildClip(NodeContext &node) {
  Value x = node.input(0);
  Type element = elementOf(x);
  Value low, high;
  if (node.opset < 11) {
    low = node.scalar(element, node.attrFloat("min", -3.4028234663852886e38f));
    high = node.scalar(element, node.attrFloat("max", 3.4028234663852886e38f));
  } else {
    if (node.hasInput(1))
      low = node.input(1);
    if (node.hasInput(2))
      high = node.input(2);
  }
  Value result = x;
  if (low) {
    FailureOr<Value> clipped = node.create<mlir::kiln::MaxOp>(result, low);
    if (failed(clipped))
      return failure();
    result = *clipped;
  }
  if (high) {
    FailureOr<Value> clipped = node.create<mlir::kiln::MinOp>(result, high);
    if (failed(clipped))
      return failure();
    result = *clipped;
  }
  return node.setOutput(0, result);
}

LogicalResult buildWhere(NodeContext &node) {
  FailureOr<Value> result = node.create<mlir::kiln::SelectOp>(
      node.input(0), node.input(1), node.input(2));
  return failed(result) ? failure() : node.setOutput(0, *result);
}

/// Cast to or from STRING: kiln.format / kiln.parse, which the runtime runs.
/// Shared by Cast and CastLike.
FailureOr<Value> castText(NodeContext &node, Value input, Type element) {
  if (llvm::isa<mlir::kiln::StringType>(element))
    return node.create<mlir::kiln::FormatOp>(input);
  return node.create<mlir::kiln::ParseOp>(input, TypeAttr::get(element));
}

LogicalResult buildCast(NodeContext &node) {
  int64_t to = node.attrInt("to", 0);
  Type element = to == onnx::TensorProto::STRING
                     ? Type(mlir::kiln::StringType::get(node.builder.getContext()))
                     : elementType(node.builder.getContext(), to);
  if (!element)
    return node.error("cannot cast to " + dataTypeName(to) +
                      ", which kiln does not support");
  if (element == elementOf(node.input(0)))
    return node.setOutput(0, node.input(0));
  if (llvm::isa<mlir::kiln::StringType>(element) ||
      llvm::isa<mlir::kiln::StringType>(elementOf(node.input(0)))) {
    FailureOr<Value> result = castText(node, node.input(0), element);
    return failed(result) ? failure() : node.setOutput(0, *result);
  }
  // ONNX 1.12 (the opsets kiln reads) defines float to bfloat16 as
  // truncation; later ONNX releases round to nearest even.
  bool truncate = element.isBF16() && elementOf(node.input(0)).isF32();
  FailureOr<Value> result = node.create<mlir::kiln::CastOp>(
      node.input(0), TypeAttr::get(element),
      truncate ? node.builder.getUnitAttr() : UnitAttr());
  return failed(result) ? failure() : node.setOutput(0, *result);
}

} // namespace kiln::onnx_import
