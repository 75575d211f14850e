//===- Compiler.cpp - import, run phases, dump, write ---------------------===//
#include "kiln/Pipeline/Compiler.h"

#include "kiln/Import/Import.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

#include <chrono>

namespace kiln {

Phase lastImplementedPhase() {
  Phase last = Phase::Import;
  for (int i = 0; i < kNumPhases; ++i)
    if (isPhaseImplemented(phaseAt(i)))
      last = phaseAt(i);
  return last;
}

/// Writes `module` to `path` atomically: nothing is left on failure.
static mlir::LogicalResult writeModule(mlir::ModuleOp module,
                                       llvm::StringRef path) {
  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> file =
      mlir::openOutputFile(path, &error);
  if (!file)
    return mlir::emitError(module.getLoc()) << "cannot write '" << path
                                            << "': " << error;
  module->print(file->os());
  file->os() << "\n";
  file->os().flush();
  if (file->os().has_error())
    return mlir::emitError(module.getLoc())
           << "cannot write '" << path
           << "': " << file->os().error().message();
  file->keep();
  return mlir::success();
}

static mlir::LogicalResult dumpPhase(mlir::ModuleOp module, Phase phase,
                                     llvm::StringRef directory) {
  llvm::SmallString<128> path(directory);
  llvm::sys::path::append(path, phaseDumpName(phase));
  return writeModule(module, path);
}

/// Prints diagnostics located at a whole file (line 0) as "path: error: ...",
/// and drops MLIR's generic "failed to infer returned types" that follows a
/// kiln op's own, precise inference error at the same place. Everything else
/// goes on to the source-manager handler, which quotes the source line.
class DiagnosticFilter {
public:
  mlir::LogicalResult operator()(mlir::Diagnostic &diag) {
    mlir::Location loc = diag.getLocation();
    bool isError = diag.getSeverity() == mlir::DiagnosticSeverity::Error;
    if (isError && lastError == loc &&
        llvm::StringRef(diag.str()).ends_with("failed to infer returned types"))
      return mlir::success();
    if (isError)
      lastError = loc;
    // An importer's "node 'x' (Op, opset N)" location wraps the file.
    std::string prefix;
    if (auto name = llvm::dyn_cast<mlir::NameLoc>(loc)) {
      prefix = name.getName().str() + ": ";
      loc = name.getChildLoc();
    }
    auto fileLoc = llvm::dyn_cast<mlir::FileLineColLoc>(loc);
    if (!fileLoc || fileLoc.getLine() != 0)
      return mlir::failure();
    llvm::errs() << fileLoc.getFilename().getValue() << ": "
                 << (isError ? "error" : "note") << ": " << prefix
                 << diag.str() << "\n";
    return mlir::success();
  }

private:
  std::optional<mlir::Location> lastError;
};

mlir::LogicalResult
compile(mlir::MLIRContext &context, const CompileRequest &request,
        llvm::function_ref<mlir::LogicalResult(mlir::PassManager &)> configure) {
  llvm::SourceMgr sourceMgr;
  mlir::SourceMgrDiagnosticHandler sourceHandler(sourceMgr, &context);
  mlir::ScopedDiagnosticHandler filter(&context, DiagnosticFilter());
  mlir::Location fileLoc =
      mlir::FileLineColLoc::get(&context, request.inputPath, 0, 0);
  if (!isPhaseImplemented(request.compileTo))
    return mlir::emitError(fileLoc)
           << "phase '" << phaseInfo(request.compileTo).name
           << "' is not available in this build; the last phase it can run "
              "is '"
           << phaseInfo(lastImplementedPhase()).name << "'";
  if (!request.dumpDirectory.empty())
    if (std::error_code error =
            llvm::sys::fs::create_directories(request.dumpDirectory))
      return mlir::emitError(fileLoc)
             << "cannot create dump directory '" << request.dumpDirectory
             << "': " << error.message();

  int total = phaseIndex(request.compileTo) + 1;
  auto report = [&](Phase phase, double seconds) {
    if (request.progress)
      *request.progress << "[" << phaseIndex(phase) + 1 << "/" << total
                        << "] " << phaseInfo(phase).name << ": "
                        << phaseInfo(phase).description << " ("
                        << llvm::format("%.2f", seconds) << " s)\n";
  };

  using Clock = std::chrono::steady_clock;
  auto start = Clock::now();
  // Weights read out of the model go beside the output (or to a temporary
  // file when the IR goes to stdout); nothing is left behind on failure.
  ImportOptions importOptions;
  bool keepWeights = request.outputPath != "-";
  if (keepWeights) {
    importOptions.weightsPath = request.outputPath + ".weights";
  } else {
    llvm::SmallString<128> temporary;
    if (std::error_code error = llvm::sys::fs::createTemporaryFile(
            "kiln", "weights", temporary))
      return mlir::emitError(fileLoc)
             << "cannot create a temporary weights file: " << error.message();
    importOptions.weightsPath = std::string(temporary);
  }
  llvm::FileRemover weightsRemover(importOptions.weightsPath);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      importModel(request.inputPath, sourceMgr, context, importOptions);
  if (!module)
    return mlir::failure();
  report(Phase::Import,
         std::chrono::duration<double>(Clock::now() - start).count());
  if (!request.dumpDirectory.empty() &&
      failed(dumpPhase(*module, Phase::Import, request.dumpDirectory)))
    return mlir::failure();

  for (int i = phaseIndex(Phase::Import) + 1; i < total; ++i) {
    Phase phase = phaseAt(i);
    start = Clock::now();
    mlir::PassManager pm(&context);
    addPhasePasses(phase, pm, request.pipeline);
    if (failed(configure(pm)))
      return mlir::failure();
    if (failed(pm.run(*module)))
      return mlir::emitError(fileLoc)
             << "phase '" << phaseInfo(phase).name << "' failed";
    report(phase, std::chrono::duration<double>(Clock::now() - start).count());
    if (!request.dumpDirectory.empty() &&
        failed(dumpPhase(*module, phase, request.dumpDirectory)))
      return mlir::failure();
  }
  if (failed(writeModule(*module, request.outputPath)))
    return mlir::failure();
  if (keepWeights)
    weightsRemover.releaseFile();
  return mlir::success();
}

} // namespace kiln
