//===- OnnxConvOps.cpp - ONNX Conv, MaxPool, AveragePool -> kiln ----------===//
#include "OnnxOpBuilders.h"

namespace kiln::onnx_import {
using namespace mlir;

namespace {
struct Window {
  SmallVector<int64_t> kernel, strides, pads, dilations;
};

/// Reads kernel/strides/pads/dilations with ONNX defaults and resolves
/// auto_pad (SAME_UPPER, SAME_LOWER, VALID) into explicit pads.
FailureOr<Window> readWindow(NodeContext &node, ArrayRef<int64_t> kernel) {
  FailureOr<SmallVector<int64_t>> shape =
      node.staticShape(0, "to resolve its padding");
  if (failed(shape))
    return failure();
  size_t spatial = shape->size() - 2;
  Window w;
  w.kernel.assign(kernel.begin(), kernel.end());
  w.strides = node.attrInts("strides").value_or(SmallVector<int64_t>(spatial, 1));
  w.dilations =
      node.attrInts("dilations").value_or(SmallVector<int64_t>(spatial, 1));
  w.pads = node.attrInts("pads").value_or(SmallVector<int64_t>(2 * spatial, 0));
  if (w.kernel.size() != spatial || w.strides.size() != spatial ||
      w.dilations.size() != spatial || w.pads.size() != 2 * spatial)
    return node.error("kernel_shape, strides, dilations or pads do not match "
                      "the input's spatial rank " + Twine(spatial));
  std::string autoPad = node.attrString("auto_pad", "NOTSET");
  if (autoPad == "VALID") {
    w.pads.assign(2 * spatial, 0);
  } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    for (size_t i = 0; i < spatial; ++i) {
      int64_t in = (*shape)[2 + i], s = w.strides[i];
      int64_t out = (in + s - 1) / s;
      int64_t span = (w.kernel[i] - 1) * w.dilations[i] + 1;
      int64_t total = std::max<int64_t>((out - 1) * s + span - in, 0);
      int64_t small = total / 2, large = total - small;
      w.pads[i] = autoPad == "SAME_UPPER" ? small : large;
      w.pads[spatial + i] = autoPad == "SAME_UPPER" ? large : small;
    }
  } else if (autoPad != "NOTSET") {
    return node.error("unknown auto_pad '" + autoPad + "'");
  }
  return w;
}
} // namespace

LogicalResult buildConv(NodeContext &node) {
  FailureOr<SmallVector<int64_t>> weight =
      node.staticShape(1, "for its kernel size");
  if (failed(weight))
    return failure();
  SmallVector<int64_t> kernel = node.attrInts("kernel_shape").value_or(
      SmallVector<int64_t>(weight->begin() + 2, weight->end()));
  FailureOr<Window> w = readWindow(node, kernel);
  if (failed(w))
    return failure();
  OpBuilder &b = node.builder;
  FailureOr<Value> result = node.create<mlir::kiln::ConvOp>(
      node.input(0), node.input(1), node.hasInput(2) ? node.input(2) : Value(),
      b.getDenseI64ArrayAttr(w->strides), b.getDenseI64ArrayAttr(w->pads),
      b.getDenseI64ArrayAttr(w->dilations),
      b.getI64IntegerAttr(node.attrInt("group", 1)));
  return failed(result) ? failure() : node.setOutput(0, *result);
}

template <typename OpTy>
static LogicalResult pool(NodeContext &node, bool countIncludePad) {
  std::optional<SmallVector<int64_t>> kernel = node.attrInts("kernel_shape");
  if (!kernel)
    return node.error("needs kernel_shape");
  FailureOr<Window> w = readWindow(node, *kernel);
  if (failed(w))
    return failure();
  OpBuilder &b = node.builder;
  FailureOr<Value> result = node.create<OpTy>(
      node.input(0), b.getDenseI64ArrayAttr(w->kernel),
      b.getDenseI64ArrayAttr(w->strides), b.getDenseI64ArrayAttr(w->pads),
      b.getDenseI64ArrayAttr(w->dilations),
      node.attrInt("ceil_mode", 0) ? b.getUnitAttr() : UnitAttr(),
      countIncludePad ? b.getUnitAttr() : UnitAttr());
  if (failed(result) || failed(node.setOutput(0, *result)))
    return failure();
  if (!node.outputUsed(1))
    return success();
  FailureOr<Value> indices = node.create<mlir::kiln::MaxPoolIndicesOp>(
      node.input(0), b.getDenseI64ArrayAttr(w->kernel),
      b.getDenseI64ArrayAttr(w->strides), b.getDenseI64ArrayAttr(w->pads),
      b.getDenseI64ArrayAttr(w->dilations),
      node.attrInt("ceil_mode", 0) ? b.getUnitAttr() : UnitAttr(),
      node.attrInt("storage_order", 0) ? b.getUnitAttr() : UnitAttr());
  return failed(indices) ? failure() : node.setOutput(1, *indices);
}

LogicalResult buildMaxPool(NodeContext &node) {
  return pool<mlir::kiln::MaxPoolOp>(node, false);
}

LogicalResult buildAveragePool(NodeContext &node) {
  return pool<mlir::kiln::AvgPoolOp>(node, node.attrInt("count_include_pad", 0) != 0);
}

} // namespace kiln::onnx_import
