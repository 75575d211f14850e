//===- OutlineKernels.cpp - kiln-outline-kernels --------------------------===//
//
// Turns each `kiln.kernel` region into a call of a private function marked
// `kiln.kernel = <family>`. Kernels that print identically once outlined
// (same ops, attributes, shapes and types) share one function, so each
// distinct kernel is generated once.
//
//===----------------------------------------------------------------------===//
#include "kiln/Dialect/Kiln/KilnOps.h"
#include "kiln/Passes/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_OUTLINEKERNELS
#include "kiln/Passes/Passes.h.inc"

namespace {
constexpr StringLiteral kKernelAttr = "kiln.kernel";

/// "kernel_3_exp_add": an index plus the first few op names of the body.
std::string kernelName(KernelOp kernel, unsigned index) {
  std::string name = "kernel_" + std::to_string(index);
  unsigned listed = 0;
  for (Operation &op : kernel.getBody().front().without_terminator()) {
    if (llvm::isa<ConstantOp>(op))
      continue;
    if (++listed > 3)
      break;
    name += "_" + op.getName().stripDialect().str();
  }
  return name;
}

/// The outlined function's text with a fixed name: the deduplication key.
std::string bodyKey(func::FuncOp func) {
  std::string key;
  llvm::raw_string_ostream os(key);
  StringAttr name = func.getSymNameAttr();
  func.setSymNameAttr(StringAttr::get(func.getContext(), "k"));
  func->print(os, OpPrintingFlags().useLocalScope());
  func.setSymNameAttr(name);
  return key;
}

struct OutlineKernels : impl::OutlineKernelsBase<OutlineKernels> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    llvm::StringMap<func::FuncOp> byBody;
    unsigned index = 0;

    SmallVector<KernelOp> kernels;
    module.walk([&](KernelOp kernel) { kernels.push_back(kernel); });
    for (KernelOp kernel : kernels) {
      OpBuilder builder(module.getBody(), module.getBody()->end());
      auto type = builder.getFunctionType(kernel.getInputs().getTypes(),
                                          kernel.getResultTypes());
      auto func = builder.create<func::FuncOp>(kernel.getLoc(),
                                               kernelName(kernel, index), type);
      func.setPrivate();
      func->setAttr(kKernelAttr, kernel.getFamilyAttr());
      IRMapping mapping;
      kernel.getBody().cloneInto(&func.getBody(), mapping);
      Block &entry = func.getBody().front();
      auto yield = llvm::cast<YieldOp>(entry.getTerminator());
      OpBuilder(yield).create<func::ReturnOp>(yield.getLoc(),
                                              yield.getValues());
      yield.erase();

      func::FuncOp callee;
      auto [it, inserted] = byBody.try_emplace(bodyKey(func), func);
      if (inserted) {
        symbols.insert(func);
        callee = func;
        ++index;
      } else {
        func.erase();
        callee = it->second;
      }
      OpBuilder callBuilder(kernel);
      auto call = callBuilder.create<func::CallOp>(kernel.getLoc(), callee,
                                                   kernel.getInputs());
      kernel.replaceAllUsesWith(call.getResults());
      kernel.erase();
    }
  }
};
} // namespace
} // namespace mlir::kiln
