//===- OnnxTensorFile.cpp - a TensorProto file as host data ---------------===//
#include "kiln/Import/Onnx.h"

#include "OnnxTensor.h"

#include <fstream>
#include <iterator>

namespace kiln {

bool readOnnxTensorFile(const std::string &path, int &dtype,
                        std::vector<int64_t> &shape, std::vector<char> &bytes,
                        std::string &error) {
  std::ifstream in(path, std::ios::binary);
  onnx::TensorProto tensor;
  if (!in || !tensor.ParseFromIstream(&in)) {
    error = "not a readable ONNX TensorProto";
    return false;
  }
  // kiln_dtype order (runtime/include/kiln_runtime.h).
  static const int kOrder[] = {onnx::TensorProto::FLOAT,  onnx::TensorProto::FLOAT16,
                               onnx::TensorProto::BFLOAT16, onnx::TensorProto::DOUBLE,
                               onnx::TensorProto::BOOL,   onnx::TensorProto::INT8,
                               onnx::TensorProto::INT16,  onnx::TensorProto::INT32,
                               onnx::TensorProto::INT64,  onnx::TensorProto::UINT8,
                               onnx::TensorProto::UINT16, onnx::TensorProto::UINT32,
                               onnx::TensorProto::UINT64};
  dtype = -1;
  for (int d = 0; d < int(std::size(kOrder)); ++d)
    if (kOrder[d] == tensor.data_type())
      dtype = d;
  if (dtype < 0) {
    error = "element type " + onnx_import::dataTypeName(tensor.data_type()) +
            " is not supported";
    return false;
  }
  shape.assign(tensor.dims().begin(), tensor.dims().end());
  return onnx_import::tensorBytes(tensor, "", bytes, error);
}

} // namespace kiln
