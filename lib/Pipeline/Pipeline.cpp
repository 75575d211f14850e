//===- Pipeline.cpp - which passes run in which phase ---------------------===//
//
// The table of phases to passes. Fusion has no passes yet (its dump equals
// the previous phase's).
// Object and library are not pass pipelines (lib/Codegen runs them).
//
//===----------------------------------------------------------------------===//
#include "kiln/Pipeline/Pipeline.h"

#include "kiln/Passes/Passes.h"
#include "kiln/Pipeline/Compiler.h"

#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

namespace kiln {

void addPhasePasses(Phase phase, mlir::OpPassManager &pm,
                    const PipelineOptions &options) {
  using mlir::func::FuncOp;
  namespace passes = mlir::kiln;
  switch (phase) {
  case Phase::Shapes: {
    passes::InferShapesOptions inferOptions;
    inferOptions.allowDynamic = options.allowDynamicShapes;
    pm.addNestedPass<FuncOp>(passes::createInferShapes(inferOptions));
    pm.addPass(mlir::createCanonicalizerPass());
    pm.addPass(mlir::createCSEPass());
    pm.addPass(mlir::createSymbolDCEPass());
    break;
  }
  case Phase::Kernels:
    if (options.repackWeights) {
      passes::RepackWeightsOptions repackOptions;
      repackOptions.weightsOut = options.weightsOutPath;
      pm.addPass(passes::createRepackWeights(repackOptions));
    }
    pm.addNestedPass<FuncOp>(passes::createFormKernels());
    pm.addNestedPass<FuncOp>(passes::createFuseElementwise());
    pm.addPass(mlir::createCanonicalizerPass());
    pm.addPass(passes::createOutlineKernels());
    break;
  case Phase::KVCache: {
    passes::KVCacheOptions kvOptions;
    kvOptions.ctx = options.contextLength;
    kvOptions.chunk = options.prefillChunk;
    kvOptions.allLogits = options.allLogits;
    kvOptions.cacheType = options.kvCacheType;
    pm.addPass(passes::createKVCache(kvOptions));
    pm.addPass(mlir::createCanonicalizerPass());
    pm.addPass(mlir::createCSEPass());
    break;
  }
  case Phase::Quantize: {
    // Always: without a scheme it only turns DequantizeLinear'd integer
    // weights into Q8_0 (and does nothing when there are none).
    passes::QuantizeOptions quantizeOptions;
    quantizeOptions.scheme = options.quantize.empty() ? "none" : options.quantize;
    quantizeOptions.skip = options.quantizeSkip;
    quantizeOptions.weightsOut = options.weightsOutPath;
    pm.addPass(passes::createQuantize(quantizeOptions));
    break;
  }
  case Phase::Import:
  case Phase::Fusion:
  case Phase::Object:
  case Phase::Library:
    break;
  }
}

void registerPhasePipelines() {
  for (int i = 0; i < kNumPhases; ++i) {
    Phase phase = phaseAt(i);
    if (phase == Phase::Import || producesLibrary(phase))
      continue;
    std::string arg = "kiln-phase-" + std::string(phaseInfo(phase).name);
    std::string description = "kiln's '" + std::string(phaseInfo(phase).name) +
                              "' phase: " +
                              std::string(phaseInfo(phase).description);
    mlir::PassPipelineRegistration<>(
        arg, description, [phase](mlir::OpPassManager &pm) {
          addPhasePasses(phase, pm, PipelineOptions());
        });
  }
}

void registerPipelinePasses() {
  mlir::kiln::registerKilnPasses();
  mlir::registerCanonicalizerPass();
  mlir::registerCSEPass();
  mlir::registerSymbolDCEPass();
}

} // namespace kiln
