//===- Pipeline.h - the passes of each compilation phase ------------------===//
//
// One place that says which passes run in which phase. `kiln compile` runs
// the phases in order; kiln-opt exposes each as `--kiln-phase-<name>` so lit
// tests can check a phase in isolation.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_PIPELINE_PIPELINE_H
#define KILN_PIPELINE_PIPELINE_H

#include "kiln/Pipeline/Phases.h"

#include "mlir/Pass/PassManager.h"

namespace kiln {

struct PipelineOptions {
  /// Accept dimensions that stay dynamic after shape inference.
  bool allowDynamicShapes = true;
  /// LLM graphs: context length (0: the model's) and prefill chunk size.
  int64_t contextLength = 0;
  int64_t prefillChunk = 32;
  bool allLogits = false;
  /// LLM graphs: the KV cache element type, "f16" (llama.cpp's default) or "f32".
  std::string kvCacheType = "f16";
  /// Weight quantization (kiln-quantize): the scheme ("" = none) and names
  /// to keep in float.
  std::string quantize;
  std::string quantizeSkip;
  /// Block-quantized matmul weights stored in 32-row groups (kiln-repack-weights, at
  /// the start of the kernels phase; x86-64 CPU targets).
  bool repackWeights = false;
  /// The file every weight is written to when a pass changes weights.
  std::string weightsOutPath;
};

/// Appends the passes of a pass-running phase (shapes .. kernels) to `pm`.
/// Import, object and library are not pass pipelines and add nothing.
void addPhasePasses(Phase phase, mlir::OpPassManager &pm,
                    const PipelineOptions &options);

/// Registers `--kiln-phase-<name>` pipelines (for kiln-opt).
void registerPhasePipelines();

/// Registers every pass the phases run (kiln's and the upstream ones), so
/// options like `--mlir-print-ir-after=<pass>` can name them.
void registerPipelinePasses();

} // namespace kiln

#endif // KILN_PIPELINE_PIPELINE_H
