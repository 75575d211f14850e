//===- ConvOps.cpp - shapes of convolution and pooling --------------------===//
#include "kiln/Dialect/Kiln/KilnOps.h"

using namespace mlir;
using namespace mlir::kiln;

namespace {
/// Checks the per-spatial-dim attributes and computes the output sizes.
LogicalResult windowedShape(std::optional<Location> loc, StringRef name,
                            ArrayRef<int64_t> input, ArrayRef<int64_t> kernel,
                            ArrayRef<int64_t> strides, ArrayRef<int64_t> pads,
                            ArrayRef<int64_t> dilations, bool ceilMode,
                            SmallVectorImpl<int64_t> &out) {
  size_t spatial = input.size() - 2;
  if (kernel.size() != spatial || strides.size() != spatial ||
      dilations.size() != spatial || pads.size() != 2 * spatial)
    return emitInferError(loc, name, "needs ", spatial,
                          " kernel sizes, strides and dilations and ",
                          2 * spatial, " pads for ", spatial,
                          " spatial dimensions");
  for (size_t i = 0; i < spatial; ++i) {
    if (strides[i] < 1 || dilations[i] < 1 || kernel[i] < 1 || pads[i] < 0 ||
        pads[spatial + i] < 0)
      return emitInferError(loc, name, "kernel sizes, strides and dilations "
                            "must be positive and pads non-negative");
    int64_t d = input[2 + i];
    if (ShapedType::isDynamic(d)) {
      out.push_back(ShapedType::kDynamic);
      continue;
    }
    int64_t span = dilations[i] * (kernel[i] - 1) + 1;
    int64_t padded = d + pads[i] + pads[spatial + i];
    if (padded < span)
      return emitInferError(loc, name, "a window of ", span,
                            " does not fit spatial dimension ", i, " (", d,
                            " plus padding)");
    int64_t size = ceilMode ? (padded - span + strides[i] - 1) / strides[i] + 1
                            : (padded - span) / strides[i] + 1;
    // A window starting inside the end padding is dropped (ceil mode).
    if (ceilMode && (size - 1) * strides[i] >= d + pads[i])
      --size;
    out.push_back(size);
  }
  return success();
}
} // namespace

LogicalResult ConvOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  StringRef name = getOperationName();
  Type element = getElementTypeOrSelf(adaptor.getInput().getType());
  std::optional<ArrayRef<int64_t>> input = getTensorShape(adaptor.getInput().getType());
  std::optional<ArrayRef<int64_t>> weight = getTensorShape(adaptor.getWeight().getType());
  if (!input || !weight) {
    types.push_back(UnrankedTensorType::get(element));
    return success();
  }
  if (input->size() < 3 || input->size() > 5 || weight->size() != input->size())
    return emitInferError(loc, name, "input must be [N, C, D1...] with 1 to 3 "
                          "spatial dims and weight [M, C/group, K...] of the "
                          "same rank, got ", formatShape(*input), " and ",
                          formatShape(*weight));
  int64_t group = adaptor.getGroup();
  int64_t channels = (*input)[1], m = (*weight)[0];
  if (group < 1 || (!ShapedType::isDynamic(channels) &&
                    (channels % group != 0 || channels / group != (*weight)[1])) ||
      (!ShapedType::isDynamic(m) && m % group != 0))
    return emitInferError(loc, name, "with group ", group, ", input channels ",
                          channels, " and weight ", formatShape(*weight),
                          " do not match");
  SmallVector<int64_t> shape{(*input)[0], m};
  if (failed(windowedShape(loc, name, *input, weight->drop_front(2),
                           adaptor.getStrides(), adaptor.getPads(),
                           adaptor.getDilations(), false, shape)))
    return failure();
  types.push_back(RankedTensorType::get(shape, element));
  return success();
}

template <typename OpTy>
static LogicalResult inferPool(std::optional<Location> loc,
                               typename OpTy::Adaptor adaptor,
                               SmallVectorImpl<Type> &types) {
  Type element = getElementTypeOrSelf(adaptor.getInput().getType());
  std::optional<ArrayRef<int64_t>> input = getTensorShape(adaptor.getInput().getType());
  if (!input) {
    types.push_back(UnrankedTensorType::get(element));
    return success();
  }
  if (input->size() < 3 || input->size() > 5)
    return emitInferError(loc, OpTy::getOperationName(),
                          "input must be [N, C, D1...] with 1 to 3 spatial "
                          "dims, got ", formatShape(*input));
  SmallVector<int64_t> shape{(*input)[0], (*input)[1]};
  if (failed(windowedShape(loc, OpTy::getOperationName(), *input,
                           adaptor.getKernelShape(), adaptor.getStrides(),
                           adaptor.getPads(), adaptor.getDilations(),
                           adaptor.getCeilMode(), shape)))
    return failure();
  types.push_back(RankedTensorType::get(shape, element));
  return success();
}

LogicalResult MaxPoolOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  return inferPool<MaxPoolOp>(loc, adaptor, types);
}

LogicalResult MaxPoolIndicesOp::inferReturnTypes(MLIRContext *context,
                                                 std::optional<Location> loc,
                                                 Adaptor adaptor,
                                                 SmallVectorImpl<Type> &types) {
  SmallVector<Type> pooled;
  if (failed(inferPool<MaxPoolIndicesOp>(loc, adaptor, pooled)))
    return failure();
  types.push_back(makeTensorType(getTensorShape(pooled[0]),
                                 IntegerType::get(context, 64)));
  return success();
}

LogicalResult AvgPoolOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  return inferPool<AvgPoolOp>(loc, adaptor, types);
}
