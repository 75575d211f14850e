//===- FuseElementwise.cpp - kiln-fuse-elementwise ------------------------===//
//
// Producer-consumer fusion of kernels: an `elementwise` kernel whose single
// result feeds exactly one other kernel is inlined into that kernel's region,
// so its intermediate tensor is never materialized. Repeats until no pair
// qualifies, so chains collapse into one kernel.
//
//===----------------------------------------------------------------------===//
#include "kiln/Dialect/Kiln/KilnOps.h"
#include "kiln/Passes/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::kiln {
#define GEN_PASS_DEF_FUSEELEMENTWISE
#include "kiln/Passes/Passes.h.inc"

/// The kernel `producer` may be fused into: its only user, if a kernel.
static KernelOp fusionConsumer(KernelOp producer) {
  if (producer.getFamily() != KernelFamily::elementwise ||
      producer.getNumResults() != 1)
    return {};
  Value result = producer.getResult(0);
  KernelOp consumer;
  for (Operation *user : result.getUsers()) {
    auto kernel = llvm::dyn_cast<KernelOp>(user);
    if (!kernel || (consumer && kernel != consumer))
      return {};
    consumer = kernel;
  }
  if (!consumer || consumer->getBlock() != producer->getBlock())
    return {};
  return consumer;
}

/// Replaces `consumer` by a kernel computing producer's body then its own.
static void fuse(KernelOp producer, KernelOp consumer) {
  Value produced = producer.getResult(0);
  llvm::SetVector<Value> inputs;
  inputs.insert(producer.getInputs().begin(), producer.getInputs().end());
  for (Value input : consumer.getInputs())
    if (input != produced)
      inputs.insert(input);

  OpBuilder builder(consumer);
  auto fused = builder.create<KernelOp>(consumer.getLoc(),
                                        consumer.getResultTypes(),
                                        consumer.getFamilyAttr(),
                                        inputs.getArrayRef());
  Block *body = builder.createBlock(&fused.getBody());
  DenseMap<Value, Value> argFor;
  for (Value input : inputs)
    argFor[input] = body->addArgument(input.getType(), input.getLoc());

  IRMapping producerMap;
  for (auto [input, arg] : llvm::zip(producer.getInputs(),
                                     producer.getBody().getArguments()))
    producerMap.map(arg, argFor[input]);
  for (Operation &op : producer.getBody().front().without_terminator())
    builder.clone(op, producerMap);
  auto producerYield =
      llvm::cast<YieldOp>(producer.getBody().front().getTerminator());

  IRMapping consumerMap;
  for (auto [input, arg] : llvm::zip(consumer.getInputs(),
                                     consumer.getBody().getArguments()))
    consumerMap.map(arg, input == produced
                             ? producerMap.lookup(producerYield.getValues()[0])
                             : argFor[input]);
  for (Operation &op : consumer.getBody().front())
    builder.clone(op, consumerMap);

  consumer.replaceAllUsesWith(fused.getResults());
  consumer.erase();
  producer.erase();
}

namespace {
struct FuseElementwise : impl::FuseElementwiseBase<FuseElementwise> {
  void runOnOperation() override {
    bool changed = true;
    while (changed) {
      changed = false;
      SmallVector<KernelOp> kernels;
      getOperation().walk([&](KernelOp kernel) { kernels.push_back(kernel); });
      for (KernelOp producer : kernels) {
        if (KernelOp consumer = fusionConsumer(producer)) {
          fuse(producer, consumer);
          changed = true;
          break; // the kernel list is stale now
        }
      }
    }
  }
};
} // namespace
} // namespace mlir::kiln
