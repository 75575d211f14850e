//===- Onnx.h - ONNX model -> kiln dialect --------------------------------===//
//
// The ONNX importer: loads a model with libonnx's protobuf classes, runs
// `onnx::checker` and `onnx::shape_inference`, and builds one `func.func`
// of kiln ops. Initializers become `kiln.weight_decl`s whose bytes are in
// a weights file (small ones, used as shapes or scalars, become constants).
// `kiln inspect` uses the summary half.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_IMPORT_ONNX_H
#define KILN_IMPORT_ONNX_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/raw_ostream.h"

#include <map>
#include <string>
#include <vector>

namespace kiln {

struct OnnxImportOptions {
  /// Where initializer bytes are written (weight_decl `source`). Initializers
  /// stored as ONNX external data are referenced in place instead.
  std::string weightsPath;
  /// Graph inputs fixed to constants: input name -> TensorProto (.pb) file.
  /// Lets shape-like inputs (a Reshape's shape, a Slice's starts) be known
  /// at compile time.
  std::map<std::string, std::string> bindings;
};

/// Imports `path`. Errors are emitted as diagnostics (naming the node, op
/// type and opset) and null is returned.
mlir::OwningOpRef<mlir::ModuleOp> importOnnx(llvm::StringRef path,
                                             mlir::MLIRContext &context,
                                             const OnnxImportOptions &options);

/// Prints inputs, outputs, opsets, the op histogram and the ops kiln cannot
/// import yet. Returns false (after printing the reason to `errors`) when
/// the file cannot be read as an ONNX model.
bool inspectOnnx(llvm::StringRef path, llvm::raw_ostream &os,
                 llvm::raw_ostream &errors);

/// Whether the importer has a builder for `opType` (default domain).
bool isOnnxOpSupported(llvm::StringRef opType);

/// Reads a serialized ONNX TensorProto (`input_0.pb` of ONNX's test data) as
/// a kiln_dtype, a shape and little-endian bytes. False with `error` set if
/// the file is not one or its type has no kiln equivalent.
/// STRING tensors (kiln_dtype 13) fill `strings` instead of `bytes` (and
/// are an error when `strings` is null).
bool readOnnxTensorFile(const std::string &path, int &dtype,
                        std::vector<int64_t> &shape, std::vector<char> &bytes,
                        std::string &error,
                        std::vector<std::string> *strings = nullptr);

/// A graph value on the host: a tensor, a sequence of values, or an empty
/// optional (the kinds of kiln_value in runtime/include/kiln_runtime.h).
struct HostValue {
  enum Kind { Tensor = 0, Sequence = 1, None = 2 };
  int kind = Tensor;
  int dtype = -1; // kiln_dtype
  std::vector<int64_t> shape;
  std::vector<char> bytes;          // numeric tensors
  std::vector<std::string> strings; // STRING tensors
  std::vector<HostValue> items;     // sequences
};

/// Reads a value of the given nesting ("s" sequence, "o" optional, outermost
/// first, as in kiln_tensor_desc) from a serialized ONNX SequenceProto or
/// OptionalProto (a TensorProto when `nesting` is empty).
bool readOnnxValueFile(const std::string &path, llvm::StringRef nesting,
                       HostValue &value, std::string &error);
/// Writes `value` the same way.
bool writeOnnxValueFile(const std::string &path, llvm::StringRef nesting,
                        const HostValue &value, std::string &error);

} // namespace kiln

#endif // KILN_IMPORT_ONNX_H
