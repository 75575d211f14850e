//===- Import.h - model file -> kiln dialect, by format -------------------===//
//
// The `import` phase: picks the importer by file content and extension and
// returns a verified module. Errors are reported as diagnostics naming the
// file; nothing is returned then.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_IMPORT_IMPORT_H
#define KILN_IMPORT_IMPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/SourceMgr.h"

#include <map>
#include <string>

namespace kiln {

enum class ModelFormat { Mlir, Onnx, Gguf, Unknown };

/// The format of `path`, judged by magic bytes first and extension second.
ModelFormat detectModelFormat(llvm::StringRef path, llvm::StringRef contents);

struct ImportOptions {
  /// Where weights read out of the model are written (see Onnx.h).
  std::string weightsPath;
  /// Inputs fixed to constant values (see OnnxImportOptions::bindings).
  std::map<std::string, std::string> bindings;
};

/// Reads `path` into `sourceMgr` and imports it. On failure a diagnostic has
/// been emitted and the result is null.
mlir::OwningOpRef<mlir::ModuleOp> importModel(llvm::StringRef path,
                                              llvm::SourceMgr &sourceMgr,
                                              mlir::MLIRContext &context,
                                              const ImportOptions &options);

} // namespace kiln

#endif // KILN_IMPORT_IMPORT_H
