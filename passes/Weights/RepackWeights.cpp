//===- RepackWeights.cpp - kiln-repack-weights: rows in groups of 32 ------===//
//
// Rewrites the Q4_0, Q8_0, Q4_K and Q6_K weights that only matmuls read
// into `!kiln.q4_0x32`, `!kiln.q8_0x32`, `!kiln.q4_kx32`, `!kiln.q6_kx32`
// (kiln/Quant/Repack.h holds the layouts) and writes every weight of the module to one new file. See the
// pass description in Passes.td.
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

/// Whether `decl` is a 2-D weight of a format with a repacked layout, with
/// whole groups of rows, that only matmuls read (as their weight operand).
bool repackable(WeightDeclOp decl, ArrayRef<WeightOp> weights) {
  RankedTensorType type = decl.getTensorType();
  auto quant = llvm::dyn_cast<QuantType>(type.getElementType());
  if (!quant || !::kiln::quant::hasRepackedLayout(toBlockFormat(quant.getFormat())) ||
      quant.getInterleave() != 1 || type.getRank() != 2 ||
      type.getDimSize(0) % ::kiln::quant::kRepackRows != 0 || weights.empty())
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
    // Weights whose bytes are not there (IR written by hand, a moved
    // model) keep their layout: repacking is an optimization, and the
    // library phase reports missing weights. (The writer maps each source
    // once, and removes its partial file when dropped unfinished.)
    for (WeightDeclOp decl : module.getOps<WeightDeclOp>())
      if (!out.read(decl, error)) {
        module.emitWarning() << "kiln-repack-weights: weights left in GGUF's layout: " << error;
        return;
      }
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
      QuantFormat format = llvm::cast<QuantType>(type.getElementType()).getFormat();
      repacked.resize(data->size());
      ::kiln::quant::repackRows(toBlockFormat(format), data->data(), type.getDimSize(0),
                                type.getDimSize(1), repacked.data());
      out.append(decl, repacked);
      auto packed = RankedTensorType::get(
          type.getShape(),
          QuantType::get(context, format, unsigned(::kiln::quant::kRepackRows)));
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
