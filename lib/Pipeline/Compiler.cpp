//===- Compiler.cpp - import, run phases, dump, write ---------------------===//
#include "kiln/Pipeline/Compiler.h"

#include "kiln/Codegen/Codegen.h"
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
#include <cstdio>

namespace kiln {

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
    const char *severity =
        isError ? "error"
                : diag.getSeverity() == mlir::DiagnosticSeverity::Warning ? "warning"
                                                                          : "note";
    llvm::errs() << fileLoc.getFilename().getValue() << ": " << severity << ": " << prefix
                 << diag.str() << "\n";
    return mlir::success();
  }

private:
  std::optional<mlir::Location> lastError;
};

/// Removes what a failed library build may have left in `dir`.
static void removeLibraryOutputs(llvm::StringRef dir, llvm::StringRef name) {
  for (std::string file : {"lib" + name.str() + ".so", "lib" + name.str() + ".a",
                           name.str() + ".h", name.str() + ".weights"}) {
    llvm::SmallString<128> path(dir);
    llvm::sys::path::append(path, file);
    llvm::sys::fs::remove(path);
  }
  llvm::SmallString<128> build(dir);
  llvm::sys::path::append(build, ".kiln-build");
  llvm::sys::fs::remove_directories(build);
}

mlir::LogicalResult
compile(mlir::MLIRContext &context, const CompileRequest &request,
        llvm::function_ref<mlir::LogicalResult(mlir::PassManager &)> configure) {
  llvm::SourceMgr sourceMgr;
  mlir::SourceMgrDiagnosticHandler sourceHandler(sourceMgr, &context);
  mlir::ScopedDiagnosticHandler filter(&context, DiagnosticFilter());
  mlir::Location fileLoc =
      mlir::FileLineColLoc::get(&context, request.inputPath, 0, 0);
  bool library = producesLibrary(request.compileTo);
  std::string name = request.libraryName.empty()
                         ? libraryNameFor(request.inputPath)
                         : request.libraryName;
  if (library && request.outputPath == "-")
    return mlir::emitError(fileLoc)
           << "building a library needs an output directory: -o DIR";
  // A directory this run creates is removed again if the run fails, so a
  // failed compile leaves nothing behind.
  bool createdOutput = library && !llvm::sys::fs::exists(request.outputPath);
  if (library)
    if (std::error_code error =
            llvm::sys::fs::create_directories(request.outputPath))
      return mlir::emitError(fileLoc) << "cannot create output directory '"
                                      << request.outputPath
                                      << "': " << error.message();
  if (!request.dumpDirectory.empty())
    if (std::error_code error =
            llvm::sys::fs::create_directories(request.dumpDirectory))
      return mlir::emitError(fileLoc)
             << "cannot create dump directory '" << request.dumpDirectory
             << "': " << error.message();

  int total = phaseIndex(request.compileTo) + 1;
  auto report = [&](Phase phase, double seconds, llvm::StringRef detail = "") {
    if (request.progress)
      *request.progress << "[" << phaseIndex(phase) + 1 << "/" << total
                        << "] " << phaseInfo(phase).name << ": "
                        << phaseInfo(phase).description << " ("
                        << (detail.empty() ? "" : detail.str() + ", ")
                        << llvm::format("%.2f", seconds) << " s)\n";
  };

  // Weights read out of the model go beside the output (the library's
  // directory, or the IR file), or to a temporary file when IR goes to
  // stdout; nothing is left behind on failure.
  ImportOptions importOptions;
  importOptions.bindings = request.bindings;
  bool keepWeights = request.outputPath != "-";
  if (library) {
    llvm::SmallString<128> path(request.outputPath);
    llvm::sys::path::append(path, name + ".weights");
    importOptions.weightsPath = std::string(path);
    keepWeights = !request.embedWeights;
  } else if (keepWeights) {
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
  // Quantization rewrites every weight into the same file (the importer's
  // bytes are read first; the new file replaces it when complete).
  PipelineOptions pipeline = request.pipeline;
  pipeline.weightsOutPath = importOptions.weightsPath;
  auto fail = [&]() {
    if (library)
      removeLibraryOutputs(request.outputPath, name);
    if (createdOutput)
      llvm::sys::fs::remove(request.outputPath); // only if now empty
    return mlir::failure();
  };

  using Clock = std::chrono::steady_clock;
  auto start = Clock::now();
  mlir::OwningOpRef<mlir::ModuleOp> module =
      importModel(request.inputPath, sourceMgr, context, importOptions);
  if (!module)
    return fail();
  report(Phase::Import,
         std::chrono::duration<double>(Clock::now() - start).count());
  if (!request.dumpDirectory.empty() &&
      failed(dumpPhase(*module, Phase::Import, request.dumpDirectory)))
    return fail();

  int lastPassPhase = std::min(total, phaseIndex(Phase::Object));
  for (int i = phaseIndex(Phase::Import) + 1; i < lastPassPhase; ++i) {
    Phase phase = phaseAt(i);
    start = Clock::now();
    mlir::PassManager pm(&context);
    addPhasePasses(phase, pm, pipeline);
    if (failed(configure(pm)))
      return fail();
    if (failed(pm.run(*module))) {
      mlir::emitError(fileLoc)
          << "phase '" << phaseInfo(phase).name << "' failed";
      return fail();
    }
    report(phase, std::chrono::duration<double>(Clock::now() - start).count());
    if (!request.dumpDirectory.empty() &&
        failed(dumpPhase(*module, phase, request.dumpDirectory)))
      return fail();
  }
  if (!library) {
    if (failed(writeModule(*module, request.outputPath)))
      return fail();
    if (keepWeights)
      weightsRemover.releaseFile();
    return mlir::success();
  }

  CodegenOptions codegen;
  codegen.name = name;
  codegen.outputDir = request.outputPath;
  codegen.target = request.target;
  codegen.targetFeatures = request.targetFeatures;
  codegen.kernelDumpDir = request.kernelDumpDir;
  codegen.threads = request.threads;
  codegen.q8ActivationBits = request.q8ActivationBits;
  codegen.embedWeights = request.embedWeights;
  codegen.toolsDir = request.toolsDir;
  codegen.modelPath = request.inputPath;
  GraphInfo info;
  start = Clock::now();
  mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>> graph =
      emitObjects(*module, codegen, info);
  if (failed(graph))
    return fail();
  report(Phase::Object,
         std::chrono::duration<double>(Clock::now() - start).count(),
         std::to_string(info.kernels) + " distinct kernels for " +
             std::to_string(info.kernelCalls) + " calls");
  if (!request.dumpDirectory.empty() &&
      failed(dumpPhase(**graph, Phase::Object, request.dumpDirectory)))
    return fail();
  if (request.compileTo == Phase::Object)
    return mlir::success();
  if (codegen.embedWeights && info.weightsBytes > kMaxEmbeddedWeightBytes) {
    char gib[32];
    snprintf(gib, sizeof(gib), "%.2f", double(info.weightsBytes) / double(1ull << 30));
    if (!request.embedByDefault) {
      mlir::emitError(fileLoc)
          << "the weights take " << gib
          << " GiB, more than a library can embed (1.5 GiB: its code "
             "reaches its data with 32-bit offsets); compile with "
             "--weights=external";
      return fail();
    }
    mlir::emitWarning(fileLoc)
        << "the weights take " << gib
        << " GiB, more than a library can embed (1.5 GiB): writing them "
           "beside it as " << name << ".weights (--weights=external)";
    codegen.embedWeights = false;
    keepWeights = true;
  }
  start = Clock::now();
  if (failed(emitLibrary(context, codegen, info)))
    return fail();
  report(Phase::Library,
         std::chrono::duration<double>(Clock::now() - start).count());
  if (keepWeights)
    weightsRemover.releaseFile();
  return mlir::success();
}

} // namespace kiln
