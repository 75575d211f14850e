//===- FormKernels.cpp - kiln-form-kernels: one kernel region per op ------===//
//
// Wraps each tensor computation (KernelOpInterface) in a `kiln.kernel` of its
// family. Values from `kiln.constant` are cloned into the region rather than
// passed in, so code generation sees them as constants.
//
//===----------------------------------------------------------------------===//
#include "kiln/Dialect/Kiln/KilnOps.h"
#include "kiln/Passes/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_FORMKERNELS
#include "kiln/Passes/Passes.h.inc"

/// Wraps `op` (a KernelOpInterface op) in a new kernel region in place.
static void wrapInKernel(KernelOpInterface compute) {
  Operation *op = compute.getOperation();
  OpBuilder builder(op);
  llvm::SetVector<Value> inputs;
  for (Value operand : op->getOperands())
    if (!operand.getDefiningOp<ConstantOp>())
      inputs.insert(operand);

  auto kernel = builder.create<KernelOp>(
      op->getLoc(), op->getResultTypes(),
      KernelFamilyAttr::get(op->getContext(), compute.getKernelFamily()),
      inputs.getArrayRef());
  Block *body = builder.createBlock(&kernel.getBody());
  IRMapping mapping;
  for (Value input : inputs)
    mapping.map(input, body->addArgument(input.getType(), input.getLoc()));
  for (Value operand : op->getOperands())
    if (auto constant = operand.getDefiningOp<ConstantOp>())
      if (!mapping.contains(operand))
        mapping.map(operand, builder.clone(*constant)->getResult(0));
  Operation *inner = builder.clone(*op, mapping);
  builder.create<YieldOp>(op->getLoc(), inner->getResults());
  op->replaceAllUsesWith(kernel.getResults());
  op->erase();
}

namespace {
struct FormKernels : impl::FormKernelsBase<FormKernels> {
  void runOnOperation() override {
    SmallVector<KernelOpInterface> computations;
    for (Block &block : getOperation().getBody())
      for (Operation &op : block)
        if (auto compute = llvm::dyn_cast<KernelOpInterface>(op))
          computations.push_back(compute);
    for (KernelOpInterface compute : computations)
      wrapInKernel(compute);
  }
};
} // namespace
} // namespace mlir::kiln
