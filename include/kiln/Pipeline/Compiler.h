//===- Compiler.h - runs the phases of `kiln compile` ---------------------===//
//
// Imports a model, runs the phases up to the requested one, writes phase
// dumps and the final output. The command-line tool fills a CompileRequest;
// everything else (ordering, dumps, progress, output) happens here.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_PIPELINE_COMPILER_H
#define KILN_PIPELINE_COMPILER_H

#include "kiln/Pipeline/Phases.h"
#include "kiln/Pipeline/Pipeline.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <map>
#include <string>

namespace kiln {

struct CompileRequest {
  std::string inputPath;
  /// Where the IR of the last phase goes ("-" for stdout).
  std::string outputPath = "-";
  Phase compileTo = Phase::Library;
  /// When set, `NN.<phase>.mlir` is written there after each phase.
  std::string dumpDirectory;
  PipelineOptions pipeline;
  /// Progress lines ("[2/6] shapes ...") go here when set.
  llvm::raw_ostream *progress = nullptr;

  // For the object and library phases (the output is then a directory):
  std::string libraryName; // default: from the input file name
  std::string target = "host";
  std::string targetFeatures;
  std::string kernelDumpDir;
  unsigned threads = 0; // kernels' thread count; 0: the compiling machine's cores
  unsigned q8ActivationBits = 8; // --activation-bits (CodegenOptions)
  bool embedWeights = true;
  /// embedWeights was not asked for but is the default: weights too large
  /// to embed then go beside the library, with a warning, instead of
  /// failing.
  bool embedByDefault = false;
  std::string toolsDir; // where kiln-kernel-gen lives
  /// ONNX inputs fixed to constants (--bind NAME=FILE.pb).
  std::map<std::string, std::string> bindings;
};

/// Whether `phase` writes a library directory rather than IR.
inline bool producesLibrary(Phase phase) {
  return phaseIndex(phase) >= phaseIndex(Phase::Object);
}

/// Runs `request`. `configure` is applied to every pass manager (for the
/// `--mlir-print-ir-*` and timing options). Diagnostics go through the
/// context's handlers; returns failure after reporting.
mlir::LogicalResult
compile(mlir::MLIRContext &context, const CompileRequest &request,
        llvm::function_ref<mlir::LogicalResult(mlir::PassManager &)> configure);

} // namespace kiln

#endif // KILN_PIPELINE_COMPILER_H
