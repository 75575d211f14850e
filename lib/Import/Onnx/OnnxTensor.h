//===- OnnxTensor.h - ONNX element types and tensor data ------------------===//
//
// Maps ONNX element types to MLIR types and reads a TensorProto's data
// (raw_data or the typed repeated fields, or external data) as
// little-endian bytes or as a DenseElementsAttr.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_LIB_IMPORT_ONNX_ONNXTENSOR_H
#define KILN_LIB_IMPORT_ONNX_ONNXTENSOR_H

#include "onnx/onnx_pb.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"

#include <optional>
#include <string>
#include <vector>

namespace kiln::onnx_import {

/// The MLIR element type of an ONNX data type; null if kiln has none.
mlir::Type elementType(mlir::MLIRContext *context, int32_t dataType);

/// "FLOAT", "UINT16", ...: the ONNX spelling, for messages.
std::string dataTypeName(int32_t dataType);

/// Bytes per element of a supported type (bool: 1).
int64_t elementBytes(int32_t dataType);

/// Where an initializer stored as ONNX external data lives.
struct ExternalData {
  std::string path; // resolved against the model's directory
  int64_t offset = 0;
  int64_t length = -1; // -1: to the end of the file
};

/// The external-data location of `tensor`, if it has one.
std::optional<ExternalData> externalData(const onnx::TensorProto &tensor,
                                         const std::string &modelDir);

/// The tensor's elements as little-endian bytes (bool: one byte each).
/// Fails (with `error` set) on a size mismatch or unreadable external data.
bool tensorBytes(const onnx::TensorProto &tensor, const std::string &modelDir,
                 std::vector<char> &bytes, std::string &error);

/// The tensor as an attribute of `type` (whose element type must match).
mlir::DenseElementsAttr toAttribute(mlir::RankedTensorType type,
                                    const std::vector<char> &bytes);

} // namespace kiln::onnx_import

#endif // KILN_LIB_IMPORT_ONNX_ONNXTENSOR_H
