//===- LinearOps.cpp - inference for matmuls, gathers and embeddings ------===//
#include "kiln/Dialect/Kiln/KilnOps.h"

using namespace mlir;
using namespace mlir::kiln;

static bool isDyn(int64_t dim) { return ShapedType::isDynamic(dim); }

LogicalResult MatmulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  StringRef name = getOperationName();
  Type element = getElementTypeOrSelf(adaptor.getLhs().getType());
  if (element != getElementTypeOrSelf(adaptor.getRhs().getType()))
    return emitInferError(loc, name, "operands have different element types ",
                          element, " and ",
                          getElementTypeOrSelf(adaptor.getRhs().getType()));
  std::optional<ArrayRef<int64_t>> lhs = getTensorShape(adaptor.getLhs().getType());
  std::optional<ArrayRef<int64_t>> rhs = getTensorShape(adaptor.getRhs().getType());
  if (!lhs || !rhs) {
    types.push_back(UnrankedTensorType::get(element));
    return success();
  }
  if (lhs->size() < 2 || rhs->size() < 2)
    return emitInferError(loc, name, "operands must have rank >= 2, got ",
                          formatShape(*lhs), " and ", formatShape(*rhs));
  bool transposed = adaptor.getTransposeRhs();
  int64_t m = (*lhs)[lhs->size() - 2], k = lhs->back();
  int64_t rhsK = transposed ? rhs->back() : (*rhs)[rhs->size() - 2];
  int64_t n = transposed ? (*rhs)[rhs->size() - 2] : rhs->back();
  if (!isDyn(k) && !isDyn(rhsK) && k != rhsK)
    return emitInferError(loc, name, "contracting dimensions differ: lhs ",
                          formatShape(*lhs), " has K = ", k, ", rhs ",
                          formatShape(*rhs), " has K = ", rhsK,
                          transposed ? " (rhs is [N, K])" : " (rhs is [K, N])");
  std::optional<SmallVector<int64_t>> batch =
      broadcastShapes(lhs->drop_back(2), rhs->drop_back(2));
  if (!batch)
    return emitInferError(loc, name, "batch dimensions of ", formatShape(*lhs),
                          " and ", formatShape(*rhs), " do not broadcast");
  batch->push_back(m);
  batch->push_back(n);
  types.push_back(RankedTensorType::get(*batch, element));
  return success();
}

LogicalResult QuantizedMatmulOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  StringRef name = getOperationName();
  Type element = getElementTypeOrSelf(adaptor.getInput().getType());
  if (failed(verifyQuantizedShape(loc, name, adaptor.getWeight().getType(),
                                  "weight")))
    return failure();
  std::optional<ArrayRef<int64_t>> input =
      getTensorShape(adaptor.getInput().getType());
  std::optional<ArrayRef<int64_t>> weight =
      getTensorShape(adaptor.getWeight().getType());
  if (weight && weight->size() != 2)
    return emitInferError(loc, name, "weight must be [N, K], got ",
                          formatShape(*weight));
  if (!input) {
    types.push_back(UnrankedTensorType::get(element));
    return success();
  }
  if (input->empty())
    return emitInferError(loc, name, "input must have rank >= 1");
  SmallVector<int64_t> shape(input->drop_back());
  shape.push_back(weight ? (*weight)[0] : ShapedType::kDynamic);
  if (weight && !isDyn(input->back()) && !isDyn((*weight)[1]) &&
      input->back() != (*weight)[1])
    return emitInferError(loc, name, "input has K = ", input->back(),
                          " but the [N, K] weight ", formatShape(*weight),
                          " has K = ", (*weight)[1]);
  types.push_back(RankedTensorType::get(shape, element));
  return success();
}

LogicalResult GatherOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  Type element = getElementTypeOrSelf(adaptor.getData().getType());
  std::optional<ArrayRef<int64_t>> data = getTensorShape(adaptor.getData().getType());
  std::optional<ArrayRef<int64_t>> indices =
      getTensorShape(adaptor.getIndices().getType());
  if (data && data->empty())
    return emitInferError(loc, getOperationName(),
                          "data must have rank >= 1");
  std::optional<int64_t> axis;
  if (data && !(axis = normalizeAxis(adaptor.getAxis(), data->size())))
    return emitInferError(loc, getOperationName(), "axis ", adaptor.getAxis(),
                          " is out of range for data of rank ", data->size());
  if (!data || !indices) {
    types.push_back(UnrankedTensorType::get(element));
    return success();
  }
  SmallVector<int64_t> shape(data->take_front(*axis));
  llvm::append_range(shape, *indices);
  llvm::append_range(shape, data->drop_front(*axis + 1));
  types.push_back(RankedTensorType::get(shape, element));
  return success();
}

LogicalResult GatherElementsOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  StringRef name = getOperationName();
  Type element = getElementTypeOrSelf(adaptor.getData().getType());
  std::optional<ArrayRef<int64_t>> data = getTensorShape(adaptor.getData().getType());
  std::optional<ArrayRef<int64_t>> indices =
      getTensorShape(adaptor.getIndices().getType());
  if (data && indices) {
    if (data->size() != indices->size())
      return emitInferError(loc, name, "indices ", formatShape(*indices),
                            " must have the rank of data ", formatShape(*data));
    std::optional<int64_t> axis = normalizeAxis(adaptor.getAxis(), data->size());
    if (!axis)
      return emitInferError(loc, name, "axis ", adaptor.getAxis(),
                            " is out of range for rank ", data->size());
    for (size_t d = 0; d < data->size(); ++d)
      if (int64_t(d) != *axis && !isDyn((*data)[d]) && !isDyn((*indices)[d]) &&
          (*indices)[d] > (*data)[d])
        return emitInferError(loc, name, "indices ", formatShape(*indices),
                              " exceed data ", formatShape(*data),
                              " in dimension ", d);
  }
  types.push_back(makeTensorType(indices, element));
  return success();
}

LogicalResult EmbeddingOp::inferReturnTypes(MLIRContext *context,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  StringRef name = getOperationName();
  Type tableType = adaptor.getTable().getType();
  Type element = getElementTypeOrSelf(tableType);
  if (llvm::isa<QuantType>(element) || element.isF16() || element.isBF16())
    element = Float32Type::get(context);
  else if (!llvm::isa<FloatType>(element))
    return emitInferError(loc, name, "table must be float or block-quantized, "
                          "got element type ", element);
  if (failed(verifyQuantizedShape(loc, name, tableType, "table")))
    return failure();
  std::optional<ArrayRef<int64_t>> table = getTensorShape(tableType);
  if (table && table->size() != 2)
    return emitInferError(loc, name, "table must be [vocab, dim], got ",
                          formatShape(*table));
  std::optional<ArrayRef<int64_t>> ids = getTensorShape(adaptor.getIds().getType());
  if (!ids) {
    types.push_back(UnrankedTensorType::get(element));
    return success();
  }
  SmallVector<int64_t> shape(*ids);
  shape.push_back(table ? (*table)[1] : ShapedType::kDynamic);
  types.push_back(RankedTensorType::get(shape, element));
  return success();
}

/// Gathers from a constant with constant indices fold (ONNX's
/// Shape -> Gather chains), for small results only.
OpFoldResult GatherOp::fold(FoldAdaptor adaptor) {
  auto data = llvm::dyn_cast_if_present<DenseElementsAttr>(adaptor.getData());
  auto indices =
      llvm::dyn_cast_if_present<DenseIntElementsAttr>(adaptor.getIndices());
  auto type = llvm::dyn_cast<RankedTensorType>(getType());
  if (!data || !indices || !type || !type.hasStaticShape() ||
      type.getNumElements() > kMaxFoldedElements)
    return {};
  ArrayRef<int64_t> shape = data.getType().getShape();
  int64_t axis = *normalizeAxis(getAxis(), shape.size());
  int64_t axisSize = shape[axis], inner = 1;
  for (size_t d = axis + 1; d < shape.size(); ++d)
    inner *= shape[d];
  int64_t outer = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= shape[d];
  SmallVector<int64_t> picks;
  for (const APInt &index : indices.getValues<APInt>()) {
    int64_t i = index.getSExtValue();
    if (i < -axisSize || i >= axisSize)
      return {}; // out of range: left for the run-time check
    picks.push_back(i < 0 ? i + axisSize : i);
  }
  auto all = data.getValues<Attribute>();
  SmallVector<Attribute> values;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t pick : picks)
      for (int64_t i = 0; i < inner; ++i)
        values.push_back(all[(o * axisSize + pick) * inner + i]);
  return DenseElementsAttr::get(type, values);
}
