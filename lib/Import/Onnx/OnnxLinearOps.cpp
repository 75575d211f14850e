//===- OnnxLinearOps.cpp - ONNX MatMul, Gemm and Gather -> kiln -----------===//
#include "OnnxOpBuilders.h"

namespace kiln::onnx_import {
using namespace mlir;
namespace kd = ::mlir::kiln;

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


LogicalResult buildGatherElements(NodeContext &node) {
  FailureOr<Value> result = node.create<kd::GatherElementsOp>(
      node.input(0), node.input(1),
      node.builder.getI64IntegerAttr(node.attrInt("axis", 0)));
  return failed(result) ? failure() : node.setOutput(0, *result);
}

/// NegativeLogLikelihoodLoss of log-probabilities `logp` [N, C, d...] and
/// `target` [N, d...]: -logp[n, target, d] * weight[target], zero where
/// target == ignore_index, then reduced (none, sum, or mean weighted by the
/// weights of the counted targets).
static FailureOr<Value> nllLoss(NodeContext &node, Value logp, Value target,
                                Value weight) {
  OpBuilder &b = node.builder;
  Type element = elementOf(logp);
  Type index = elementOf(target);
  FailureOr<int64_t> rank = node.rank(0);
  if (failed(rank))
    return failure();
  const onnx::AttributeProto *ignoreAttr = node.attr("ignore_index");
  Value safeTarget = target, mask;
  if (ignoreAttr) {
    Value ignore = node.scalar(index, double(ignoreAttr->i()));
    FailureOr<Value> counted = node.create<kd::CompareOp>(
        kd::ComparePredicateAttr::get(b.getContext(), kd::ComparePredicate::ne),
        target, ignore);
    if (failed(counted))
      return failure();
    mask = *counted;
    FailureOr<Value> safe =
        node.create<kd::SelectOp>(mask, target, node.scalar(index, 0));
    if (failed(safe))
      return failure();
    safeTarget = *safe;
  }
  FailureOr<Value> expanded =
      node.create<kd::UnsqueezeOp>(safeTarget, b.getDenseI64ArrayAttr(1));
  if (failed(expanded))
    return failure();
  FailureOr<Value> picked =
      node.create<kd::GatherElementsOp>(logp, *expanded, b.getI64IntegerAttr(1));
  if (failed(picked))
    return failure();
  FailureOr<Value> value =
      node.create<kd::SqueezeOp>(*picked, b.getDenseI64ArrayAttr(1));
  if (failed(value))
    return failure();
  // Per-element weights: weight[target] (or 1), zeroed where ignored.
  Value w;
  if (weight) {
    FailureOr<Value> gathered =
        node.create<kd::GatherOp>(weight, safeTarget, b.getI64IntegerAttr(0));
    if (failed(gathered))
      return failure();
    w = *gathered;
  }
  if (mask) {
    FailureOr<Value> masked = node.create<kd::SelectOp>(
        mask, w ? w : node.scalar(element, 1.0), node.scalar(element, 0.0));
    if (failed(masked))
      return failure();
    w = *masked;
  }
  FailureOr<Value> loss = node.create<kd::NegOp>(*value);
  if (failed(loss))
    return failure();
  if (w) {
    loss = node.create<kd::MulOp>(*loss, w);
    if (failed(loss))
      return failure();
  }
  std::string reduction = node.attrString("reduction", "mean");
  if (reduction == "none")
    return *loss;
  if (reduction != "sum" && reduction != "mean")
    return node.error("unknown reduction '" + reduction + "'");
  auto lossType = llvm::cast<RankedTensorType>(loss->getType());
  SmallVector<int64_t> all;
  for (int64_t d = 0; d < lossType.getRank(); ++d)
    all.push_back(d);
  auto sumAll = [&](Value v) -> FailureOr<Value> {
    if (all.empty())
      return v;
    return node.create<kd::ReduceSumOp>(v, b.getDenseI64ArrayAttr(all),
                                        b.getBoolAttr(false));
  };
  FailureOr<Value> total = sumAll(*loss);
  if (failed(total) || reduction == "sum")
    return total;
  Value count;
  if (w) {
    FailureOr<Value> weights = sumAll(w);
    if (failed(weights))
      return failure();
    count = *weights;
  } else {
    count = node.scalar(element, double(lossType.getNumElements()));
  }
  return node.create<kd::DivOp>(*total, count);
}

LogicalResult buildNegativeLogLikelihoodLoss(NodeContext &node) {
  FailureOr<Value> loss =
      nllLoss(node, node.input(0), node.input(1),
              node.hasInput(2) ? node.input(2) : Value());
  return failed(loss) ? failure() : node.setOutput(0, *loss);
}

LogicalResult buildSoftmaxCrossEntropyLoss(NodeContext &node) {
  FailureOr<Value> logp = node.create<kd::LogSoftmaxOp>(
      node.input(0), node.builder.getI64IntegerAttr(1));
  if (failed(logp))
    return failure();
  FailureOr<Value> loss = nllLoss(node, *logp, node.input(1),
                                  node.hasInput(2) ? node.input(2) : Value());
  if (failed(loss) || failed(node.setOutput(0, *loss)))
    return failure();
  return node.setOutput(1, *logp);
}

} // namespace kiln::onnx_import
