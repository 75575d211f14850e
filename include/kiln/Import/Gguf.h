//===- Gguf.h - GGUF model -> kiln dialect ---------------------------------===//
//
// Builds the full-sequence graph of a llama-family GGUF model:
//
//   func.func @forward(%tokens: tensor<?xi32>, %positions: tensor<?xi32>)
//       -> tensor<?xVxf32>   // logits of every position
//
// with every tensor a `kiln.weight` that refers into the .gguf itself (kept
// in its stored type: f32, f16, bf16 or block-quantized). Model facts the
// runtime needs (context length, vocabulary, special tokens) go on the
// module as the `kiln.llm` attribute. `kiln-kv-cache` later turns
// @forward into the prefill and decode entry points.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_IMPORT_GGUF_H
#define KILN_IMPORT_GGUF_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <string>

namespace kiln {

/// Imports `path`; on failure emits one diagnostic naming the file and
/// returns null.
mlir::OwningOpRef<mlir::ModuleOp> importGguf(llvm::StringRef path,
                                             mlir::MLIRContext &context);

} // namespace kiln

#endif // KILN_IMPORT_GGUF_H
