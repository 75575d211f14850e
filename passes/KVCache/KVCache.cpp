//===- KVCache.cpp - kiln-kv-cache: prefill/decode over a KV cache ---------===//
//
// Clones @forward into @prefill (chunk tokens) and @decode (one token),
// threads per-layer key/value caches through them (kiln.kv_write, then
// attention bounded by positions), selects the `last` row before the
// row-wise tail of the graph, and re-infers every type for the now static
// sequence length. See the pass description in Passes.td.
//
//===----------------------------------------------------------------------===//
#include "kiln/Dialect/Kiln/KilnOps.h"
#include "kiln/Passes/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_KVCACHE
#include "kiln/Passes/Passes.h.inc"

namespace {

/// Re-infers the result types of every op of `func` in order, then the
/// function's result types. Fails (with the op's own error) when an op no
/// longer type-checks.
LogicalResult reinferTypes(func::FuncOp func) {
  WalkResult walk = func.walk([&](InferTypeOpInterface op) {
    return failed(updateResultTypes(op)) ? WalkResult::interrupt()
                                         : WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();
  auto ret = llvm::cast<func::ReturnOp>(func.getBody().front().getTerminator());
  func.setType(FunctionType::get(func.getContext(),
                                 func.getBody().getArgumentTypes(),
                                 ret.getOperandTypes()));
  return success();
}

/// Whether `op` computes each row of its 2-D result from the same row of
/// its first operand alone (so selecting a row commutes with it).
bool isRowWise(Operation *op) {
  auto rank2 = [](Value v) {
    auto type = llvm::dyn_cast<RankedTensorType>(v.getType());
    return type && type.getRank() == 2;
  };
  if (auto mm = llvm::dyn_cast<MatmulOp>(op))
    return mm.getTransposeRhs() && rank2(mm.getLhs()) && rank2(mm.getRhs()) &&
           mm.getRhs().getDefiningOp<WeightOp>();
  if (auto qmm = llvm::dyn_cast<QuantizedMatmulOp>(op))
    return rank2(qmm.getInput());
  if (auto norm = llvm::dyn_cast<RmsNormOp>(op))
    return rank2(norm.getInput());
  return false;
}

struct KVCachePass : impl::KVCacheBase<KVCachePass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto forward = module.lookupSymbol<func::FuncOp>("forward");
    if (!forward)
      return; // not an LLM graph: nothing to do
    auto llm = module->getAttrOfType<DictionaryAttr>("kiln.llm");
    if (!llm) {
      forward.emitError("@forward needs the module's kiln.llm attribute "
                        "(made by the GGUF importer)");
      return signalPassFailure();
    }
    int64_t modelCtx = 0;
    if (auto attr = llm.getAs<IntegerAttr>("context_length"))
      modelCtx = attr.getInt();
    int64_t context = ctx ? int64_t(ctx) : modelCtx;
    if (context <= 0 || (modelCtx > 0 && context > modelCtx)) {
      forward.emitError("context length ")
          << context << " is not in 1.." << modelCtx
          << " (the model's context_length)";
      return signalPassFailure();
    }
    if (chunk <= 0 || chunk > 4096) {
      forward.emitError("prefill chunk ") << chunk << " is not in 1..4096";
      return signalPassFailure();
    }
    if (cacheType != "f16" && cacheType != "f32") {
      forward.emitError("KV cache type '") << cacheType << "' is not f16 or f32";
      return signalPassFailure();
    }
    int64_t prefillChunk = std::min<int64_t>(chunk, context);
    int64_t capacity = context + prefillChunk - 1;
    for (auto [name, length] : {std::pair<StringRef, int64_t>("prefill", prefillChunk),
                                std::pair<StringRef, int64_t>("decode", 1)})
      if (failed(specialize(forward, name, length, capacity)))
        return signalPassFailure();
    forward.erase();
    Builder b(module.getContext());
    NamedAttrList attrs(llm);
    attrs.set("ctx", b.getI64IntegerAttr(context));
    attrs.set("chunk", b.getI64IntegerAttr(prefillChunk));
    attrs.set("capacity", b.getI64IntegerAttr(capacity));
    if (allLogits)
      attrs.set("all_logits", b.getUnitAttr());
    module->setAttr("kiln.llm", attrs.getDictionary(module.getContext()));
  }

  LogicalResult specialize(func::FuncOp forward, StringRef name, int64_t length,
                           int64_t capacity) {
    OpBuilder b(forward);
    auto func = llvm::cast<func::FuncOp>(b.clone(*forward));
    func.setSymName(name);
    Block &body = func.getBody().front();
    if (body.getNumArguments() != 2) {
      return forward.emitError("@forward must take (tokens, positions), got ")
             << body.getNumArguments() << " arguments";
    }
    Type i32 = b.getI32Type();
    auto seqType = RankedTensorType::get({length}, i32);
    Value tokens = body.getArgument(0), positions = body.getArgument(1);
    tokens.setType(seqType);
    positions.setType(seqType);
    Value last = body.addArgument(RankedTensorType::get({1}, i32), func.getLoc());

    // Caches for every causal attention, in program order.
    SmallVector<AttentionOp> attentions;
    func.walk([&](AttentionOp op) {
      if (op.getCausal() && !op.getPositions())
        attentions.push_back(op);
    });
    SmallVector<Value> stateResults;
    SmallVector<std::string> stateNames;
    for (auto [layer, attention] : llvm::enumerate(attentions)) {
      // Shapes are known once the sequence is fixed: re-infer up to here.
      if (failed(reinferTypes(func)))
        return failure();
      auto key = llvm::cast<RankedTensorType>(attention.getKey().getType());
      auto value = llvm::cast<RankedTensorType>(attention.getValue().getType());
      if (!key.hasStaticShape() || !value.hasStaticShape() || key.getDimSize(0) != 1)
        return attention.emitError("KV caching needs batch 1 and static "
                                   "heads; key is ")
               << key;
      OpBuilder ab(attention);
      Value caches[2];
      for (int kv = 0; kv < 2; ++kv) {
        RankedTensorType rows = kv ? value : key;
        Type element = cacheType == "f16" ? Type(ab.getF16Type())
                                          : rows.getElementType();
        auto cacheTensor = RankedTensorType::get(
            {1, capacity, rows.getDimSize(2), rows.getDimSize(3)}, element);
        Value cache = body.addArgument(cacheTensor, attention.getLoc());
        stateNames.push_back(std::string(kv ? "v_cache." : "k_cache.") +
                             std::to_string(layer));
        Value update = kv ? attention.getValue() : attention.getKey();
        if (element != rows.getElementType())
          update = ab.create<CastOp>(attention.getLoc(),
                                     RankedTensorType::get(rows.getShape(), element),
                                     update, TypeAttr::get(element));
        caches[kv] = ab.create<KVWriteOp>(attention.getLoc(), cacheTensor,
                                          cache, update, positions);
        stateResults.push_back(caches[kv]);
      }
      auto cached = ab.create<AttentionOp>(
          attention.getLoc(), attention.getType(), attention.getQuery(),
          caches[0], caches[1], positions, UnitAttr(), attention.getScaleAttr());
      attention.replaceAllUsesWith(cached.getResult());
      attention.erase();
    }

    // Logits of row `last` only: select it before the row-wise tail.
    auto ret = llvm::cast<func::ReturnOp>(body.getTerminator());
    if (ret.getNumOperands() != 1)
      return forward.emitError("@forward must return the logits only");
    if (!(allLogits && name == "prefill")) {
      Value row = ret.getOperand(0);
      Operation *first = nullptr;
      for (Operation *def = row.getDefiningOp();
           def && isRowWise(def) && def->getResult(0).hasOneUse();
           def = row.getDefiningOp()) {
        first = def;
        row = def->getOperand(0);
      }
      OpBuilder gb(ret);
      if (Operation *def = row.getDefiningOp())
        gb.setInsertionPointAfter(def);
      else
        gb.setInsertionPointToStart(&body);
      auto rowType = llvm::cast<RankedTensorType>(row.getType());
      auto gather = gb.create<GatherOp>(
          func.getLoc(), RankedTensorType::get({1, rowType.getDimSize(1)},
                                               rowType.getElementType()),
          row, last, gb.getI64IntegerAttr(0));
      if (first)
        first->setOperand(0, gather);
      else
        ret->setOperand(0, gather);
    }

    SmallVector<Value> results{ret.getOperand(0)};
    results.append(stateResults);
    ret->setOperands(results);
    if (failed(reinferTypes(func)))
      return failure();

    // Names for the C API; state arguments and the results updating them.
    auto named = [&](StringRef n, std::optional<NamedAttribute> extra = {}) {
      NamedAttrList list;
      list.set("kiln.name", b.getStringAttr(n));
      if (extra)
        list.set(extra->getName(), extra->getValue());
      return list.getDictionary(b.getContext());
    };
    const int64_t stateBase = 3;
    SmallVector<DictionaryAttr> argAttrs = {named("tokens"), named("positions"),
                                            named("last")};
    SmallVector<DictionaryAttr> resultAttrs = {named("logits")};
    for (auto [i, stateName] : llvm::enumerate(stateNames)) {
      argAttrs.push_back(named(stateName, b.getNamedAttr("kiln.state", b.getUnitAttr())));
      resultAttrs.push_back(named(
          stateName, b.getNamedAttr("kiln.state",
                                    b.getI64IntegerAttr(stateBase + int64_t(i)))));
    }
    func.setAllArgAttrs(argAttrs);
    func.setAllResultAttrs(resultAttrs);
    return success();
  }
};
} // namespace
} // namespace mlir::kiln
