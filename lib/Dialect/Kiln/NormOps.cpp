//===- NormOps.cpp - reductions, softmax and normalization ops ------------===//
#include "kiln/Dialect/Kiln/KilnOps.h"

#include "llvm/ADT/SmallSet.h"

using namespace mlir;
using namespace mlir::kiln;

/// Result type of a reduction over `axes` (checked: non-empty, in range,
/// no repeats).
static LogicalResult inferReduction(std::optional<Location> loc,
                                    StringRef name, Type inputType,
                                    ArrayRef<int64_t> axes, bool keepdims,
                                    SmallVectorImpl<Type> &types) {
  Type element = getElementTypeOrSelf(inputType);
  if (axes.empty())
    return emitInferError(loc, name, "needs at least one axis to reduce");
  std::optional<ArrayRef<int64_t>> shape = getTensorShape(inputType);
  if (!shape) {
    types.push_back(UnrankedTensorType::get(element));
    return success();
  }
  int64_t rank = shape->size();
  llvm::SmallSet<int64_t, 4> seen;
  for (int64_t axis : axes) {
    std::optional<int64_t> normalized = normalizeAxis(axis, rank);
    if (!normalized)
      return emitInferError(loc, name, "axis ", axis,
                            " is out of range for rank ", rank);
    if (!seen.insert(*normalized).second)
      return emitInferError(loc, name, "axis ", axis, " is listed twice");
  }
  SmallVector<int64_t> result;
  for (int64_t i = 0; i < rank; ++i) {
    if (!seen.contains(i))
      result.push_back((*shape)[i]);
    else if (keepdims)
      result.push_back(1);
  }
  types.push_back(RankedTensorType::get(result, element));
  return success();
}

#define KILN_REDUCTION(OP)                                                     \
  LogicalResult OP::inferReturnTypes(MLIRContext *,                            \
                                     std::optional<Location> loc,              \
                                     OP::Adaptor adaptor,                      \
                                     SmallVectorImpl<Type> &types) {           \
    return inferReduction(loc, getOperationName(),                             \
                          adaptor.getInput().getType(), adaptor.getAxes(),     \
                          adaptor.getKeepdims(), types);                       \
  }
KILN_REDUCTION(ReduceSumOp)
KILN_REDUCTION(ReduceMeanOp)
KILN_REDUCTION(ReduceMaxOp)
#undef KILN_REDUCTION

#define KILN_ARG_REDUCTION(OP)                                                 \
  LogicalResult OP::inferReturnTypes(MLIRContext *context,                   \
                                     std::optional<Location> loc,            \
                                     OP::Adaptor adaptor,                    \
                                     SmallVectorImpl<Type> &types) {         \
    SmallVector<Type> reduced;                                               \
    if (failed(inferReduction(loc, getOperationName(),                       \
                              adaptor.getInput().getType(),                  \
                              {adaptor.getAxis()}, adaptor.getKeepdims(),    \
                              reduced)))                                     \
      return failure();                                                      \
    types.push_back(makeTensorType(getTensorShape(reduced[0]),               \
                                   IntegerType::get(context, 64)));          \
    return success();                                                        \
  }
KILN_ARG_REDUCTION(ArgMaxOp)
KILN_ARG_REDUCTION(ArgMinOp)
#undef KILN_ARG_REDUCTION

#define KILN_SOFTMAX(OP)                                                       \
  LogicalResult OP::inferReturnTypes(MLIRContext *,                            \
                                     std::optional<Location> loc,              \
                                     OP::Adaptor adaptor,                      \
                                     SmallVectorImpl<Type> &types) {           \
    Type type = adaptor.getInput().getType();                                  \
    std::optional<ArrayRef<int64_t>> shape = getTensorShape(type);                   \
    if (shape && !normalizeAxis(adaptor.getAxis(), shape->size()))             \
      return emitInferError(loc, getOperationName(), "axis ",                  \
                            adaptor.getAxis(), " is out of range for rank ",   \
                            shape->size());                                    \
    types.push_back(type);                                                     \
    return success();                                                          \
  }
KILN_SOFTMAX(SoftmaxOp)
KILN_SOFTMAX(LogSoftmaxOp)
#undef KILN_SOFTMAX

//===----------------------------------------------------------------------===//
// kiln.rms_norm / kiln.layer_norm
//===----------------------------------------------------------------------===//

LogicalResult RmsNormOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location>,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  types.push_back(adaptor.getInput().getType());
  return success();
}

LogicalResult RmsNormOp::verify() {
  Type element = getElementTypeOrSelf(getInput().getType());
  if (getElementTypeOrSelf(getWeight().getType()) != element)
    return emitOpError() << "weight element type "
                         << getElementTypeOrSelf(getWeight().getType())
                         << " differs from the input's " << element;
  if (getEpsilon().isNegative())
    return emitOpError() << "epsilon must not be negative";
  std::optional<ArrayRef<int64_t>> input = getTensorShape(getInput().getType());
  std::optional<ArrayRef<int64_t>> weight = getTensorShape(getWeight().getType());
  if (input && input->empty())
    return emitOpError() << "input must have rank >= 1";
  if (weight && weight->size() != 1)
    return emitOpError() << "weight must be 1-D, got "
                         << formatShape(*weight);
  if (input && weight && !ShapedType::isDynamic(input->back()) &&
      !ShapedType::isDynamic((*weight)[0]) && input->back() != (*weight)[0])
    return emitOpError() << "weight has " << (*weight)[0]
                         << " elements but the normalized (last) dimension "
                         << "of the input has " << input->back();
  return success();
}

LogicalResult LayerNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location>,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  types.push_back(adaptor.getInput().getType());
  return success();
}

LogicalResult LayerNormOp::verify() {
  Type element = getElementTypeOrSelf(getInput().getType());
  if (getEpsilon().isNegative())
    return emitOpError() << "epsilon must not be negative";
  std::optional<ArrayRef<int64_t>> input = getTensorShape(getInput().getType());
  std::optional<int64_t> axis;
  if (input && !(axis = normalizeAxis(getAxis(), input->size())))
    return emitOpError() << "axis " << getAxis()
                         << " is out of range for rank " << input->size();
  for (auto [what, value] :
       {std::pair<StringRef, Value>("scale", getScale()),
        std::pair<StringRef, Value>("bias", getBias())}) {
    if (!value)
      continue;
    if (getElementTypeOrSelf(value.getType()) != element)
      return emitOpError() << what << " element type "
                           << getElementTypeOrSelf(value.getType())
                           << " differs from the input's " << element;
    std::optional<ArrayRef<int64_t>> shape = getTensorShape(value.getType());
    if (!input || !shape)
      continue;
    ArrayRef<int64_t> normalized = input->drop_front(*axis);
    std::optional<SmallVector<int64_t>> joined =
        broadcastShapes(*shape, normalized);
    if (shape->size() > normalized.size() || !joined ||
        !areRefinableTypes(RankedTensorType::get(*joined, element),
                           RankedTensorType::get(normalized, element)))
      return emitOpError() << what << " of shape " << formatShape(*shape)
                           << " does not broadcast to the normalized shape "
                           << formatShape(normalized);
  }
  return success();
}
