//===- InferShapes.cpp - kiln-infer-shapes: refine result types -----------===//
//
// Alternates two steps until neither changes anything: refine every op's
// result types from its inferReturnTypes (InferTypeOpInterface), then run the
// kiln canonicalization patterns and folders (which turn computed shapes into
// constants and dynamic reshapes into static ones). Then the function's
// signature follows its return values, and any op whose result is still
// unranked (or dynamic, with allow-dynamic=false) is reported by name.
//
//===----------------------------------------------------------------------===//
#include "kiln/Dialect/Kiln/KilnOps.h"
#include "kiln/Passes/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Rewrite/FrozenRewritePatternSet.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_INFERSHAPES
#include "kiln/Passes/Passes.h.inc"

namespace {
/// Rounds of refine + canonicalize before giving up on a fixed point; each
/// round resolves at least one more level of computed shapes.
constexpr int kMaxRounds = 16;

struct InferShapes : impl::InferShapesBase<InferShapes> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *context) override {
    RewritePatternSet set(context);
    for (RegisteredOperationName name : context->getRegisteredOperations())
      if (name.getDialect().getNamespace() == KilnDialect::getDialectNamespace())
        name.getCanonicalizationPatterns(set, context);
    patterns = FrozenRewritePatternSet(std::move(set));
    return success();
  }

  /// One pass over the function; sets `changed` when a type was refined.
  LogicalResult refine(func::FuncOp func, bool &changed) {
    WalkResult result = func.walk([&](InferTypeOpInterface op) {
      SmallVector<Type> inferred;
      Operation *raw = op.getOperation();
      if (failed(inferResultTypes(op, inferred)))
        return WalkResult::interrupt();
      for (auto [value, type] : llvm::zip(raw->getResults(), inferred)) {
        Type refined = refineType(type, value.getType());
        if (refined != value.getType()) {
          value.setType(refined);
          changed = true;
        }
      }
      return WalkResult::advance();
    });
    return failure(result.wasInterrupted());
  }

  /// The function returns what its body computes.
  void updateSignature(func::FuncOp func) {
    Operation *terminator = func.getBody().back().getTerminator();
    func.setType(FunctionType::get(func.getContext(),
                                   func.getArgumentTypes(),
                                   terminator->getOperandTypes()));
  }

  bool isResolved(Type type) {
    auto ranked = llvm::dyn_cast<RankedTensorType>(type);
    if (!llvm::isa<TensorType>(type))
      return true;
    return ranked && (allowDynamic || ranked.hasStaticShape());
  }

  /// Reports the first op left with an unresolved result, and how many more.
  LogicalResult checkResolved(func::FuncOp func) {
    Operation *first = nullptr;
    int64_t more = 0;
    func.walk([&](Operation *op) {
      if (llvm::all_of(op->getResultTypes(),
                       [&](Type t) { return isResolved(t); }))
        return;
      if (first)
        ++more;
      else
        first = op;
    });
    if (!first)
      return success();
    InFlightDiagnostic diag = first->emitError()
                              << "kiln-infer-shapes: cannot infer a "
                              << (allowDynamic ? "ranked" : "static")
                              << " type for the result of '"
                              << first->getName() << "'";
    if (!llvm::isa<InferTypeOpInterface>(first))
      diag << " (the op does not implement type inference)";
    else
      diag << " from operand types " << first->getOperandTypes();
    if (more)
      diag << "; " << more << " more op" << (more == 1 ? " is" : "s are")
           << " unresolved as well";
    return diag;
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    GreedyRewriteConfig config;
    for (int round = 0; round < kMaxRounds; ++round) {
      bool refined = false, rewritten = false;
      if (failed(refine(func, refined)))
        return signalPassFailure();
      // Not converging within the driver's iteration limit is not an error:
      // the next round continues from where it stopped.
      (void)applyPatternsAndFoldGreedily(func, patterns, config, &rewritten);
      if (!refined && !rewritten)
        break;
    }
    updateSignature(func);
    if (failed(checkResolved(func)))
      signalPassFailure();
  }

  FrozenRewritePatternSet patterns;
};
} // namespace
} // namespace mlir::kiln
