//===- KilnTypeUtils.h - shape arithmetic shared by kiln's type inference -===//
//
// Helpers for ops' `inferReturnTypes`: tensor types that may be unranked or
// have dynamic dims, numpy broadcasting, axis normalization, and the
// "refinable" relation that lets a declared result be less precise than the
// inferred one until `kiln-infer-shapes` runs.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_DIALECT_KILN_KILNTYPEUTILS_H
#define KILN_DIALECT_KILN_KILNTYPEUTILS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/TypeRange.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace mlir::kiln {

/// Folders turn ops on constants into constants only for results up to this
/// many elements: enough for shape arithmetic, never a copy of real data.
constexpr int64_t kMaxFoldedElements = 4096;

/// True when each `actual` type is a tensor with the element type of the
/// matching `inferred` one and a shape that agrees wherever both are known.
bool areRefinableTypes(TypeRange inferred, TypeRange actual);

/// The more precise of two refinable tensor types (static dims win).
Type refineType(Type inferred, Type actual);

/// A tensor type of `elementType`, ranked when `shape` is present.
TensorType makeTensorType(std::optional<ArrayRef<int64_t>> shape,
                          Type elementType);

/// The shape of `type` if it is a ranked tensor.
std::optional<ArrayRef<int64_t>> getTensorShape(Type type);

/// Numpy broadcast of two shapes; dynamic dims broadcast to dynamic unless
/// the other side is a static dim > 1. Empty on a definite mismatch.
std::optional<SmallVector<int64_t>> broadcastShapes(ArrayRef<int64_t> a,
                                                    ArrayRef<int64_t> b);

/// Maps `axis` in [-rank, rank) to [0, rank); empty when out of range.
std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank);

/// Product of static dims, or empty if any is dynamic or the product
/// overflows int64.
std::optional<int64_t> staticElementCount(ArrayRef<int64_t> shape);

/// "4x?x8" for messages.
std::string formatShape(ArrayRef<int64_t> shape);

/// "[0, 2, 1]" for messages about index lists.
std::string formatList(ArrayRef<int64_t> values);

/// Emits "'<opName>' op <args...>" at `loc` (when there is one) and returns
/// failure: the message form every kiln verifier and inference uses.
template <typename... Args>
LogicalResult emitInferError(std::optional<Location> loc, StringRef opName,
                             Args &&...args) {
  return emitOptionalError(loc, "'", opName, "' op ",
                           std::forward<Args>(args)...);
}

/// The result type of a conversion of `input` to elements of `to` (cast,
/// parse): `input`'s shape with `to`, appended to `types`; an error saying
/// "cannot <action> <to>" unless `to` is a float, integer or i1 type.
LogicalResult inferConversion(std::optional<Location> loc, StringRef opName,
                              StringRef action, Type input, Type to,
                              SmallVectorImpl<Type> &types);

} // namespace mlir::kiln

#endif // KILN_DIALECT_KILN_KILNTYPEUTILS_H
