//===- RepackWeights.cpp - kiln-repack-weights: Q4_0 in 32-row groups -----===//
//
// Rewrites the Q4_0 weights that only matmuls read into `!kiln.q4_0x32`
// (kiln/Quant/Repack.h holds the layout) and writes every weight of the
// module to one new file. See the pass description in Passes.td.
//
//===----------------------------------------------------------------------===//
#include "WeightsFile.h"
#include "kiln/Dialect/Kiln/KilnOps.h"
#include "kiln/Passes/Passes.h"
#include "kiln/Quant/Repack.h"

#include <vector>

namespace mlir::kiln {
#define GEN_PASS_DEF_REPACKWEIGHTS
#include "kiln/Passes/Passes.h.inc"

namespace {

/// Whether `decl` is a 2-D q4_0 weight with whole groups of rows that only
/// matmuls read (as their weight operand).
bool repackable(WeightDeclOp decl, ArrayRef<WeightOp> weights) {
  RankedTensorType type = decl.getTensorType();
  auto quant = llvm::dyn_cast<QuantType>(type.getElementType());
  if (!quant || quant.getFormat() != QuantFormat::q4_0 || quant.getInterleave() != 1 ||
      type.getRank() != 2 || type.getDimSize(0) % ::kiln::quant::kQ4_0Interleave != 0 ||
      weights.empty())
    return false;
  for (WeightOp weight : weights)
    for (OpOperand &use : weight->getUses())
      if (!llvm::isa<QuantizedMatmulOp>(use.getOwner()) || use.getOperandNumber() != 1)
        return false;
  return true;
}

struct RepackWeightsPass : impl::RepackWeightsBase<RepackWeightsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto fail = [&](const Twine &message) {
      module.emitError() << "kiln-repack-weights: " << message;
      signalPassFailure();
    };
    llvm::StringMap<SmallVector<WeightOp>> weightsByName;
    module.walk([&](WeightOp w) { weightsByName[w.getName()].push_back(w); });
    auto chosen = [&](WeightDeclOp decl) {
      return repackable(decl, weightsByName.lookup(decl.getSymName()));
    };
    if (llvm::none_of(module.getOps<WeightDeclOp>(), chosen))
      return;
    if (weightsOut.empty())
      return fail("no weights file to write (weights-out=PATH)");

    std::string error;
    WeightsFileWriter out(weightsOut, error);
    if (!error.empty())
      return fail(error);
    MLIRContext *context = &getContext();
    std::vector<uint8_t> repacked;
    for (WeightDeclOp decl : module.getOps<WeightDeclOp>()) {
      std::optional<ArrayRef<uint8_t>> data = out.read(decl, error);
      if (!data)
        return fail(error);
      if (!chosen(decl)) {
        out.append(decl, *data);
        continue;
      }
      RankedTensorType type = decl.getTensorType();
      repacked.resize(data->size());
      ::kiln::quant::repackQ4_0x32(data->data(), type.getDimSize(0), type.getDimSize(1),
                                   repacked.data());
      out.append(decl, repacked);
      auto packed = RankedTensorType::get(
          type.getShape(), QuantType::get(context, QuantFormat::q4_0,
                                          unsigned(::kiln::quant::kQ4_0Interleave)));
      decl.setTypeAttr(TypeAttr::get(packed));
      for (WeightOp weight : weightsByName.lookup(decl.getSymName()))
        weight.getResult().setType(packed);
      ++numRepacked;
    }
    if (!out.finish(error))
      return fail(error);
  }
};

} // namespace
} // namespace mlir::kiln
