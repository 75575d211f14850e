//===- ElementwiseOps.cpp - inference, folding for elementwise ops --------===//
//
// Result types of the unary, binary (broadcasting), compare, select and cast
// ops; constant folding and algebraic identities; `x * sigmoid(x) -> silu`.
//
//===----------------------------------------------------------------------===//
#include "kiln/Dialect/Kiln/KilnOps.h"

#include <cmath>

#include "mlir/Dialect/CommonFolders.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::kiln;

//===----------------------------------------------------------------------===//
// Inference
//===----------------------------------------------------------------------===//

#define KILN_RESULT_IS_INPUT_TYPE(OP)                                          \
  LogicalResult OP::inferReturnTypes(MLIRContext *, std::optional<Location>,  \
                                     OP::Adaptor adaptor,                      \
                                     SmallVectorImpl<Type> &types) {           \
    types.push_back(adaptor.getInput().getType());                             \
    return success();                                                          \
  }
KILN_RESULT_IS_INPUT_TYPE(SqrtOp)
KILN_RESULT_IS_INPUT_TYPE(RsqrtOp)
KILN_RESULT_IS_INPUT_TYPE(ExpOp)
KILN_RESULT_IS_INPUT_TYPE(LogOp)
KILN_RESULT_IS_INPUT_TYPE(ErfOp)
KILN_RESULT_IS_INPUT_TYPE(TanhOp)
KILN_RESULT_IS_INPUT_TYPE(SigmoidOp)
KILN_RESULT_IS_INPUT_TYPE(SiluOp)
KILN_RESULT_IS_INPUT_TYPE(ReluOp)
KILN_RESULT_IS_INPUT_TYPE(NegOp)
KILN_RESULT_IS_INPUT_TYPE(AbsOp)
KILN_RESULT_IS_INPUT_TYPE(GeluOp)
KILN_RESULT_IS_INPUT_TYPE(SinOp)
KILN_RESULT_IS_INPUT_TYPE(CosOp)
KILN_RESULT_IS_INPUT_TYPE(TanOp)
KILN_RESULT_IS_INPUT_TYPE(AsinOp)
KILN_RESULT_IS_INPUT_TYPE(AcosOp)
KILN_RESULT_IS_INPUT_TYPE(AtanOp)
KILN_RESULT_IS_INPUT_TYPE(SinhOp)
KILN_RESULT_IS_INPUT_TYPE(CoshOp)
KILN_RESULT_IS_INPUT_TYPE(AsinhOp)
KILN_RESULT_IS_INPUT_TYPE(AcoshOp)
KILN_RESULT_IS_INPUT_TYPE(AtanhOp)
KILN_RESULT_IS_INPUT_TYPE(FloorOp)
KILN_RESULT_IS_INPUT_TYPE(CeilOp)
KILN_RESULT_IS_INPUT_TYPE(RoundOp)
#undef KILN_RESULT_IS_INPUT_TYPE

/// The broadcast shape of `operands` (unranked if any is), or an error
/// naming the operands that do not broadcast.
static std::optional<std::optional<SmallVector<int64_t>>>
broadcastOperands(std::optional<Location> loc, StringRef opName,
                  ValueRange operands) {
  SmallVector<int64_t> shape;
  for (auto [index, operand] : llvm::enumerate(operands)) {
    std::optional<ArrayRef<int64_t>> operandShape = getTensorShape(operand.getType());
    if (!operandShape)
      return std::optional<SmallVector<int64_t>>();
    std::optional<SmallVector<int64_t>> joined =
        broadcastShapes(shape, *operandShape);
    if (!joined) {
      (void)emitInferError(loc, opName, "operand #", index, " of shape ",
                           formatShape(*operandShape),
                           " does not broadcast with shape ",
                           formatShape(shape), " of the operands before it");
      return std::nullopt;
    }
    shape = std::move(*joined);
  }
  return std::optional<SmallVector<int64_t>>(std::move(shape));
}

static LogicalResult inferBroadcast(std::optional<Location> loc,
                                    StringRef opName, ValueRange operands,
                                    Type elementType,
                                    SmallVectorImpl<Type> &types) {
  auto shape = broadcastOperands(loc, opName, operands);
  if (!shape)
    return failure();
  types.push_back(makeTensorType(
      *shape ? std::optional<ArrayRef<int64_t>>(**shape) : std::nullopt,
      elementType));
  return success();
}

static LogicalResult requireSameElementType(std::optional<Location> loc,
                                            StringRef opName, Value lhs,
                                            Value rhs) {
  Type a = getElementTypeOrSelf(lhs.getType());
  Type b = getElementTypeOrSelf(rhs.getType());
  if (a != b)
    return emitInferError(loc, opName, "operands have different element types ",
                          a, " and ", b);
  return success();
}

#define KILN_BROADCAST_BINARY(OP)                                              \
  LogicalResult OP::inferReturnTypes(MLIRContext *,                            \
                                     std::optional<Location> loc,              \
                                     OP::Adaptor adaptor,                      \
                                     SmallVectorImpl<Type> &types) {           \
    if (failed(requireSameElementType(loc, getOperationName(),                 \
                                      adaptor.getLhs(), adaptor.getRhs())))    \
      return failure();                                                        \
    return inferBroadcast(loc, getOperationName(), adaptor.getOperands(),      \
                          getElementTypeOrSelf(adaptor.getLhs().getType()),    \
                          types);                                              \
  }
KILN_BROADCAST_BINARY(AddOp)
KILN_BROADCAST_BINARY(SubOp)
KILN_BROADCAST_BINARY(MulOp)
KILN_BROADCAST_BINARY(DivOp)
KILN_BROADCAST_BINARY(PowOp)
KILN_BROADCAST_BINARY(MaxOp)
KILN_BROADCAST_BINARY(MinOp)
#undef KILN_BROADCAST_BINARY

LogicalResult CompareOp::inferReturnTypes(MLIRContext *context,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  if (failed(requireSameElementType(loc, getOperationName(), adaptor.getLhs(),
                                    adaptor.getRhs())))
    return failure();
  return inferBroadcast(loc, getOperationName(),
                        ValueRange{adaptor.getLhs(), adaptor.getRhs()},
                        IntegerType::get(context, 1), types);
}

LogicalResult SelectOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  if (failed(requireSameElementType(loc, getOperationName(),
                                    adaptor.getOnTrue(), adaptor.getOnFalse())))
    return failure();
  return inferBroadcast(loc, getOperationName(), adaptor.getOperands(),
                        getElementTypeOrSelf(adaptor.getOnTrue().getType()),
                        types);
}

LogicalResult CastOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  return inferConversion(loc, getOperationName(), "cast to",
                         adaptor.getInput().getType(), adaptor.getTo(), types);
}

//===----------------------------------------------------------------------===//
// Folding
//===----------------------------------------------------------------------===//

/// True when `value` is a constant splat equal to `expected` (integer or
/// float; the sign of a float zero is ignored).
static bool isSplatOf(Attribute value, double expected) {
  auto splat = llvm::dyn_cast_if_present<SplatElementsAttr>(value);
  if (!splat)
    return false;
  Type element = splat.getElementType();
  if (llvm::isa<FloatType>(element))
    return splat.getSplatValue<APFloat>().convertToDouble() == expected;
  if (element.isSignlessInteger() && element.getIntOrFloatBitWidth() > 1)
    return splat.getSplatValue<APInt>().getSExtValue() ==
           static_cast<int64_t>(expected);
  return false;
}

/// Folds `lhs op rhs` when both are constants of the result's static type.
template <typename FloatFn, typename IntFn>
static Attribute foldConstants(Operation *op, ArrayRef<Attribute> operands,
                               FloatFn floatFn, IntFn intFn) {
  auto resultType = llvm::dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!resultType || !resultType.hasStaticShape())
    return {};
  // Operands of the result's type, or splats (scalars) broadcast to it.
  SmallVector<Attribute, 2> matched;
  for (Attribute operand : operands) {
    auto elements = llvm::dyn_cast_if_present<DenseElementsAttr>(operand);
    if (!elements)
      return {};
    if (elements.getType() != resultType) {
      if (!elements.isSplat())
        return {};
      elements = DenseElementsAttr::get(resultType,
                                        elements.getSplatValue<Attribute>());
    }
    matched.push_back(elements);
  }
  if (llvm::isa<FloatType>(resultType.getElementType()))
    return constFoldBinaryOp<FloatAttr, APFloat, void>(matched, floatFn);
  return constFoldBinaryOp<IntegerAttr, APInt, void>(matched, intFn);
}

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  if (getLhs().getType() == getType() && isSplatOf(adaptor.getRhs(), 0))
    return getLhs();
  return foldConstants(
      *this, adaptor.getOperands(),
      [](const APFloat &a, const APFloat &b) { return a + b; },
      [](const APInt &a, const APInt &b) { return a + b; });
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  if (getLhs().getType() == getType() && isSplatOf(adaptor.getRhs(), 0))
    return getLhs();
  return foldConstants(
      *this, adaptor.getOperands(),
      [](const APFloat &a, const APFloat &b) { return a - b; },
      [](const APInt &a, const APInt &b) { return a - b; });
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  if (getLhs().getType() == getType() && isSplatOf(adaptor.getRhs(), 1))
    return getLhs();
  return foldConstants(
      *this, adaptor.getOperands(),
      [](const APFloat &a, const APFloat &b) { return a * b; },
      [](const APInt &a, const APInt &b) { return a * b; });
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  if (getLhs().getType() == getType() && isSplatOf(adaptor.getRhs(), 1))
    return getLhs();
  // Integer division folds only without a zero divisor.
  if (!llvm::isa<FloatType>(getElementTypeOrSelf(getType()))) {
    auto divisor = llvm::dyn_cast_if_present<DenseIntElementsAttr>(
        adaptor.getRhs());
    if (!divisor || llvm::any_of(divisor.getValues<APInt>(),
                                 [](const APInt &v) { return v.isZero(); }))
      return {};
  }
  return foldConstants(
      *this, adaptor.getOperands(),
      [](const APFloat &a, const APFloat &b) { return a / b; },
      [](const APInt &a, const APInt &b) { return a.sdiv(b); });
}

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  if (auto inner = getInput().getDefiningOp<NegOp>())
    if (inner.getInput().getType() == getType())
      return inner.getInput();
  auto type = llvm::dyn_cast<RankedTensorType>(getType());
  auto input = llvm::dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput());
  if (!input || !type || input.getType() != type ||
      type.getNumElements() > kMaxFoldedElements)
    return {};
  if (llvm::isa<FloatType>(type.getElementType()))
    return constFoldUnaryOp<FloatAttr, APFloat, void>(
        adaptor.getOperands(), [](const APFloat &a) { return -a; });
  return constFoldUnaryOp<IntegerAttr, APInt, void>(
      adaptor.getOperands(), [](const APInt &a) { return -a; });
}

/// Folds a unary op on a small float constant with `fn` (and on an integer
/// one with `intFn`, when given).
template <typename Op>
static OpFoldResult foldUnary(Op op, Attribute operand,
                              function_ref<APFloat(const APFloat &)> fn,
                              function_ref<APInt(const APInt &)> intFn = nullptr) {
  auto type = llvm::dyn_cast<RankedTensorType>(op.getType());
  auto input = llvm::dyn_cast_if_present<DenseElementsAttr>(operand);
  if (!input || !type || input.getType() != type ||
      type.getNumElements() > kMaxFoldedElements)
    return {};
  if (llvm::isa<FloatType>(type.getElementType()))
    return constFoldUnaryOp<FloatAttr, APFloat, void>({operand}, fn);
  if (intFn)
    return constFoldUnaryOp<IntegerAttr, APInt, void>({operand}, intFn);
  return {};
}

OpFoldResult FloorOp::fold(FoldAdaptor adaptor) {
  return foldUnary(*this, adaptor.getInput(), [](const APFloat &a) {
    APFloat r = a;
    r.roundToIntegral(APFloat::rmTowardNegative);
    return r;
  });
}

OpFoldResult CeilOp::fold(FoldAdaptor adaptor) {
  return foldUnary(*this, adaptor.getInput(), [](const APFloat &a) {
    APFloat r = a;
    r.roundToIntegral(APFloat::rmTowardPositive);
    return r;
  });
}

OpFoldResult ReluOp::fold(FoldAdaptor adaptor) {
  return foldUnary(
      *this, adaptor.getInput(),
      [](const APFloat &a) { return a.isNegative() ? APFloat::getZero(a.getSemantics()) : a; },
      [](const APInt &a) { return a.isNegative() ? APInt(a.getBitWidth(), 0) : a; });
}

OpFoldResult CastOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  auto type = llvm::dyn_cast<RankedTensorType>(getType());
  // Small float constants (computed trip counts, sizes) convert as the
  // kernels would: toward zero to integers, non-zero to true.
  if (auto floats = llvm::dyn_cast_if_present<DenseFPElementsAttr>(adaptor.getInput());
      floats && type && type.hasStaticShape() &&
      type.getNumElements() <= kMaxFoldedElements &&
      !llvm::isa<FloatType>(type.getElementType())) {
    Type to = type.getElementType();
    SmallVector<Attribute> values;
    for (const APFloat &v : floats.getValues<APFloat>()) {
      double d = v.convertToDouble();
      if (to.isInteger(1)) {
        values.push_back(BoolAttr::get(getContext(), d != 0));
        continue;
      }
      unsigned bits = to.getIntOrFloatBitWidth();
      double limit = std::ldexp(1.0, int(bits) - 1);
      if (!(d > -limit - 1 && d < limit)) // NaN or out of range: leave it
        return {};
      values.push_back(IntegerAttr::get(to, APInt(bits, int64_t(d), /*isSigned=*/true)));
    }
    return DenseElementsAttr::get(type, values);
  }
  // Small integer constants (shape arithmetic) convert exactly.
  auto input = llvm::dyn_cast_if_present<DenseIntElementsAttr>(adaptor.getInput());
  if (!input || !type || !type.hasStaticShape() ||
      type.getNumElements() > kMaxFoldedElements ||
      input.getElementType().isInteger(1))
    return {};
  Type to = type.getElementType();
  SmallVector<Attribute> values;
  for (const APInt &v : input.getValues<APInt>()) {
    int64_t n = input.getElementType().isUnsignedInteger() ? int64_t(v.getZExtValue())
                                                          : v.getSExtValue();
    if (llvm::isa<FloatType>(to))
      values.push_back(FloatAttr::get(to, double(n)));
    else if (to.isInteger(1))
      values.push_back(BoolAttr::get(getContext(), n != 0));
    else
      values.push_back(IntegerAttr::get(to, APInt(to.getIntOrFloatBitWidth(), n, /*isSigned=*/true)));
  }
  return DenseElementsAttr::get(type, values);
}

//===----------------------------------------------------------------------===//
// Canonicalization
//===----------------------------------------------------------------------===//

namespace {
/// `x * sigmoid(x)` (either order) is `silu(x)`: one op for fusion to see.
struct MulSigmoidToSilu : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp op,
                                PatternRewriter &rewriter) const override {
    for (auto [x, other] : {std::pair(op.getLhs(), op.getRhs()),
                            std::pair(op.getRhs(), op.getLhs())}) {
      auto sigmoid = other.getDefiningOp<SigmoidOp>();
      if (!sigmoid || sigmoid.getInput() != x || x.getType() != op.getType())
        continue;
      rewriter.replaceOpWithNewOp<SiluOp>(op, x);
      return success();
    }
    return failure();
  }
};
} // namespace

void MulOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                        MLIRContext *context) {
  patterns.add<MulSigmoidToSilu>(context);
}
