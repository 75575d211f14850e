//===- KilnTypeUtils.cpp - shape arithmetic for kiln's type inference -----===//
#include "kiln/Dialect/Kiln/KilnTypeUtils.h"

#include "mlir/IR/BuiltinTypeInterfaces.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;

namespace mlir::kiln {

static bool isRefinable(Type inferred, Type actual) {
  auto inferredTensor = llvm::dyn_cast<TensorType>(inferred);
  auto actualTensor = llvm::dyn_cast<TensorType>(actual);
  if (!inferredTensor || !actualTensor)
    return inferred == actual;
  if (inferredTensor.getElementType() != actualTensor.getElementType())
    return false;
  if (!inferredTensor.hasRank() || !actualTensor.hasRank())
    return true;
  if (inferredTensor.getRank() != actualTensor.getRank())
    return false;
  for (auto [a, b] :
       llvm::zip(inferredTensor.getShape(), actualTensor.getShape()))
    if (!ShapedType::isDynamic(a) && !ShapedType::isDynamic(b) && a != b)
      return false;
  return true;
}

bool areRefinableTypes(TypeRange inferred, TypeRange actual) {
  if (inferred.size() != actual.size())
    return false;
  for (auto [a, b] : llvm::zip(inferred, actual))
    if (!isRefinable(a, b))
      return false;
  return true;
}

Type refineType(Type inferred, Type actual) {
  auto inferredTensor = llvm::dyn_cast<TensorType>(inferred);
  auto actualTensor = llvm::dyn_cast<TensorType>(actual);
  if (!inferredTensor || !actualTensor || !isRefinable(inferred, actual))
    return actual;
  if (!inferredTensor.hasRank())
    return actual;
  if (!actualTensor.hasRank())
    return inferred;
  SmallVector<int64_t> shape;
  for (auto [a, b] :
       llvm::zip(inferredTensor.getShape(), actualTensor.getShape()))
    shape.push_back(ShapedType::isDynamic(b) ? a : b);
  return RankedTensorType::get(shape, actualTensor.getElementType());
}

TensorType makeTensorType(std::optional<ArrayRef<int64_t>> shape,
                          Type elementType) {
  if (!shape)
    return UnrankedTensorType::get(elementType);
  return RankedTensorType::get(*shape, elementType);
}

std::optional<ArrayRef<int64_t>> getTensorShape(Type type) {
  if (auto ranked = llvm::dyn_cast<RankedTensorType>(type))
    return ranked.getShape();
  return std::nullopt;
}

LogicalResult inferConversion(std::optional<Location> loc, StringRef opName,
                              StringRef action, Type input, Type to,
                              SmallVectorImpl<Type> &types) {
  if (!llvm::isa<FloatType>(to) && !to.isSignlessInteger() &&
      !to.isUnsignedInteger())
    return emitInferError(loc, opName, "cannot ", action, " ", to,
                          ": the target must be a float, integer or i1 type");
  types.push_back(makeTensorType(getTensorShape(input), to));
  return success();
}

std::optional<SmallVector<int64_t>> broadcastShapes(ArrayRef<int64_t> a,
                                                    ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  SmallVector<int64_t> result(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    bool dynA = ShapedType::isDynamic(da), dynB = ShapedType::isDynamic(db);
    if (!dynA && !dynB) {
      if (da != db && da != 1 && db != 1)
        return std::nullopt;
      result[i] = da == 1 ? db : da;
    } else if (dynA && dynB) {
      result[i] = ShapedType::kDynamic;
    } else {
      // One side is known: a known size > 1 decides; 1 defers to the other.
      int64_t known = dynA ? db : da;
      result[i] = known == 1 ? ShapedType::kDynamic : known;
    }
  }
  return result;
}

std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

std::optional<int64_t> staticElementCount(ArrayRef<int64_t> shape) {
  int64_t count = 1;
  for (int64_t dim : shape) {
    if (ShapedType::isDynamic(dim) || dim < 0)
      return std::nullopt;
    if (dim != 0 && count > std::numeric_limits<int64_t>::max() / dim)
      return std::nullopt;
    count *= dim;
  }
  return count;
}

std::string formatShape(ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "scalar";
  std::string text;
  for (int64_t dim : shape) {
    if (!text.empty())
      text += "x";
    text += ShapedType::isDynamic(dim) ? "?" : std::to_string(dim);
  }
  return text;
}

std::string formatList(ArrayRef<int64_t> values) {
  std::string text = "[";
  for (auto [index, value] : llvm::enumerate(values))
    text += (index ? ", " : "") + std::to_string(value);
  return text + "]";
}

} // namespace mlir::kiln
