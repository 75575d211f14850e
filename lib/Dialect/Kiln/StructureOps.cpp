//===- StructureOps.cpp - weights, constants and kernel regions -----------===//
//
// Verifiers for the weights table (`kiln.weight_decl`, `kiln.weight`),
// `kiln.constant` and `kiln.kernel` regions.
//
//===----------------------------------------------------------------------===//
#include "kiln/Dialect/Kiln/KilnOps.h"

#include "mlir/IR/BuiltinOps.h"

using namespace mlir;
using namespace mlir::kiln;

LogicalResult mlir::kiln::inferResultTypes(InferTypeOpInterface op,
                                           SmallVectorImpl<Type> &types) {
  Operation *raw = op.getOperation();
  return op.inferReturnTypes(raw->getContext(), raw->getLoc(),
                             raw->getOperands(), raw->getRawDictionaryAttrs(),
                             raw->getPropertiesStorage(), raw->getRegions(),
                             types);
}

LogicalResult mlir::kiln::updateResultTypes(InferTypeOpInterface op) {
  SmallVector<Type> types;
  if (failed(inferResultTypes(op, types)))
    return failure();
  for (auto [result, type] : llvm::zip(op->getResults(), types))
    result.setType(type);
  return success();
}

LogicalResult mlir::kiln::verifyQuantizedShape(std::optional<Location> loc,
                                               StringRef opName, Type type,
                                               const Twine &what) {
  auto tensor = llvm::dyn_cast<RankedTensorType>(type);
  if (!tensor)
    return success();
  auto quant = llvm::dyn_cast<QuantType>(tensor.getElementType());
  if (!quant)
    return success();
  if (tensor.getRank() == 0)
    return emitInferError(loc, opName, what.str(), " of block-quantized type ",
                          type, " must have at least one dimension");
  if (quant.getInterleave() != 1) {
    int64_t rows = tensor.getRank() == 2 ? tensor.getShape()[0] : 1;
    if (tensor.getRank() != 2 ||
        (!ShapedType::isDynamic(rows) && rows % quant.getInterleave() != 0))
      return emitInferError(loc, opName, what.str(), " of repacked type ", type,
                            " must be 2-D with a multiple of ", quant.getInterleave(),
                            " rows");
  }
  int64_t inner = tensor.getShape().back();
  if (!ShapedType::isDynamic(inner) && inner % quant.getBlockElements() != 0)
    return emitInferError(loc, opName, what.str(), " has innermost dimension ",
                          inner, ", which is not a multiple of the ",
                          Type(quant), " block size ",
                          quant.getBlockElements());
  return success();
}

//===----------------------------------------------------------------------===//
// kiln.weight_decl / kiln.weight
//===----------------------------------------------------------------------===//

LogicalResult WeightDeclOp::verify() {
  RankedTensorType type = getTensorType();
  if (!type.hasStaticShape())
    return emitOpError() << "weight '" << getSymName()
                         << "' must have a static shape, got " << type;
  if (getOffset() && *getOffset() < 0)
    return emitOpError() << "weight '" << getSymName()
                         << "' has negative byte offset " << *getOffset();
  if (getOffset().has_value() != getSource().has_value())
    return emitOpError() << "weight '" << getSymName()
                         << "' needs both 'source' and 'offset', or neither";
  if (!staticElementCount(type.getShape()))
    return emitOpError() << "weight '" << getSymName()
                         << "' has more elements than fit in 64 bits";
  return verifyQuantizedShape(getLoc(), getOperationName(), type,
                              "weight '" + getSymName() + "'");
}

int64_t WeightDeclOp::getStorageBytes() {
  RankedTensorType type = getTensorType();
  int64_t elements = *staticElementCount(type.getShape());
  if (auto quant = llvm::dyn_cast<QuantType>(type.getElementType()))
    return quant.getStorageBytes(elements);
  int64_t bits = type.getElementTypeBitWidth();
  return elements * ((bits + 7) / 8);
}

LogicalResult WeightOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  auto decl = symbolTable.lookupNearestSymbolFrom<WeightDeclOp>(*this,
                                                               getNameAttr());
  if (!decl)
    return emitOpError() << "refers to " << getNameAttr()
                         << ", which is not a kiln.weight_decl in this module";
  if (decl.getType() != getType())
    return emitOpError() << "result type " << getType()
                         << " differs from the declared type "
                         << decl.getType() << " of " << getNameAttr();
  return success();
}

//===----------------------------------------------------------------------===//
// kiln.constant
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location>,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  types.push_back(adaptor.getValue().getType());
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

//===----------------------------------------------------------------------===//
// kiln.kernel
//===----------------------------------------------------------------------===//

LogicalResult KernelOp::verify() {
  Block &body = getBody().front();
  if (body.getNumArguments() != getInputs().size())
    return emitOpError() << "has " << getInputs().size()
                         << " inputs but its body takes "
                         << body.getNumArguments() << " arguments";
  for (auto [index, pair] :
       llvm::enumerate(llvm::zip(getInputs(), body.getArguments())))
    if (std::get<0>(pair).getType() != std::get<1>(pair).getType())
      return emitOpError() << "input #" << index << " has type "
                           << std::get<0>(pair).getType()
                           << " but body argument #" << index << " has type "
                           << std::get<1>(pair).getType();
  return success();
}

LogicalResult KernelOp::verifyRegions() {
  auto yield = llvm::cast<YieldOp>(getBody().front().getTerminator());
  if (yield.getValues().size() != getNumResults())
    return emitOpError() << "yields " << yield.getValues().size()
                         << " values but has " << getNumResults()
                         << " results";
  for (auto [index, pair] :
       llvm::enumerate(llvm::zip(yield.getValues(), getResults())))
    if (std::get<0>(pair).getType() != std::get<1>(pair).getType())
      return emitOpError() << "yields " << std::get<0>(pair).getType()
                           << " as result #" << index << " of type "
                           << std::get<1>(pair).getType();
  return success();
}
