//===- NodeContext.cpp - the op-builder API of the ONNX importer ----------===//
#include "OnnxImporter.h"

#include "kiln/Dialect/Kiln/KilnTypeUtils.h"

#include "mlir/IR/Matchers.h"

namespace kiln::onnx_import {
using namespace mlir;

Value NodeContext::input(int i) const {
  return graph.values.lookup(node.input(i));
}

std::optional<DenseElementsAttr> NodeContext::constantInput(int i) const {
  if (!hasInput(i))
    return std::nullopt;
  auto it = graph.constants.find(node.input(i));
  if (it != graph.constants.end())
    return it->second;
  DenseElementsAttr folded;
  if (Value value = input(i))
    if (matchPattern(value, m_Constant(&folded)))
      return folded;
  return std::nullopt;
}

FailureOr<SmallVector<int64_t>> NodeContext::constantInts(int i,
                                                          StringRef what) {
  std::optional<DenseElementsAttr> value = constantInput(i);
  if (!value || !value->getElementType().isSignlessInteger())
    return error(Twine(what) + " (input #" + Twine(i) +
                 ") must be a constant integer tensor");
  SmallVector<int64_t> result;
  for (const APInt &v : value->getValues<APInt>())
    result.push_back(v.getSExtValue());
  return result;
}

FailureOr<SmallVector<int64_t>> NodeContext::staticShape(int i,
                                                         StringRef why) {
  auto type = llvm::dyn_cast<RankedTensorType>(input(i).getType());
  if (!type || !type.hasStaticShape())
    return error("input '" + node.input(i) + "' needs a static shape " + why);
  return SmallVector<int64_t>(type.getShape());
}

FailureOr<int64_t> NodeContext::rank(int i) {
  auto type = llvm::dyn_cast<RankedTensorType>(input(i).getType());
  if (!type)
    return error("input '" + node.input(i) + "' has an unknown rank");
  return type.getRank();
}

const onnx::AttributeProto *NodeContext::attr(StringRef name) const {
  for (const onnx::AttributeProto &attribute : node.attribute())
    if (attribute.name() == name)
      return &attribute;
  return nullptr;
}

int64_t NodeContext::attrInt(StringRef name, int64_t fallback) const {
  const onnx::AttributeProto *a = attr(name);
  return a ? a->i() : fallback;
}

float NodeContext::attrFloat(StringRef name, float fallback) const {
  const onnx::AttributeProto *a = attr(name);
  return a ? a->f() : fallback;
}

std::string NodeContext::attrString(StringRef name, StringRef fallback) const {
  const onnx::AttributeProto *a = attr(name);
  return a ? a->s() : fallback.str();
}

std::optional<SmallVector<int64_t>>
NodeContext::attrInts(StringRef name) const {
  const onnx::AttributeProto *a = attr(name);
  if (!a)
    return std::nullopt;
  return SmallVector<int64_t>(a->ints().begin(), a->ints().end());
}

LogicalResult NodeContext::setOutput(int i, Value value) {
  if (!outputUsed(i))
    return success();
  graph.values[node.output(i)] = value;
  return success();
}

LogicalResult NodeContext::setConstantOutput(int i, DenseElementsAttr value) {
  if (!outputUsed(i))
    return success();
  graph.constants[node.output(i)] = value;
  FailureOr<Value> constant = create<mlir::kiln::ConstantOp>(value);
  if (failed(constant))
    return failure();
  return setOutput(i, *constant);
}

LogicalResult NodeContext::error(const Twine &message) const {
  return emitError(loc) << message;
}

Value NodeContext::scalar(Type elementType, double value) {
  auto type = RankedTensorType::get({}, elementType);
  Attribute element =
      llvm::isa<FloatType>(elementType)
          ? Attribute(builder.getFloatAttr(elementType, value))
          : Attribute(builder.getIntegerAttr(elementType,
                                             static_cast<int64_t>(value)));
  return builder.create<mlir::kiln::ConstantOp>(
      loc, DenseElementsAttr::get(type, element));
}

LogicalResult NodeContext::inferTypes(Operation *op) {
  if (failed(mlir::kiln::updateResultTypes(llvm::cast<InferTypeOpInterface>(op)))) {
    op->erase();
    return failure();
  }
  return success();
}

Value NodeContext::foldIfConstant(Operation *op) {
  // Import-time constant propagation: shape arithmetic on constants (Shape,
  // Gather, Concat, Unsqueeze...) becomes constants the next ops can read.
  SmallVector<OpFoldResult> folded;
  if (op->getNumResults() != 1 || failed(op->fold(folded)) || folded.empty())
    return op->getResult(0);
  if (auto value = llvm::dyn_cast_if_present<Value>(folded[0])) {
    op->erase();
    return value;
  }
  auto attr = llvm::dyn_cast_if_present<DenseElementsAttr>(
      llvm::dyn_cast_if_present<Attribute>(folded[0]));
  if (!attr || attr.getType() != op->getResult(0).getType())
    return op->getResult(0);
  OpBuilder b(op);
  Value constant = b.create<mlir::kiln::ConstantOp>(op->getLoc(), attr);
  op->getResult(0).replaceAllUsesWith(constant);
  op->erase();
  return constant;
}

} // namespace kiln::onnx_import
