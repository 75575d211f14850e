//===- OnnxTensor.cpp - ONNX element types and tensor data ----------------===//
#include "OnnxTensor.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cstring>

namespace kiln::onnx_import {
using onnx::TensorProto;

mlir::Type elementType(mlir::MLIRContext *context, int32_t dataType) {
  mlir::Builder b(context);
  switch (dataType) {
  case TensorProto::FLOAT: return b.getF32Type();
  case TensorProto::DOUBLE: return b.getF64Type();
  case TensorProto::FLOAT16: return b.getF16Type();
  case TensorProto::BFLOAT16: return b.getBF16Type();
  case TensorProto::INT8: return b.getIntegerType(8);
  case TensorProto::INT16: return b.getIntegerType(16);
  case TensorProto::INT32: return b.getIntegerType(32);
  case TensorProto::INT64: return b.getIntegerType(64);
  case TensorProto::UINT8: return b.getIntegerType(8, /*isSigned=*/false);
  case TensorProto::UINT16: return b.getIntegerType(16, /*isSigned=*/false);
  case TensorProto::UINT32: return b.getIntegerType(32, /*isSigned=*/false);
  case TensorProto::UINT64: return b.getIntegerType(64, /*isSigned=*/false);
  case TensorProto::BOOL: return b.getIntegerType(1);
  default: return {};
  }
}

std::string dataTypeName(int32_t dataType) {
  if (TensorProto::DataType_IsValid(dataType))
    return TensorProto::DataType_Name(
        static_cast<TensorProto::DataType>(dataType));
  return "type #" + std::to_string(dataType);
}

int64_t elementBytes(int32_t dataType) {
  switch (dataType) {
  case TensorProto::DOUBLE:
  case TensorProto::INT64:
  case TensorProto::UINT64: return 8;
  case TensorProto::FLOAT:
  case TensorProto::INT32:
  case TensorProto::UINT32: return 4;
  case TensorProto::FLOAT16:
  case TensorProto::BFLOAT16:
  case TensorProto::INT16:
  case TensorProto::UINT16: return 2;
  default: return 1;
  }
}

std::optional<ExternalData> externalData(const TensorProto &tensor,
                                         const std::string &modelDir) {
  if (tensor.data_location() != TensorProto::EXTERNAL)
    return std::nullopt;
  ExternalData data;
  for (const auto &entry : tensor.external_data()) {
    if (entry.key() == "location") {
      llvm::SmallString<256> path(modelDir);
      llvm::sys::path::append(path, entry.value());
      data.path = std::string(path);
    } else if (entry.key() == "offset") {
      data.offset = std::strtoll(entry.value().c_str(), nullptr, 10);
    } else if (entry.key() == "length") {
      data.length = std::strtoll(entry.value().c_str(), nullptr, 10);
    }
  }
  return data;
}

/// Appends `count` values of a typed field, narrowed to `bytes` each.
template <typename Field>
static void appendNarrowed(const Field &field, int64_t bytes,
                           std::vector<char> &out) {
  for (auto value : field) {
    char buffer[8];
    std::memcpy(buffer, &value, sizeof(value)); // little-endian host
    out.insert(out.end(), buffer, buffer + bytes);
  }
}

bool tensorBytes(const TensorProto &tensor, const std::string &modelDir,
                 std::vector<char> &bytes, std::string &error) {
  int64_t count = 1;
  for (int64_t dim : tensor.dims()) {
    if (dim < 0 || (dim != 0 && count > (int64_t(1) << 40) / dim)) {
      error = "has an invalid or absurd shape";
      return false;
    }
    count *= dim;
  }
  int32_t type = tensor.data_type();
  int64_t expected = count * elementBytes(type);
  bytes.clear();
  if (std::optional<ExternalData> external = externalData(tensor, modelDir)) {
    auto buffer = llvm::MemoryBuffer::getFileSlice(
        external->path, external->length < 0 ? expected : external->length,
        external->offset, /*IsVolatile=*/false);
    if (!buffer) {
      error = "external data '" + external->path +
              "' cannot be read: " + buffer.getError().message();
      return false;
    }
    bytes.assign((*buffer)->getBufferStart(), (*buffer)->getBufferEnd());
  } else if (tensor.has_raw_data()) {
    bytes.assign(tensor.raw_data().begin(), tensor.raw_data().end());
  } else {
    switch (type) {
    case TensorProto::FLOAT:
      appendNarrowed(tensor.float_data(), 4, bytes);
      break;
    case TensorProto::DOUBLE:
      appendNarrowed(tensor.double_data(), 8, bytes);
      break;
    case TensorProto::INT64:
      appendNarrowed(tensor.int64_data(), 8, bytes);
      break;
    case TensorProto::UINT32: // stored in uint64_data
    case TensorProto::UINT64:
      appendNarrowed(tensor.uint64_data(), elementBytes(type), bytes);
      break;
    default: // int32_data holds every type of 32 bits or fewer
      appendNarrowed(tensor.int32_data(), elementBytes(type), bytes);
      break;
    }
  }
  if (static_cast<int64_t>(bytes.size()) != expected) {
    error = "holds " + std::to_string(bytes.size()) + " bytes of data, but " +
            std::to_string(count) + " elements of " + dataTypeName(type) +
            " need " + std::to_string(expected);
    return false;
  }
  return true;
}

mlir::DenseElementsAttr toAttribute(mlir::RankedTensorType type,
                                    const std::vector<char> &bytes) {
  if (type.getElementType().isInteger(1)) {
    llvm::SmallVector<bool> values;
    for (char byte : bytes)
      values.push_back(byte != 0);
    return mlir::DenseElementsAttr::get(type, values);
  }
  return mlir::DenseElementsAttr::getFromRawBuffer(
      type, llvm::ArrayRef<char>(bytes.data(), bytes.size()));
}

} // namespace kiln::onnx_import
