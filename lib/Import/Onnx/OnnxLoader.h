//===- OnnxLoader.h - parse, check and shape-infer an ONNX file -----------===//
//
// The only code that calls libonnx functions that throw: compiled with
// exceptions and turning every exception into an error string, so the rest
// of kiln stays exception-free.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_LIB_IMPORT_ONNX_ONNXLOADER_H
#define KILN_LIB_IMPORT_ONNX_ONNXLOADER_H

#include "onnx/onnx_pb.h"

#include <memory>
#include <string>

namespace kiln::onnx_import {

struct LoadedModel {
  std::unique_ptr<onnx::ModelProto> model;
  /// Empty on success; otherwise why the file is not a usable ONNX model.
  std::string error;
};

/// Parses `path`; with `check`, also runs the checker and shape inference
/// (which fills the graph's value_info).
LoadedModel loadOnnxModel(const std::string &path, bool check);

/// Whether the default-domain op `opType` means the same at `opset` as at
/// `reference` (one schema version covers both).
bool sameSchema(const std::string &opType, int64_t opset, int64_t reference);

} // namespace kiln::onnx_import

#endif // KILN_LIB_IMPORT_ONNX_ONNXLOADER_H
