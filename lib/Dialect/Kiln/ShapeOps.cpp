//===- ShapeOps.cpp - reshape, transpose, concat, slice and friends -------===//
//
// Result-type inference of the data-movement ops, and the dynamic reshape's
// canonicalization (it shares the constant-shape reading with inference).
// Folders and the other patterns are in ShapeFolding.cpp.
//
//===----------------------------------------------------------------------===//
#include "kiln/Dialect/Kiln/KilnOps.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/SmallSet.h"

using namespace mlir;
using namespace mlir::kiln;

static bool isDyn(int64_t dim) { return ShapedType::isDynamic(dim); }

/// Reads a list of axes into a set of normalized axes for `rank`.
static LogicalResult collectAxes(std::optional<Location> loc, StringRef name,
                                 ArrayRef<int64_t> axes, int64_t rank,
                                 llvm::SmallSet<int64_t, 4> &result) {
  for (int64_t axis : axes) {
    std::optional<int64_t> normalized = normalizeAxis(axis, rank);
    if (!normalized)
      return emitInferError(loc, name, "axis ", axis,
                            " is out of range for rank ", rank);
    if (!result.insert(*normalized).second)
      return emitInferError(loc, name, "axis ", axis, " is listed twice");
  }
  return success();
}

//===----------------------------------------------------------------------===//
// kiln.reshape / kiln.dynamic_reshape
//===----------------------------------------------------------------------===//

/// Resolves a requested shape (one -1 allowed) against the input's element
/// count; `inputCount` is empty when the input shape is not static.
static std::optional<SmallVector<int64_t>>
resolveReshape(std::optional<Location> loc, StringRef name,
               std::optional<int64_t> inputCount, ArrayRef<int64_t> requested,
               StringRef inputShape) {
  int64_t inferred = -1, product = 1;
  for (auto [index, dim] : llvm::enumerate(requested)) {
    if (dim == -1) {
      if (inferred != -1) {
        (void)emitInferError(loc, name, "shape may contain only one -1");
        return std::nullopt;
      }
      inferred = index;
    } else if (dim < 0) {
      (void)emitInferError(loc, name, "shape entry ", dim,
                           " is invalid (sizes are >= 0, or -1 to infer)");
      return std::nullopt;
    } else if (dim != 0 &&
               product > std::numeric_limits<int64_t>::max() / dim) {
      (void)emitInferError(loc, name, "shape has more than 2^63 elements");
      return std::nullopt;
    } else {
      product *= dim;
    }
  }
  SmallVector<int64_t> shape(requested);
  if (!inputCount) {
    if (inferred != -1)
      shape[inferred] = ShapedType::kDynamic;
    return shape;
  }
  if (inferred != -1) {
    if (product == 0 || *inputCount % product != 0) {
      (void)emitInferError(loc, name, "cannot reshape ", inputShape, " (",
                           *inputCount, " elements) to ",
                           formatShape(requested), ": -1 has no whole size");
      return std::nullopt;
    }
    shape[inferred] = *inputCount / product;
  } else if (product != *inputCount) {
    (void)emitInferError(loc, name, "cannot reshape ", inputShape, " (",
                         *inputCount, " elements) to ",
                         formatShape(requested), " (", product, " elements)");
    return std::nullopt;
  }
  return shape;
}

LogicalResult ReshapeOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  Type inputType = adaptor.getInput().getType();
  std::optional<ArrayRef<int64_t>> input = getTensorShape(inputType);
  std::optional<int64_t> count =
      input ? staticElementCount(*input) : std::nullopt;
  if (input && !count && llvm::none_of(*input, isDyn))
    return emitInferError(loc, getOperationName(), "input ",
                          formatShape(*input), " has more than 2^63 elements");
  std::optional<SmallVector<int64_t>> shape =
      resolveReshape(loc, getOperationName(), count, adaptor.getShape(),
                     input ? formatShape(*input) : "an unranked tensor");
  if (!shape)
    return failure();
  auto result = RankedTensorType::get(*shape, getElementTypeOrSelf(inputType));
  if (failed(verifyQuantizedShape(loc, getOperationName(), result, "result")))
    return failure();
  types.push_back(result);
  return success();
}

namespace {
/// The static shape a dynamic reshape asks for when its shape operand is a
/// constant (0 keeps the input's dimension, as in ONNX); empty otherwise.
static std::optional<SmallVector<int64_t>>
constantReshapeTarget(Value input, Value shapeOperand) {
  DenseIntElementsAttr shapeAttr;
  if (!matchPattern(shapeOperand, m_Constant(&shapeAttr)))
    return std::nullopt;
  std::optional<ArrayRef<int64_t>> inputShape = getTensorShape(input.getType());
  SmallVector<int64_t> shape;
  for (auto [index, value] : llvm::enumerate(shapeAttr.getValues<APInt>())) {
    int64_t dim = value.getSExtValue();
    if (dim == 0) {
      if (!inputShape || index >= inputShape->size() ||
          isDyn((*inputShape)[index]))
        return std::nullopt;
      dim = (*inputShape)[index];
    }
    shape.push_back(dim);
  }
  return shape;
}

/// A dynamic reshape whose (refined) result type is what a static reshape
/// of its constant shape gives becomes that static reshape.
struct StaticizeDynamicReshape : OpRewritePattern<DynamicReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DynamicReshapeOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<SmallVector<int64_t>> shape =
        constantReshapeTarget(op.getInput(), op.getShape());
    auto resultType = llvm::dyn_cast<RankedTensorType>(op.getType());
    if (!shape || !resultType || !resultType.hasStaticShape())
      return failure();
    // The refined result type already holds the resolved shape; -1 and 0
    // entries are replaced by it so the static reshape has the same type.
    rewriter.replaceOpWithNewOp<ReshapeOp>(
        op, op.getInput(), rewriter.getDenseI64ArrayAttr(resultType.getShape()));
    return success();
  }
};
} // namespace

LogicalResult DynamicReshapeOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  StringRef name = getOperationName();
  Type inputType = adaptor.getInput().getType();
  Type element = getElementTypeOrSelf(inputType);
  std::optional<ArrayRef<int64_t>> shape =
      getTensorShape(adaptor.getShape().getType());
  if (shape && shape->size() != 1)
    return emitInferError(loc, name, "shape must be a 1-D tensor, got ",
                          formatShape(*shape));
  // A constant shape gives the exact result, as kiln.reshape would.
  if (std::optional<SmallVector<int64_t>> target =
          constantReshapeTarget(adaptor.getInput(), adaptor.getShape())) {
    std::optional<ArrayRef<int64_t>> input = getTensorShape(inputType);
    std::optional<SmallVector<int64_t>> resolved = resolveReshape(
        loc, name, input ? staticElementCount(*input) : std::nullopt, *target,
        input ? formatShape(*input) : "an unranked tensor");
    if (!resolved)
      return failure();
    types.push_back(RankedTensorType::get(*resolved, element));
    return success();
  }
  if (!shape || isDyn((*shape)[0])) {
    types.push_back(UnrankedTensorType::get(element));
    return success();
  }
  SmallVector<int64_t> dims((*shape)[0], ShapedType::kDynamic);
  types.push_back(RankedTensorType::get(dims, element));
  return success();
}

void DynamicReshapeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                                   MLIRContext *context) {
  patterns.add<StaticizeDynamicReshape>(context);
}

//===----------------------------------------------------------------------===//
// kiln.transpose
//===----------------------------------------------------------------------===//

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  StringRef name = getOperationName();
  Type element = getElementTypeOrSelf(adaptor.getInput().getType());
  ArrayRef<int64_t> perm = adaptor.getPerm();
  llvm::SmallSet<int64_t, 8> seen;
  for (int64_t p : perm)
    if (p < 0 || p >= static_cast<int64_t>(perm.size()) ||
        !seen.insert(p).second)
      return emitInferError(loc, name, "perm ", formatList(perm),
                            " is not a permutation of [0, ", perm.size(), ")");
  std::optional<ArrayRef<int64_t>> input =
      getTensorShape(adaptor.getInput().getType());
  if (!input) {
    types.push_back(UnrankedTensorType::get(element));
    return success();
  }
  if (input->size() != perm.size())
    return emitInferError(loc, name, "perm has ", perm.size(),
                          " entries for an input of rank ", input->size());
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back((*input)[p]);
  types.push_back(RankedTensorType::get(shape, element));
  return success();
}

//===----------------------------------------------------------------------===//
// kiln.concat
//===----------------------------------------------------------------------===//

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  StringRef name = getOperationName();
  ValueRange inputs = adaptor.getInputs();
  if (inputs.empty())
    return emitInferError(loc, name, "needs at least one input");
  Type element = getElementTypeOrSelf(inputs.front().getType());
  std::optional<SmallVector<int64_t>> shape;
  std::optional<int64_t> axis;
  for (auto [index, input] : llvm::enumerate(inputs)) {
    if (getElementTypeOrSelf(input.getType()) != element)
      return emitInferError(loc, name, "input #", index, " has element type ",
                            getElementTypeOrSelf(input.getType()),
                            ", expected ", element);
    std::optional<ArrayRef<int64_t>> dims = getTensorShape(input.getType());
    if (!dims)
      continue;
    if (!shape) {
      if (!(axis = normalizeAxis(adaptor.getAxis(), dims->size())))
        return emitInferError(loc, name, "axis ", adaptor.getAxis(),
                              " is out of range for rank ", dims->size());
      shape = SmallVector<int64_t>(*dims);
      (*shape)[*axis] = 0;
    } else if (dims->size() != shape->size()) {
      return emitInferError(loc, name, "input #", index, " has rank ",
                            dims->size(), ", expected ", shape->size());
    }
    for (auto [d, size] : llvm::enumerate(*dims)) {
      int64_t &joined = (*shape)[d];
      if (static_cast<int64_t>(d) == *axis) {
        joined = isDyn(joined) || isDyn(size) ? ShapedType::kDynamic
                                              : joined + size;
      } else if (isDyn(joined)) {
        joined = size;
      } else if (!isDyn(size) && size != joined) {
        return emitInferError(loc, name, "input #", index, " has size ", size,
                              " in dimension ", d, ", expected ", joined);
      }
    }
  }
  // With an unranked input the concatenated size is unknown.
  if (shape && llvm::any_of(inputs, [](Value v) { return !getTensorShape(v.getType()); }))
    (*shape)[*axis] = ShapedType::kDynamic;
  types.push_back(makeTensorType(
      shape ? std::optional<ArrayRef<int64_t>>(*shape) : std::nullopt,
      element));
  return success();
}

//===----------------------------------------------------------------------===//
// kiln.slice
//===----------------------------------------------------------------------===//

LogicalResult SliceOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  StringRef name = getOperationName();
  ArrayRef<int64_t> offsets = adaptor.getOffsets(), sizes = adaptor.getSizes(),
                    strides = adaptor.getStrides();
  if (offsets.size() != sizes.size() || sizes.size() != strides.size())
    return emitInferError(loc, name, "offsets, sizes and strides must have "
                          "one entry per dimension, got ",
                          offsets.size(), ", ", sizes.size(), " and ",
                          strides.size());
  std::optional<ArrayRef<int64_t>> input =
      getTensorShape(adaptor.getInput().getType());
  if (input && input->size() != sizes.size())
    return emitInferError(loc, name, "has ", sizes.size(),
                          " entries per list for an input of rank ",
                          input->size());
  for (size_t d = 0; d < sizes.size(); ++d) {
    if (strides[d] == 0)
      return emitInferError(loc, name, "stride of dimension ", d, " is 0");
    if (sizes[d] < 0)
      return emitInferError(loc, name, "size of dimension ", d,
                            " is negative (", sizes[d], ")");
    if (!input || isDyn((*input)[d]) || sizes[d] == 0)
      continue;
    int64_t dim = (*input)[d];
    // Widen to avoid overflow in the last index of absurd inputs.
    __int128 last = static_cast<__int128>(offsets[d]) +
                    static_cast<__int128>(sizes[d] - 1) * strides[d];
    if (offsets[d] < 0 || offsets[d] >= dim || last < 0 || last >= dim)
      return emitInferError(loc, name, "dimension ", d, " of size ", dim,
                            " is read at indices ", offsets[d], " to ",
                            static_cast<int64_t>(last), " (out of bounds)");
  }
  types.push_back(RankedTensorType::get(
      sizes, getElementTypeOrSelf(adaptor.getInput().getType())));
  return success();
}

//===----------------------------------------------------------------------===//
// kiln.broadcast
//===----------------------------------------------------------------------===//

LogicalResult BroadcastOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  StringRef name = getOperationName();
  Type element = getElementTypeOrSelf(adaptor.getInput().getType());
  for (int64_t dim : adaptor.getShape())
    if (dim < 0)
      return emitInferError(loc, name, "shape entry ", dim, " is negative");
  std::optional<ArrayRef<int64_t>> input =
      getTensorShape(adaptor.getInput().getType());
  if (!input) {
    types.push_back(UnrankedTensorType::get(element));
    return success();
  }
  std::optional<SmallVector<int64_t>> shape =
      broadcastShapes(*input, adaptor.getShape());
  if (!shape)
    return emitInferError(loc, name, "cannot broadcast ", formatShape(*input),
                          " to ", formatShape(adaptor.getShape()));
  types.push_back(RankedTensorType::get(*shape, element));
  return success();
}

//===----------------------------------------------------------------------===//
// kiln.squeeze / kiln.unsqueeze
//===----------------------------------------------------------------------===//

LogicalResult SqueezeOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  StringRef name = getOperationName();
  Type element = getElementTypeOrSelf(adaptor.getInput().getType());
  std::optional<ArrayRef<int64_t>> input =
      getTensorShape(adaptor.getInput().getType());
  if (!input) {
    types.push_back(UnrankedTensorType::get(element));
    return success();
  }
  llvm::SmallSet<int64_t, 4> axes;
  if (failed(collectAxes(loc, name, adaptor.getAxes(), input->size(), axes)))
    return failure();
  SmallVector<int64_t> shape;
  for (auto [d, size] : llvm::enumerate(*input)) {
    if (!axes.contains(d)) {
      shape.push_back(size);
      continue;
    }
    if (!isDyn(size) && size != 1)
      return emitInferError(loc, name, "cannot squeeze dimension ", d,
                            " of size ", size);
  }
  types.push_back(RankedTensorType::get(shape, element));
  return success();
}

LogicalResult UnsqueezeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  StringRef name = getOperationName();
  Type element = getElementTypeOrSelf(adaptor.getInput().getType());
  std::optional<ArrayRef<int64_t>> input =
      getTensorShape(adaptor.getInput().getType());
  if (!input) {
    types.push_back(UnrankedTensorType::get(element));
    return success();
  }
  int64_t rank = input->size() + adaptor.getAxes().size();
  llvm::SmallSet<int64_t, 4> axes;
  if (failed(collectAxes(loc, name, adaptor.getAxes(), rank, axes)))
    return failure();
  SmallVector<int64_t> shape;
  const int64_t *next = input->begin();
  for (int64_t d = 0; d < rank; ++d)
    shape.push_back(axes.contains(d) ? 1 : *next++);
  types.push_back(RankedTensorType::get(shape, element));
  return success();
}

//===----------------------------------------------------------------------===//
// kiln.shape_of
//===----------------------------------------------------------------------===//

LogicalResult ShapeOfOp::inferReturnTypes(MLIRContext *context,
                                          std::optional<Location>,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  std::optional<ArrayRef<int64_t>> input =
      getTensorShape(adaptor.getInput().getType());
  int64_t rank = input ? static_cast<int64_t>(input->size())
                       : ShapedType::kDynamic;
  types.push_back(RankedTensorType::get({rank}, IntegerType::get(context, 64)));
  return success();
}
