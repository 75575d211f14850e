//===- TextOps.cpp - result types of kiln.format and kiln.parse -----------===//
//
// Both keep their input's shape; format yields strings, parse the `to` type.
//
//===----------------------------------------------------------------------===//
#include "kiln/Dialect/Kiln/KilnOps.h"

using namespace mlir;
using namespace mlir::kiln;

LogicalResult FormatOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location>,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  types.push_back(makeTensorType(getTensorShape(adaptor.getInput().getType()),
                                 StringType::get(context)));
  return success();
}

LogicalResult ParseOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  return inferConversion(loc, getOperationName(), "parse text as",
                         adaptor.getInput().getType(), adaptor.getTo(), types);
}
