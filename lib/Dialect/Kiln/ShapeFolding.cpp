//===- ShapeFolding.cpp - folders and patterns of the data-movement ops ---===//
//
// Identities fold away (reshape/transpose/broadcast/slice/concat that change
// nothing), chains compose (reshape of reshape, transpose of transpose),
// squeeze/unsqueeze become reshapes, and small constants fold through
// reshape, slice, concat and shape_of so shape arithmetic becomes static.
//
//===----------------------------------------------------------------------===//
#include "kiln/Dialect/Kiln/KilnOps.h"

#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::kiln;



namespace {
/// reshape(reshape(x)) -> reshape(x).
struct ComposeReshapes : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<ReshapeOp>();
    if (!inner)
      return failure();
    rewriter.modifyOpInPlace(op, [&] { op.setOperand(inner.getInput()); });
    return success();
  }
};

} // namespace


void ReshapeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                            MLIRContext *context) {
  patterns.add<ComposeReshapes>(context);
}


OpFoldResult TransposeOp::fold(FoldAdaptor) {
  ArrayRef<int64_t> perm = getPerm();
  for (auto [i, p] : llvm::enumerate(perm))
    if (static_cast<int64_t>(i) != p)
      return {};
  return getInput().getType() == getType() ? getInput() : OpFoldResult();
}

namespace {
/// transpose(transpose(x, inner), outer) -> transpose(x, inner o outer).
struct ComposeTransposes : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<TransposeOp>();
    if (!inner)
      return failure();
    SmallVector<int64_t> perm;
    for (int64_t p : op.getPerm())
      perm.push_back(inner.getPerm()[p]);
    rewriter.modifyOpInPlace(op, [&] {
      op.setOperand(inner.getInput());
      op.setPerm(perm);
    });
    return success();
  }
};
} // namespace

void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                              MLIRContext *context) {
  patterns.add<ComposeTransposes>(context);
}


OpFoldResult BroadcastOp::fold(FoldAdaptor) {
  return getInput().getType() == getType() ? getInput() : OpFoldResult();
}


namespace {
/// squeeze/unsqueeze with a static result is a reshape to that result.
template <typename OpTy>
struct ToReshape : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    auto type = llvm::dyn_cast<RankedTensorType>(op.getType());
    if (!type || !type.hasStaticShape())
      return failure();
    rewriter.replaceOpWithNewOp<ReshapeOp>(
        op, op.getInput(), rewriter.getDenseI64ArrayAttr(type.getShape()));
    return success();
  }
};
} // namespace

void SqueezeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                            MLIRContext *context) {
  patterns.add<ToReshape<SqueezeOp>>(context);
}

void UnsqueezeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                              MLIRContext *context) {
  patterns.add<ToReshape<UnsqueezeOp>>(context);
}


OpFoldResult ShapeOfOp::fold(FoldAdaptor) {
  auto input = llvm::dyn_cast<RankedTensorType>(getInput().getType());
  auto result = llvm::dyn_cast<RankedTensorType>(getType());
  if (!input || !input.hasStaticShape() || !result || !result.hasStaticShape())
    return {};
  return DenseIntElementsAttr::get(result, input.getShape());
}


/// reshape/squeeze/unsqueeze of a constant is the constant reshaped, and
/// one that changes nothing is its input.
template <typename OpTy>
static OpFoldResult foldReshapeLike(OpTy op, Attribute input) {
  if (op.getInput().getType() == op.getType())
    return op.getInput();
  auto constant = llvm::dyn_cast_if_present<DenseElementsAttr>(input);
  auto type = llvm::dyn_cast<RankedTensorType>(op.getType());
  if (constant && type && type.hasStaticShape())
    return constant.reshape(type);
  return {};
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  return foldReshapeLike(*this, adaptor.getInput());
}

OpFoldResult SqueezeOp::fold(FoldAdaptor adaptor) {
  return foldReshapeLike(*this, adaptor.getInput());
}

OpFoldResult UnsqueezeOp::fold(FoldAdaptor adaptor) {
  return foldReshapeLike(*this, adaptor.getInput());
}

//===----------------------------------------------------------------------===//
// Constant folding of small tensors (shape arithmetic)
//===----------------------------------------------------------------------===//

/// The static result type of `op` when it is small enough to fold into.
static RankedTensorType smallStaticResult(Operation *op) {
  auto type = llvm::dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!type || !type.hasStaticShape() ||
      type.getNumElements() > kMaxFoldedElements)
    return {};
  return type;
}

/// Row-major strides of `shape`.
static SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

/// Builds a constant of `type` whose element i is `source[indexOf(i)]`.
static Attribute gatherElements(DenseElementsAttr source, RankedTensorType type,
                                llvm::function_ref<int64_t(int64_t)> indexOf) {
  SmallVector<Attribute> values;
  auto all = source.getValues<Attribute>();
  for (int64_t i = 0, e = type.getNumElements(); i < e; ++i)
    values.push_back(all[indexOf(i)]);
  return DenseElementsAttr::get(type, values);
}

OpFoldResult SliceOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType() &&
      llvm::all_of(getOffsets(), [](int64_t o) { return o == 0; }) &&
      llvm::all_of(getStrides(), [](int64_t s) { return s == 1; }))
    return getInput();
  auto source = llvm::dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput());
  RankedTensorType type = smallStaticResult(*this);
  if (!source || !type)
    return {};
  SmallVector<int64_t> inStrides = stridesOf(source.getType().getShape());
  SmallVector<int64_t> outStrides = stridesOf(type.getShape());
  return gatherElements(source, type, [&](int64_t i) {
    int64_t index = 0;
    for (size_t d = 0; d < outStrides.size(); ++d) {
      int64_t coord = (i / outStrides[d]) % type.getShape()[d];
      index += (getOffsets()[d] + coord * getStrides()[d]) * inStrides[d];
    }
    return index;
  });
}

OpFoldResult ConcatOp::fold(FoldAdaptor adaptor) {
  if (getInputs().size() == 1 && getInputs().front().getType() == getType())
    return getInputs().front();
  RankedTensorType type = smallStaticResult(*this);
  if (!type)
    return {};
  SmallVector<DenseElementsAttr> sources;
  for (Attribute operand : adaptor.getInputs()) {
    auto source = llvm::dyn_cast_if_present<DenseElementsAttr>(operand);
    if (!source)
      return {};
    sources.push_back(source);
  }
  // Concatenation along `axis` is interleaving blocks of axis*inner size.
  int64_t axis = *normalizeAxis(getAxis(), type.getRank());
  int64_t inner = 1;
  for (int64_t d = axis + 1; d < type.getRank(); ++d)
    inner *= type.getShape()[d];
  int64_t outer = type.getNumElements() / (type.getShape()[axis] * inner);
  SmallVector<Attribute> values;
  for (int64_t o = 0; o < outer; ++o)
    for (DenseElementsAttr source : sources) {
      int64_t block = source.getType().getShape()[axis] * inner;
      auto all = source.getValues<Attribute>();
      for (int64_t i = 0; i < block; ++i)
        values.push_back(all[o * block + i]);
    }
  return DenseElementsAttr::get(type, values);
}
