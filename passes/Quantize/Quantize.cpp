//===- Quantize.cpp - kiln-quantize: weights to GGUF block formats --------===//
//
// Encodes the float weights of matmuls and embeddings with the block codec
// (kiln/Quant/BlockCodec.h) in the format the recipe (kiln/Quant/Recipe.h)
// chooses, rewrites their users to the quantized ops, and writes every
// weight of the module to one new weights file. See the pass description in
// Passes.td.
//
//===----------------------------------------------------------------------===//
#include "DequantizedWeights.h"
#include "../Weights/WeightsFile.h"
#include "kiln/Dialect/Kiln/KilnOps.h"
#include "kiln/Passes/Passes.h"
#include "kiln/Quant/BlockCodec.h"
#include "kiln/Quant/Recipe.h"

#include "mlir/IR/Builders.h"
#include "llvm/Support/Regex.h"

#include <thread>

namespace mlir::kiln {
#define GEN_PASS_DEF_QUANTIZE
#include "kiln/Passes/Passes.h.inc"

namespace {
namespace q = ::kiln::quant;

std::optional<q::FloatType> floatTypeOf(Type type) {
  if (type.isF32())
    return q::FloatType::F32;
  if (type.isF16())
    return q::FloatType::F16;
  if (type.isBF16())
    return q::FloatType::BF16;
  return std::nullopt;
}

/// How a weight's uses read it: rows of K (GGUF's [N, K]) or columns
/// ([K, N], transposed while encoding); none if some use cannot take a
/// quantized weight.
enum class Layout { RowsOfK, ColumnsOfK, Unusable };

Layout layoutOfUses(ArrayRef<WeightOp> weights) {
  std::optional<Layout> layout;
  auto agree = [&](Layout l) {
    if (!layout)
      layout = l;
    return *layout == l;
  };
  bool used = false;
  for (WeightOp weight : weights)
    for (OpOperand &use : weight->getUses()) {
      used = true;
      Operation *user = use.getOwner();
      bool ok = false;
      if (auto mm = llvm::dyn_cast<MatmulOp>(user)) {
        auto lhs = llvm::dyn_cast<RankedTensorType>(mm.getLhs().getType());
        ok = use.getOperandNumber() == 1 && lhs && lhs.getElementType().isF32() &&
             agree(mm.getTransposeRhs() ? Layout::RowsOfK : Layout::ColumnsOfK);
      } else if (auto qmm = llvm::dyn_cast<QuantizedMatmulOp>(user)) {
        ok = use.getOperandNumber() == 1 && agree(Layout::RowsOfK);
      } else if (llvm::isa<EmbeddingOp>(user)) {
        ok = use.getOperandNumber() == 0 && agree(Layout::RowsOfK);
      }
      if (!ok)
        return Layout::Unusable;
    }
  return used ? *layout : Layout::Unusable;
}

/// Users of a weight rewritten for its quantized type.
void rewriteUsers(ArrayRef<WeightOp> weights, RankedTensorType quantized) {
  for (WeightOp weight : weights) {
    weight.getResult().setType(quantized);
    for (Operation *user : llvm::make_early_inc_range(weight->getUsers()))
      if (auto mm = llvm::dyn_cast<MatmulOp>(user)) {
        OpBuilder b(mm);
        Value product = b.create<QuantizedMatmulOp>(mm.getLoc(), mm.getType(),
                                                    mm.getLhs(), weight);
        mm.replaceAllUsesWith(product);
        mm.erase();
      }
  }
}

struct QuantizePass : impl::QuantizeBase<QuantizePass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto fail = [&](const Twine &message) {
      module.emitError() << "kiln-quantize: " << message;
      signalPassFailure();
    };
    std::optional<q::Scheme> chosen = q::schemeFromName(scheme);
    if (!chosen && scheme != "none")
      return fail("unknown quantization scheme '" + scheme + "' (expected none or one of " +
                  std::string(q::schemeNames()) + ")");
    llvm::Regex skipRegex(skip);
    std::string regexError;
    if (!skip.empty() && !skipRegex.isValid(regexError))
      return fail("skip pattern '" + skip + "': " + regexError);

    llvm::StringMap<SmallVector<WeightOp>> weightsByName;
    module.walk([&](WeightOp w) { weightsByName[w.getName()].push_back(w); });
    // With no scheme only DequantizeLinear'd integer weights change; when
    // there are none, the weights stay where they are.
    if (!chosen && llvm::none_of(module.getOps<WeightDeclOp>(), [&](WeightDeclOp decl) {
          return matchDequantizedWeight(weightsByName.lookup(decl.getSymName())).has_value();
        }))
      return;
    if (weightsOut.empty())
      return fail("no weights file to write (weights-out=PATH)");
    q::ModelFacts facts;
    facts.tiedEmbeddings = !module.lookupSymbol("output.weight");
    for (auto decl : module.getOps<WeightDeclOp>()) {
      long long layer;
      if (std::sscanf(decl.getSymName().str().c_str(), "blk.%lld.", &layer) == 1)
        facts.layers = std::max<int64_t>(facts.layers, layer + 1);
    }

    std::string error;
    WeightsFileWriter out(weightsOut, error);
    if (!error.empty())
      return fail(error);
    unsigned threads = getContext().isMultithreadingEnabled()
                           ? std::max(1u, std::thread::hardware_concurrency())
                           : 1;
    MLIRContext *context = &getContext();
    for (WeightDeclOp decl : module.getOps<WeightDeclOp>()) {
      RankedTensorType type = decl.getTensorType();
      std::optional<ArrayRef<uint8_t>> read = out.read(decl, error);
      if (!read)
        return fail(error);
      const uint8_t *source = read->data();
      uint64_t bytes = read->size();

      // Pick a format, if this weight is to be quantized.
      SmallVector<WeightOp> weights = weightsByName.lookup(decl.getSymName());
      std::optional<q::BlockFormat> format;
      Layout layout = Layout::Unusable;
      int64_t rows = 0, rowLength = 0;
      std::optional<q::FloatType> floatType = floatTypeOf(type.getElementType());
      std::optional<DequantizedWeight> dequantized;
      if (type.getElementType().isInteger(8))
        dequantized = matchDequantizedWeight(weights);
      if (chosen && floatType && type.getRank() == 2 &&
          !(!skip.empty() && skipRegex.match(decl.getSymName())))
        layout = layoutOfUses(weights);
      if (layout != Layout::Unusable) {
        bool columns = layout == Layout::ColumnsOfK;
        rows = type.getDimSize(columns ? 1 : 0);
        rowLength = type.getDimSize(columns ? 0 : 1);
        q::Choice choice = q::chooseFormat(*chosen, decl.getSymName().str(), rowLength, facts);
        if (!choice.note.empty())
          decl.emitWarning() << "weight '" << decl.getSymName() << "': " << choice.note;
        format = choice.format;
      }

      std::vector<uint8_t> encoded;
      ArrayRef<uint8_t> data(source, bytes);
      if (dequantized) {
        encoded = encodeDequantizedWeight(*dequantized, source);
        data = encoded;
        auto quantized = RankedTensorType::get(
            {dequantized->rows, dequantized->rowLength},
            QuantType::get(context, fromBlockFormat(q::BlockFormat::Q8_0)));
        decl.setTypeAttr(TypeAttr::get(quantized));
        rewriteDequantizedWeight(*dequantized, weights, quantized);
        ++numDequantized;
      } else if (format) {
        encoded.resize(*q::storageBytes(*format, rows * rowLength));
        std::string error;
        if (!q::encodeMatrix(*format, *floatType, source, rows, rowLength,
                             layout == Layout::ColumnsOfK, encoded.data(), threads, error))
          return fail("weight '" + decl.getSymName() + "': " + error);
        data = encoded;
        auto quantized = RankedTensorType::get(
            {rows, rowLength}, QuantType::get(context, fromBlockFormat(*format)));
        decl.setTypeAttr(TypeAttr::get(quantized));
        rewriteUsers(weights, quantized);
        ++numQuantized;
        bytesSaved += bytes - encoded.size();
      }
      out.append(decl, data);
    }
    if (!out.finish(error))
      return fail(error);
  }
};

} // namespace
} // namespace mlir::kiln
