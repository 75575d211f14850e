//===- OnnxNormOps.cpp - ONNX softmax, norms and reductions -> kiln -------===//
#include "OnnxOpBuilders.h"

namespace kiln::onnx_import {
using namespace mlir;

/// Softmax and LogSoftmax. Before opset 13 they work on the input flattened
/// to 2-D at `axis` (default 1); from 13 on along `axis` (default -1).
template <typename OpTy>
static LogicalResult softmax(NodeContext &node) {
  Value x = node.input(0);
  FailureOr<int64_t> rank = node.rank(0);
  if (failed(rank))
    return failure();
  bool flattened = node.opset < 13;
  FailureOr<int64_t> axis =
      normalizedAxis(node, node.attrInt("axis", flattened ? 1 : -1), *rank);
  if (failed(axis))
    return failure();
  if (!flattened || *axis == *rank - 1) {
    FailureOr<Value> result = node.create<OpTy>(
        x, node.builder.getI64IntegerAttr(flattened ? -1 : *axis));
    return failed(result) ? failure() : node.setOutput(0, *result);
  }
  FailureOr<SmallVector<int64_t>> shape =
      node.staticShape(0, "to flatten it for a pre-13 softmax");
  if (failed(shape))
    return failure();
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < *rank; ++d)
    (d < *axis ? outer : inner) *= (*shape)[d];
  FailureOr<Value> matrix = node.create<mlir::kiln::ReshapeOp>(
      x, node.builder.getDenseI64ArrayAttr({outer, inner}));
  if (failed(matrix))
    return failure();
  FailureOr<Value> result =
      node.create<OpTy>(*matrix, node.builder.getI64IntegerAttr(-1));
  if (failed(result))
    return failure();
  FailureOr<Value> restored = node.create<mlir::kiln::ReshapeOp>(
      *result, node.builder.getDenseI64ArrayAttr(*shape));
  return failed(restored) ? failure() : node.setOutput(0, *restored);
}

LogicalResult buildSoftmax(NodeContext &node) {
  return softmax<mlir::kiln::SoftmaxOp>(node);
}
LogicalResult buildLogSoftmax(NodeContext &node) {
  return softmax<mlir::kiln::LogSoftmaxOp>(node);
}

/// LayerNormalization. When its Mean and InvStdDev outputs are used too, it
/// is built from reductions so those values exist; otherwise it is one
/// kiln.layer_norm.
LogicalResult buildLayerNormalization(NodeContext &node) {
  Value x = node.input(0);
  int64_t axisAttr = node.attrInt("axis", -1);
  float epsilon = node.attrFloat("epsilon", 1e-5f);
  if (!node.outputUsed(1) && !node.outputUsed(2)) {
    FailureOr<Value> result = node.create<mlir::kiln::LayerNormOp>(
        x, node.input(1), node.hasInput(2) ? node.input(2) : Value(),
        node.builder.getI64IntegerAttr(axisAttr),
        node.builder.getF32FloatAttr(epsilon));
    return failed(result) ? failure() : node.setOutput(0, *result);
  }
  FailureOr<int64_t> rank = node.rank(0);
  if (failed(rank))
    return failure();
  FailureOr<int64_t> axis = normalizedAxis(node, axisAttr, *rank);
  if (failed(axis))
    return failure();
  SmallVector<int64_t> axes;
  for (int64_t d = *axis; d < *rank; ++d)
    axes.push_back(d);
  auto axesAttr = node.builder.getDenseI64ArrayAttr(axes);
  auto keep = node.builder.getBoolAttr(true);
  Type element = elementOf(x);
  FailureOr<Value> mean = node.create<mlir::kiln::ReduceMeanOp>(x, axesAttr, keep);
  if (failed(mean))
    return failure();
  FailureOr<Value> centered = node.create<mlir::kiln::SubOp>(x, *mean);
  if (failed(centered))
    return failure();
  FailureOr<Value> squared = node.create<mlir::kiln::MulOp>(*centered, *centered);
  if (failed(squared))
    return failure();
  FailureOr<Value> variance =
      node.create<mlir::kiln::ReduceMeanOp>(*squared, axesAttr, keep);
  if (failed(variance))
    return failure();
  FailureOr<Value> shifted =
      node.create<mlir::kiln::AddOp>(*variance, node.scalar(element, epsilon));
  if (failed(shifted))
    return failure();
  FailureOr<Value> invStd = node.create<mlir::kiln::RsqrtOp>(*shifted);
  if (failed(invStd))
    return failure();
  FailureOr<Value> normalized = node.create<mlir::kiln::MulOp>(*centered, *invStd);
  if (failed(normalized))
    return failure();
  FailureOr<Value> result = node.create<mlir::kiln::MulOp>(*normalized, node.input(1));
  if (failed(result))
    return failure();
  if (node.hasInput(2)) {
    result = node.create<mlir::kiln::AddOp>(*result, node.input(2));
    if (failed(result))
      return failure();
  }
  if (failed(node.setOutput(0, *result)) || failed(node.setOutput(1, *mean)))
    return failure();
  return node.setOutput(2, *invStd);
}

/// Reductions: axes from an attribute, or from input 1 where the opset
/// moved them there (ReduceSum from 13, the others from 18). No axes means
/// all of them, unless noop_with_empty_axes makes it the identity. The
/// reduction is of `pre(x)`, and `post` is applied to its result: ReduceL2
/// is sqrt(sum(x * x)), and so on.
template <typename OpTy, typename Pre, typename Post>
static LogicalResult composedReduce(NodeContext &node, int64_t axesInputOpset,
                                    Pre pre, Post post) {
  FailureOr<Value> input = pre(node.input(0));
  if (failed(input))
    return failure();
  FailureOr<int64_t> rank = node.rank(0);
  if (failed(rank))
    return failure();
  SmallVector<int64_t> axes;
  if (node.opset >= axesInputOpset) {
    if (node.hasInput(1)) {
      FailureOr<SmallVector<int64_t>> values = node.constantInts(1, "axes");
      if (failed(values))
        return failure();
      axes = *values;
    }
  } else if (std::optional<SmallVector<int64_t>> values = node.attrInts("axes")) {
    axes = *values;
  }
  if (axes.empty()) {
    if (node.attrInt("noop_with_empty_axes", 0))
      return node.setOutput(0, *input);
    for (int64_t d = 0; d < *rank; ++d)
      axes.push_back(d);
  }
  Value reduced = *input;
  if (!axes.empty()) {
    FailureOr<Value> r = node.create<OpTy>(
        *input, node.builder.getDenseI64ArrayAttr(axes),
        node.builder.getBoolAttr(node.attrInt("keepdims", 1) != 0));
    if (failed(r))
      return failure();
    reduced = *r;
  }
  FailureOr<Value> result = post(reduced);
  return failed(result) ? failure() : node.setOutput(0, *result);
}

template <typename OpTy>
static LogicalResult reduce(NodeContext &node, int64_t axesInputOpset) {
  auto same = [](Value v) -> FailureOr<Value> { return v; };
  return composedReduce<OpTy>(node, axesInputOpset, same, same);
}

LogicalResult buildReduceSum(NodeContext &node) {
  return reduce<mlir::kiln::ReduceSumOp>(node, 13);
}
LogicalResult buildReduceMean(NodeContext &node) {
  return reduce<mlir::kiln::ReduceMeanOp>(node, 18);
}
LogicalResult buildReduceMax(NodeContext &node) {
  return reduce<mlir::kiln::ReduceMaxOp>(node, 18);
}

/// BatchNormalization per channel (dimension 1):
///   y = (x - mean) / sqrt(var + epsilon) * scale + bias
/// with the given running statistics (inference), or with the batch's
/// statistics over [N, spatial...] in training mode, which also outputs the
/// updated running statistics: running = input * momentum + batch * (1 - momentum).
LogicalResult buildBatchNormalization(NodeContext &node) {
  bool training = node.attrInt("training_mode", 0) != 0;
  if (!training && (node.outputUsed(1) || node.outputUsed(2)))
    return node.error("running statistics outputs need training_mode=1");
  for (int i = 3; i < node.numOutputs(); ++i)
    if (node.outputUsed(i))
      return node.error("the saved mean/variance outputs are not supported");
  Value x = node.input(0);
  FailureOr<int64_t> rank = node.rank(0);
  if (failed(rank))
    return failure();
  if (*rank < 2)
    return node.error("input must have rank >= 2 ([N, C, ...])");
  OpBuilder &b = node.builder;
  Type element = elementOf(x);
  // Per-channel vectors [C] become [C, 1, ..., 1] to broadcast over [N, C, ...].
  SmallVector<int64_t> unsqueezeAxes;
  for (int64_t d = 1; d < *rank - 1; ++d)
    unsqueezeAxes.push_back(d);
  auto channel = [&](Value v) -> FailureOr<Value> {
    if (unsqueezeAxes.empty())
      return v;
    return node.create<mlir::kiln::UnsqueezeOp>(v, b.getDenseI64ArrayAttr(unsqueezeAxes));
  };
  FailureOr<Value> scale = channel(node.input(1)), bias = channel(node.input(2));
  if (failed(scale) || failed(bias))
    return failure();
  FailureOr<Value> mean, var;
  if (training) {
    // Batch statistics over every axis but the channel one, kept as [1, C, 1...].
    SmallVector<int64_t> axes{0};
    for (int64_t d = 2; d < *rank; ++d)
      axes.push_back(d);
    auto axesAttr = b.getDenseI64ArrayAttr(axes);
    mean = node.create<mlir::kiln::ReduceMeanOp>(x, axesAttr, b.getBoolAttr(true));
    if (failed(mean))
      return failure();
    FailureOr<Value> diff = node.create<mlir::kiln::SubOp>(x, *mean);
    FailureOr<Value> square =
        failed(diff) ? diff : node.create<mlir::kiln::MulOp>(*diff, *diff);
    if (failed(square))
      return failure();
    var = node.create<mlir::kiln::ReduceMeanOp>(*square, axesAttr, b.getBoolAttr(true));
    if (failed(var))
      return failure();
    float momentum = node.attrFloat("momentum", 0.9f);
    auto running = [&](int output, int input, Value batch) -> LogicalResult {
      if (!node.outputUsed(output))
        return success();
      FailureOr<Value> flat = node.create<mlir::kiln::ReshapeOp>(
          batch, b.getDenseI64ArrayAttr({-1}));
      FailureOr<Value> kept = node.create<mlir::kiln::MulOp>(
          node.input(input), node.scalar(element, momentum));
      if (failed(flat) || failed(kept))
        return failure();
      FailureOr<Value> update = node.create<mlir::kiln::MulOp>(
          *flat, node.scalar(element, 1.0 - momentum));
      FailureOr<Value> sum =
          failed(update) ? update : node.create<mlir::kiln::AddOp>(*kept, *update);
      return failed(sum) ? failure() : node.setOutput(output, *sum);
    };
    if (failed(running(1, 3, *mean)) || failed(running(2, 4, *var)))
      return failure();
  } else {
    mean = channel(node.input(3));
    var = channel(node.input(4));
    if (failed(mean) || failed(var))
      return failure();
  }
  FailureOr<Value> centered = node.create<mlir::kiln::SubOp>(x, *mean);
  FailureOr<Value> shifted = node.create<mlir::kiln::AddOp>(
      *var, node.scalar(element, node.attrFloat("epsilon", 1e-5f)));
  if (failed(centered) || failed(shifted))
    return failure();
  FailureOr<Value> invStd = node.create<mlir::kiln::RsqrtOp>(*shifted);
  if (failed(invStd))
    return failure();
  FailureOr<Value> normalized = node.create<mlir::kiln::MulOp>(*centered, *invStd);
  if (failed(normalized))
    return failure();
  FailureOr<Value> scaled = node.create<mlir::kiln::MulOp>(*normalized, *scale);
  if (failed(scaled))
    return failure();
  FailureOr<Value> result = node.create<mlir::kiln::AddOp>(*scaled, *bias);
  return failed(result) ? failure() : node.setOutput(0, *result);
}

/// GlobalMaxPool / GlobalAveragePool: a reduction over every spatial axis.
template <typename OpTy>
static LogicalResult globalPool(NodeContext &node) {
  FailureOr<int64_t> rank = node.rank(0);
  if (failed(rank))
    return failure();
  if (*rank < 3)
    return node.error("input must have rank >= 3 ([N, C, spatial...])");
  SmallVector<int64_t> axes;
  for (int64_t d = 2; d < *rank; ++d)
    axes.push_back(d);
  FailureOr<Value> result = node.create<OpTy>(
      node.input(0), node.builder.getDenseI64ArrayAttr(axes),
      node.builder.getBoolAttr(true));
  return failed(result) ? failure() : node.setOutput(0, *result);
}

LogicalResult buildGlobalMaxPool(NodeContext &node) {
  return globalPool<mlir::kiln::ReduceMaxOp>(node);
}

LogicalResult buildGlobalAveragePool(NodeContext &node) {
  return globalPool<mlir::kiln::ReduceMeanOp>(node);
}


LogicalResult buildReduceMin(NodeContext &node) {
  // min(x) = -max(-x)
  auto negate = [&](Value v) { return node.create<mlir::kiln::NegOp>(v); };
  return composedReduce<mlir::kiln::ReduceMaxOp>(node, 18, negate, negate);
}

LogicalResult buildReduceSumSquare(NodeContext &node) {
  return composedReduce<mlir::kiln::ReduceSumOp>(
      node, 18, [&](Value v) { return node.create<mlir::kiln::MulOp>(v, v); },
      [](Value v) -> FailureOr<Value> { return v; });
}

LogicalResult buildReduceL1(NodeContext &node) {
  return composedReduce<mlir::kiln::ReduceSumOp>(
      node, 18, [&](Value v) { return node.create<mlir::kiln::AbsOp>(v); },
      [](Value v) -> FailureOr<Value> { return v; });
}

LogicalResult buildReduceL2(NodeContext &node) {
  return composedReduce<mlir::kiln::ReduceSumOp>(
      node, 18, [&](Value v) { return node.create<mlir::kiln::MulOp>(v, v); },
      [&](Value v) { return node.create<mlir::kiln::SqrtOp>(v); });
}

LogicalResult buildReduceLogSum(NodeContext &node) {
  return composedReduce<mlir::kiln::ReduceSumOp>(
      node, 18, [](Value v) -> FailureOr<Value> { return v; },
      [&](Value v) { return node.create<mlir::kiln::LogOp>(v); });
}

LogicalResult buildReduceLogSumExp(NodeContext &node) {
  return composedReduce<mlir::kiln::ReduceSumOp>(
      node, 18, [&](Value v) { return node.create<mlir::kiln::ExpOp>(v); },
      [&](Value v) { return node.create<mlir::kiln::LogOp>(v); });
}

template <typename OpTy>
static LogicalResult argReduce(NodeContext &node) {
  OpBuilder &b = node.builder;
  FailureOr<Value> result = node.create<OpTy>(
      node.input(0), b.getI64IntegerAttr(node.attrInt("axis", 0)),
      b.getBoolAttr(node.attrInt("keepdims", 1) != 0),
      node.attrInt("select_last_index", 0) ? b.getUnitAttr() : UnitAttr());
  return failed(result) ? failure() : node.setOutput(0, *result);
}

LogicalResult buildArgMax(NodeContext &node) {
  return argReduce<mlir::kiln::ArgMaxOp>(node);
}
LogicalResult buildArgMin(NodeContext &node) {
  return argReduce<mlir::kiln::ArgMinOp>(node);
}
} // namespace kiln::onnx_import
