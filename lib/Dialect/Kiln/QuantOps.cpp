//===- QuantOps.cpp - kiln.dequantize and kiln.quantize -------------------===//
#include "kiln/Dialect/Kiln/KilnOps.h"

using namespace mlir;
using namespace mlir::kiln;

LogicalResult DequantizeOp::inferReturnTypes(MLIRContext *context,
                                             std::optional<Location> loc,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &types) {
  Type input = adaptor.getInput().getType();
  if (failed(verifyQuantizedShape(loc, getOperationName(), input, "input")))
    return failure();
  types.push_back(makeTensorType(getTensorShape(input), Float32Type::get(context)));
  return success();
}

LogicalResult QuantizeOp::inferReturnTypes(MLIRContext *context,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  auto result = makeTensorType(getTensorShape(adaptor.getInput().getType()),
                               QuantType::get(context, adaptor.getFormat()));
  if (failed(verifyQuantizedShape(loc, getOperationName(), result, "input")))
    return failure();
  types.push_back(result);
  return success();
}
