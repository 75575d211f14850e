//===- Import.cpp - dispatch a model file to its importer -----------------===//
//
// `.mlir` text (kiln IR written by hand or by `--compile-to`; `-` reads it
// from standard input) is parsed and verified; `.onnx` goes to the ONNX
// importer, GGUF files (recognized by their magic bytes) to the GGUF one.
//
//===----------------------------------------------------------------------===//
#include "kiln/Import/Import.h"

#include "kiln/Import/Gguf.h"
#include "kiln/Import/Onnx.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

namespace kiln {

ModelFormat detectModelFormat(llvm::StringRef path, llvm::StringRef contents) {
  if (contents.starts_with("GGUF"))
    return ModelFormat::Gguf;
  llvm::StringRef ext = llvm::sys::path::extension(path);
  if (ext == ".gguf")
    return ModelFormat::Gguf;
  if (ext == ".onnx")
    return ModelFormat::Onnx;
  if (ext == ".mlir" || path == "-")
    return ModelFormat::Mlir;
  return ModelFormat::Unknown;
}

mlir::OwningOpRef<mlir::ModuleOp> importModel(llvm::StringRef path,
                                              llvm::SourceMgr &sourceMgr,
                                              mlir::MLIRContext &context,
                                              const ImportOptions &options) {
  mlir::Location fileLoc = mlir::FileLineColLoc::get(&context, path, 0, 0);
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFileOrSTDIN(path, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/true);
  if (std::error_code error = buffer.getError()) {
    mlir::emitError(fileLoc) << "cannot read '" << path
                             << "': " << error.message();
    return nullptr;
  }
  llvm::StringRef contents = (*buffer)->getBuffer();
  ModelFormat format = detectModelFormat(path, contents);
  switch (format) {
  case ModelFormat::Mlir: {
    sourceMgr.AddNewSourceBuffer(std::move(*buffer), llvm::SMLoc());
    return mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &context);
  }
  case ModelFormat::Onnx: {
    OnnxImportOptions onnxOptions;
    onnxOptions.weightsPath = options.weightsPath;
    onnxOptions.bindings = options.bindings;
    return importOnnx(path, context, onnxOptions);
  }
  case ModelFormat::Gguf:
    buffer->reset(); // the GGUF reader maps the file itself
    return importGguf(path, context);
  case ModelFormat::Unknown:
    break;
  }
  mlir::emitError(fileLoc) << "cannot tell the format of '" << path
                           << "': expected a .onnx, .gguf or .mlir file";
  return nullptr;
}

} // namespace kiln
