//===- OnnxTensorOps.cpp - ONNX shape and data-movement ops -> kiln -------===//
//
// Shape arguments (Reshape's shape, Slice's starts/ends, Unsqueeze's axes
// from opset 13, ...) must be compile-time constants: initializers,
// Constant nodes, or values that folded to constants. Ops whose result
// depends only on constants (Shape of a static tensor, Range,
// ConstantOfShape) produce constants, so later shape arithmetic folds.
//
//===----------------------------------------------------------------------===//
#include "OnnxOpBuilders.h"

#include "kiln/Dialect/Kiln/KilnTypeUtils.h"

#include <cmath>

namespace kiln::onnx_import {
using namespace mlir;

LogicalResult buildConstant(NodeContext &node) {
  MLIRContext *context = node.builder.getContext();
  OpBuilder &b = node.builder;
  if (const onnx::AttributeProto *value = node.attr("value")) {
    const onnx::TensorProto &tensor = value->t();
    Type element = elementType(context, tensor.data_type());
    if (!element)
      return node.error("constant of type " + dataTypeName(tensor.data_type()) +
                        " is not supported");
    std::vector<char> bytes;
    std::string error;
    if (!tensorBytes(tensor, "", bytes, error))
      return node.error("constant " + error);
    SmallVector<int64_t> shape(tensor.dims().begin(), tensor.dims().end());
    return node.setConstantOutput(
        0, toAttribute(RankedTensorType::get(shape, element), bytes));
  }
  if (const onnx::AttributeProto *a = node.attr("value_float"))
    return node.setConstantOutput(0, DenseElementsAttr::get(
        RankedTensorType::get({}, b.getF32Type()), a->f()));
  if (const onnx::AttributeProto *a = node.attr("value_int"))
    return node.setConstantOutput(0, DenseElementsAttr::get(
        RankedTensorType::get({}, b.getI64Type()), a->i()));
  if (const onnx::AttributeProto *a = node.attr("value_floats")) {
    SmallVector<float> values(a->floats().begin(), a->floats().end());
    return node.setConstantOutput(0, DenseElementsAttr::get(
        RankedTensorType::get({int64_t(values.size())}, b.getF32Type()),
        ArrayRef<float>(values)));
  }
  if (const onnx::AttributeProto *a = node.attr("value_ints")) {
    SmallVector<int64_t> values(a->ints().begin(), a->ints().end());
    return node.setConstantOutput(0, DenseElementsAttr::get(
        RankedTensorType::get({int64_t(values.size())}, b.getI64Type()),
        ArrayRef<int64_t>(values)));
  }
  return node.error("only tensor, float and int constants are supported");
}

LogicalResult buildReshape(NodeContext &node) {
  Value x = node.input(0);
  bool allowZero = node.attrInt("allowzero", 0) != 0;
  std::optional<DenseElementsAttr> constant = node.constantInput(1);
  if (!constant) {
    if (allowZero)
      return node.error("allowzero=1 needs a constant shape");
    FailureOr<Value> result =
        node.create<mlir::kiln::DynamicReshapeOp>(x, node.input(1));
    return failed(result) ? failure() : node.setOutput(0, *result);
  }
  SmallVector<int64_t> shape;
  auto inputType = llvm::dyn_cast<RankedTensorType>(x.getType());
  for (auto [index, value] : llvm::enumerate(constant->getValues<APInt>())) {
    int64_t dim = value.getSExtValue();
    if (dim == 0 && !allowZero) {
      if (!inputType || index >= size_t(inputType.getRank()) ||
          inputType.isDynamicDim(index)) {
        FailureOr<Value> result =
            node.create<mlir::kiln::DynamicReshapeOp>(x, node.input(1));
        return failed(result) ? failure() : node.setOutput(0, *result);
      }
      dim = inputType.getDimSize(index);
    }
    shape.push_back(dim);
  }
  FailureOr<Value> result = node.create<mlir::kiln::ReshapeOp>(
      x, node.builder.getDenseI64ArrayAttr(shape));
  return failed(result) ? failure() : node.setOutput(0, *result);
}

LogicalResult buildTranspose(NodeContext &node) {
  FailureOr<int64_t> rank = node.rank(0);
  if (failed(rank))
    return failure();
  SmallVector<int64_t> perm;
  if (std::optional<SmallVector<int64_t>> given = node.attrInts("perm"))
    perm = *given;
  else
    for (int64_t d = *rank - 1; d >= 0; --d)
      perm.push_back(d);
  FailureOr<Value> result = node.create<mlir::kiln::TransposeOp>(
      node.input(0), node.builder.getDenseI64ArrayAttr(perm));
  return failed(result) ? failure() : node.setOutput(0, *result);
}

LogicalResult buildConcat(NodeContext &node) {
  SmallVector<Value> inputs;
  for (int i = 0; i < node.numInputs(); ++i)
    inputs.push_back(node.input(i));
  FailureOr<Value> result = node.create<mlir::kiln::ConcatOp>(
      inputs, node.builder.getI64IntegerAttr(node.attrInt("axis", 0)));
  return failed(result) ? failure() : node.setOutput(0, *result);
}

/// A static slice of `x` from per-axis ONNX starts/ends/steps (clamped as
/// the ONNX spec says); axes not listed are taken whole.
static FailureOr<Value> sliceAxes(NodeContext &node, Value x,
                                  ArrayRef<int64_t> shape,
                                  ArrayRef<int64_t> starts,
                                  ArrayRef<int64_t> ends, ArrayRef<int64_t> axes,
                                  ArrayRef<int64_t> steps) {
  int64_t rank = shape.size();
  SmallVector<int64_t> offsets(rank, 0), sizes(shape), strides(rank, 1);
  for (size_t i = 0; i < starts.size(); ++i) {
    FailureOr<int64_t> axis = normalizedAxis(node, axes[i], rank);
    if (failed(axis))
      return failure();
    int64_t dim = shape[*axis], step = steps[i];
    if (step == 0)
      return node.error("slice step is 0");
    int64_t start = starts[i], end = ends[i];
    if (start < 0)
      start = start < -dim ? 0 : start + dim;
    if (end < 0)
      end = end < -dim ? -1 : end + dim;
    if (step > 0) {
      start = std::min(std::max<int64_t>(start, 0), dim);
      end = std::min(std::max<int64_t>(end, 0), dim);
    } else {
      start = std::min(std::max<int64_t>(start, 0), dim - 1);
      end = std::min(std::max<int64_t>(end, -1), dim - 1);
    }
    __int128 span = static_cast<__int128>(end) - start;
    __int128 count = step > 0 ? (span + step - 1) / step
                              : (span + step + 1) / step;
    sizes[*axis] = count > 0 ? static_cast<int64_t>(count) : 0;
    offsets[*axis] = sizes[*axis] > 0 ? start : 0;
    strides[*axis] = step;
  }
  return node.create<mlir::kiln::SliceOp>(x, node.builder.getDenseI64ArrayAttr(offsets),
                                    node.builder.getDenseI64ArrayAttr(sizes),
                                    node.builder.getDenseI64ArrayAttr(strides));
}

LogicalResult buildSlice(NodeContext &node) {
  FailureOr<SmallVector<int64_t>> shape = node.staticShape(0, "to slice it");
  if (failed(shape))
    return failure();
  SmallVector<int64_t> starts, ends, axes, steps;
  if (node.opset < 10) {
    starts = node.attrInts("starts").value_or(SmallVector<int64_t>());
    ends = node.attrInts("ends").value_or(SmallVector<int64_t>());
    if (std::optional<SmallVector<int64_t>> given = node.attrInts("axes"))
      axes = *given;
  } else {
    FailureOr<SmallVector<int64_t>> s = node.constantInts(1, "starts");
    if (failed(s))
      return failure();
    FailureOr<SmallVector<int64_t>> e = node.constantInts(2, "ends");
    if (failed(e))
      return failure();
    starts = *s;
    ends = *e;
    if (node.hasInput(3)) {
      FailureOr<SmallVector<int64_t>> a = node.constantInts(3, "axes");
      if (failed(a))
        return failure();
      axes = *a;
    }
    if (node.hasInput(4)) {
      FailureOr<SmallVector<int64_t>> st = node.constantInts(4, "steps");
      if (failed(st))
        return failure();
      steps = *st;
    }
  }
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i)
      axes.push_back(i);
  if (steps.empty())
    steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() ||
      steps.size() != starts.size())
    return node.error("starts, ends, axes and steps differ in length");
  FailureOr<Value> result =
      sliceAxes(node, node.input(0), *shape, starts, ends, axes, steps);
  return failed(result) ? failure() : node.setOutput(0, *result);
}

LogicalResult buildSplit(NodeContext &node) {
  FailureOr<SmallVector<int64_t>> shape = node.staticShape(0, "to split it");
  if (failed(shape))
    return failure();
  FailureOr<int64_t> axis =
      normalizedAxis(node, node.attrInt("axis", 0), shape->size());
  if (failed(axis))
    return failure();
  int64_t dim = (*shape)[*axis], parts = node.numOutputs();
  SmallVector<int64_t> sizes;
  if (node.opset >= 13 && node.hasInput(1)) {
    FailureOr<SmallVector<int64_t>> given = node.constantInts(1, "split");
    if (failed(given))
      return failure();
    sizes = *given;
  } else if (std::optional<SmallVector<int64_t>> given = node.attrInts("split")) {
    sizes = *given;
  } else {
    if (parts == 0 || dim % parts != 0)
      return node.error("cannot split a dimension of " + Twine(dim) + " into " +
                        Twine(parts) + " equal parts");
    sizes.assign(parts, dim / parts);
  }
  if (static_cast<int64_t>(sizes.size()) != parts)
    return node.error("has " + Twine(parts) + " outputs but " +
                      Twine(sizes.size()) + " split sizes");
  int64_t start = 0;
  for (int64_t i = 0; i < parts; ++i) {
    if (sizes[i] < 0 || start + sizes[i] > dim)
      return node.error("split sizes do not add up to the dimension " +
                        Twine(dim));
    FailureOr<Value> part = sliceAxes(node, node.input(0), *shape, {start},
                                      {start + sizes[i]}, {*axis}, {1});
    if (failed(part) || failed(node.setOutput(i, *part)))
      return failure();
    start += sizes[i];
  }
  if (start != dim)
    return node.error("split sizes do not add up to the dimension " +
                      Twine(dim));
  return success();
}

LogicalResult buildExpand(NodeContext &node) {
  FailureOr<SmallVector<int64_t>> shape = node.constantInts(1, "shape");
  if (failed(shape))
    return failure();
  FailureOr<Value> result = node.create<mlir::kiln::BroadcastOp>(
      node.input(0), node.builder.getDenseI64ArrayAttr(*shape));
  return failed(result) ? failure() : node.setOutput(0, *result);
}

/// Unsqueeze/Squeeze axes: an attribute before opset 13, input 1 after.
static FailureOr<std::optional<SmallVector<int64_t>>> axesOf(NodeContext &node) {
  if (node.opset < 13)
    return node.attrInts("axes");
  if (!node.hasInput(1))
    return std::optional<SmallVector<int64_t>>();
  FailureOr<SmallVector<int64_t>> axes = node.constantInts(1, "axes");
  if (failed(axes))
    return failure();
  return std::optional<SmallVector<int64_t>>(*axes);
}

LogicalResult buildUnsqueeze(NodeContext &node) {
  FailureOr<std::optional<SmallVector<int64_t>>> axes = axesOf(node);
  if (failed(axes))
    return failure();
  if (!*axes)
    return node.error("needs axes");
  FailureOr<Value> result = node.create<mlir::kiln::UnsqueezeOp>(
      node.input(0), node.builder.getDenseI64ArrayAttr(**axes));
  return failed(result) ? failure() : node.setOutput(0, *result);
}

LogicalResult buildSqueeze(NodeContext &node) {
  FailureOr<std::optional<SmallVector<int64_t>>> axes = axesOf(node);
  if (failed(axes))
    return failure();
  SmallVector<int64_t> list;
  if (*axes) {
    list = **axes;
  } else { // every dimension of size 1
    FailureOr<SmallVector<int64_t>> shape =
        node.staticShape(0, "to squeeze without axes");
    if (failed(shape))
      return failure();
    for (auto [d, size] : llvm::enumerate(*shape))
      if (size == 1)
        list.push_back(d);
  }
  FailureOr<Value> result = node.create<mlir::kiln::SqueezeOp>(
      node.input(0), node.builder.getDenseI64ArrayAttr(list));
  return failed(result) ? failure() : node.setOutput(0, *result);
}

LogicalResult buildShape(NodeContext &node) {
  FailureOr<int64_t> rank = node.rank(0);
  if (failed(rank))
    return failure();
  // Opset 15 added start/end (clamped like Python slicing).
  int64_t start = node.attrInt("start", 0), end = node.attrInt("end", *rank);
  auto clampIndex = [&](int64_t i) {
    if (i < 0)
      i += *rank;
    return std::min(std::max<int64_t>(i, 0), *rank);
  };
  start = clampIndex(start);
  end = std::max(clampIndex(end), start);
  auto type = llvm::cast<RankedTensorType>(node.input(0).getType());
  ArrayRef<int64_t> dims = type.getShape().slice(start, end - start);
  if (llvm::none_of(dims, ShapedType::isDynamic))
    return node.setConstantOutput(0, DenseElementsAttr::get(
        RankedTensorType::get({int64_t(dims.size())},
                              node.builder.getI64Type()),
        dims));
  FailureOr<Value> shape = node.create<mlir::kiln::ShapeOfOp>(node.input(0));
  if (failed(shape))
    return failure();
  if (start == 0 && end == *rank)
    return node.setOutput(0, *shape);
  FailureOr<Value> part = node.create<mlir::kiln::SliceOp>(
      *shape, node.builder.getDenseI64ArrayAttr(start),
      node.builder.getDenseI64ArrayAttr(end - start),
      node.builder.getDenseI64ArrayAttr(1));
  return failed(part) ? failure() : node.setOutput(0, *part);
}

LogicalResult buildFlatten(NodeContext &node) {
  FailureOr<SmallVector<int64_t>> shape =
      node.staticShape(0, "to flatten it");
  if (failed(shape))
    return failure();
  int64_t rank = shape->size();
  int64_t axis = node.attrInt("axis", 1);
  if (axis < -rank || axis > rank)
    return node.error("axis " + Twine(axis) + " is out of range for rank " +
                      Twine(rank));
  if (axis < 0)
    axis += rank;
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < rank; ++d)
    (d < axis ? outer : inner) *= (*shape)[d];
  FailureOr<Value> result = node.create<mlir::kiln::ReshapeOp>(
      node.input(0), node.builder.getDenseI64ArrayAttr({outer, inner}));
  return failed(result) ? failure() : node.setOutput(0, *result);
}

LogicalResult buildRange(NodeContext &node) {
  std::optional<DenseElementsAttr> start = node.constantInput(0),
                                   limit = node.constantInput(1),
                                   delta = node.constantInput(2);
  if (!start || !limit || !delta)
    return node.error("start, limit and delta must be constants");
  Type element = start->getElementType();
  auto asDouble = [](DenseElementsAttr a) {
    if (llvm::isa<FloatType>(a.getElementType()))
      return (*a.getValues<APFloat>().begin()).convertToDouble();
    return double((*a.getValues<APInt>().begin()).getSExtValue());
  };
  double first = asDouble(*start), last = asDouble(*limit),
         step = asDouble(*delta);
  if (step == 0)
    return node.error("delta is 0");
  double count = std::ceil((last - first) / step);
  if (!(count <= double(mlir::kiln::kMaxFoldedElements)))
    return node.error("would have " + Twine(int64_t(count)) +
                      " elements; kiln folds at most " +
                      Twine(mlir::kiln::kMaxFoldedElements));
  int64_t n = count > 0 ? int64_t(count) : 0;
  auto type = RankedTensorType::get({n}, element);
  SmallVector<Attribute> values;
  for (int64_t i = 0; i < n; ++i) {
    if (llvm::isa<FloatType>(element))
      values.push_back(node.builder.getFloatAttr(element, first + i * step));
    else
      values.push_back(node.builder.getIntegerAttr(
          element, int64_t(first) + i * int64_t(step)));
  }
  return node.setConstantOutput(0, DenseElementsAttr::get(type, values));
}

LogicalResult buildConstantOfShape(NodeContext &node) {
  FailureOr<SmallVector<int64_t>> shape = node.constantInts(0, "shape");
  if (failed(shape))
    return failure();
  for (int64_t dim : *shape)
    if (dim < 0)
      return node.error("shape has a negative dimension " + Twine(dim));
  if (!mlir::kiln::staticElementCount(*shape))
    return node.error("shape has more than 2^63 elements");
  Type element = node.builder.getF32Type();
  std::vector<char> bytes(4, 0);
  if (const onnx::AttributeProto *value = node.attr("value")) {
    element = elementType(node.builder.getContext(), value->t().data_type());
    std::string error;
    if (!element)
      return node.error("value of type " + dataTypeName(value->t().data_type()) +
                        " is not supported");
    if (!tensorBytes(value->t(), "", bytes, error))
      return node.error("value " + error);
  }
  DenseElementsAttr one =
      toAttribute(RankedTensorType::get({1}, element), bytes);
  return node.setConstantOutput(
      0, DenseElementsAttr::get(RankedTensorType::get(*shape, element),
                                one.getValues<Attribute>()[0]));
}

LogicalResult buildTrilu(NodeContext &node) {
  FailureOr<SmallVector<int64_t>> shape = node.staticShape(0, "for its mask");
  if (failed(shape))
    return failure();
  if (shape->size() < 2)
    return node.error("input must have rank >= 2");
  int64_t k = 0;
  if (node.hasInput(1)) {
    FailureOr<SmallVector<int64_t>> given = node.constantInts(1, "k");
    if (failed(given) || given->size() != 1)
      return failed(given) ? failure() : node.error("k must be one integer");
    k = (*given)[0];
  }
  bool upper = node.attrInt("upper", 1) != 0;
  int64_t rows = (*shape)[shape->size() - 2], cols = shape->back();
  if (rows * cols > int64_t(1) << 24)
    return node.error("matrix too large for a constant mask");
  SmallVector<bool> mask;
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      mask.push_back(upper ? j - i >= k : j - i <= k);
  Value maskValue = node.builder.create<mlir::kiln::ConstantOp>(
      node.loc, DenseElementsAttr::get(
                    RankedTensorType::get({rows, cols}, node.builder.getI1Type()),
                    mask));
  FailureOr<Value> result = node.create<mlir::kiln::SelectOp>(
      maskValue, node.input(0), node.scalar(elementOf(node.input(0)), 0));
  return failed(result) ? failure() : node.setOutput(0, *result);
}

LogicalResult buildSize(NodeContext &node) {
  FailureOr<SmallVector<int64_t>> shape = node.staticShape(0, "to count it");
  if (failed(shape))
    return failure();
  int64_t count = 1;
  for (int64_t dim : *shape)
    count *= dim;
  return node.setConstantOutput(
      0, DenseElementsAttr::get(RankedTensorType::get({}, node.builder.getI64Type()),
                                count));
}
} // namespace kiln::onnx_import
