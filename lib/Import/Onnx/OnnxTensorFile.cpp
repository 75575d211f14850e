//===- OnnxTensorFile.cpp - ONNX value files as host data -----------------===//
//
// `kiln run`'s reader and writer of ONNX's serialized values: TensorProto
// (numbers and strings), SequenceProto and OptionalProto, as in ONNX's test
// data (`test_data_set_0/input_0.pb`).
//
//===----------------------------------------------------------------------===//
#include "kiln/Import/Onnx.h"

#include "OnnxTensor.h"

#include "onnx/onnx-data.pb.h"

#include <cstring>
#include <fstream>
#include <iterator>

namespace kiln {
namespace {
// kiln_dtype order (runtime/include/kiln_runtime.h).
const int kOrder[] = {onnx::TensorProto::FLOAT,  onnx::TensorProto::FLOAT16,
                      onnx::TensorProto::BFLOAT16, onnx::TensorProto::DOUBLE,
                      onnx::TensorProto::BOOL,   onnx::TensorProto::INT8,
                      onnx::TensorProto::INT16,  onnx::TensorProto::INT32,
                      onnx::TensorProto::INT64,  onnx::TensorProto::UINT8,
                      onnx::TensorProto::UINT16, onnx::TensorProto::UINT32,
                      onnx::TensorProto::UINT64, onnx::TensorProto::STRING};
constexpr int kString = 13;

bool fromTensorProto(const onnx::TensorProto &tensor, HostValue &value,
                     std::string &error) {
  value.kind = HostValue::Tensor;
  value.dtype = -1;
  for (int d = 0; d < int(std::size(kOrder)); ++d)
    if (kOrder[d] == tensor.data_type())
      value.dtype = d;
  if (value.dtype < 0) {
    error = "element type " + onnx_import::dataTypeName(tensor.data_type()) +
            " is not supported";
    return false;
  }
  value.shape.assign(tensor.dims().begin(), tensor.dims().end());
  if (value.dtype != kString)
    return onnx_import::tensorBytes(tensor, "", value.bytes, error);
  int64_t count = 1;
  for (int64_t d : value.shape) {
    if (d < 0 || (d && count > (int64_t(1) << 40) / d)) {
      error = "absurd shape";
      return false;
    }
    count *= d;
  }
  if (tensor.string_data_size() != count) {
    error = "holds " + std::to_string(tensor.string_data_size()) +
            " strings, its shape says " + std::to_string(count);
    return false;
  }
  value.strings.assign(tensor.string_data().begin(), tensor.string_data().end());
  return true;
}

void toTensorProto(const HostValue &value, onnx::TensorProto &tensor) {
  tensor.set_data_type(kOrder[value.dtype]);
  for (int64_t d : value.shape)
    tensor.add_dims(d);
  if (value.dtype == kString) {
    for (const std::string &s : value.strings)
      tensor.add_string_data(s);
  } else {
    tensor.set_raw_data(value.bytes.data(), value.bytes.size());
  }
}

// The element type code of SequenceProto/OptionalProto for a nesting level.
int elemTypeOf(llvm::StringRef nesting) {
  if (nesting.empty())
    return onnx::SequenceProto::TENSOR;
  return nesting[0] == 's' ? onnx::SequenceProto::SEQUENCE : onnx::SequenceProto::OPTIONAL;
}

bool fromSequence(const onnx::SequenceProto &sequence, llvm::StringRef rest,
                  HostValue &value, std::string &error);

bool fromOptional(const onnx::OptionalProto &optional, llvm::StringRef rest,
                  HostValue &value, std::string &error) {
  switch (optional.elem_type()) {
  case onnx::OptionalProto::UNDEFINED:
    value.kind = HostValue::None;
    return true;
  case onnx::OptionalProto::TENSOR:
    if (!rest.empty())
      break;
    return fromTensorProto(optional.tensor_value(), value, error);
  case onnx::OptionalProto::SEQUENCE:
    if (rest.empty() || rest[0] != 's')
      break;
    return fromSequence(optional.sequence_value(), rest.drop_front(), value, error);
  default:
    break;
  }
  error = "an optional of element type " + std::to_string(optional.elem_type()) +
          ", which does not match the model's";
  return false;
}

bool fromSequence(const onnx::SequenceProto &sequence, llvm::StringRef rest,
                  HostValue &value, std::string &error) {
  value.kind = HostValue::Sequence;
  int expected = elemTypeOf(rest);
  int size = sequence.tensor_values_size() + sequence.sequence_values_size() +
             sequence.optional_values_size();
  if (size > 0 && sequence.elem_type() != expected) {
    error = "a sequence of element type " + std::to_string(sequence.elem_type()) +
            ", which does not match the model's";
    return false;
  }
  value.items.resize(size);
  for (int i = 0; i < sequence.tensor_values_size(); ++i)
    if (!fromTensorProto(sequence.tensor_values(i), value.items[i], error))
      return false;
  for (int i = 0; i < sequence.sequence_values_size(); ++i)
    if (!fromSequence(sequence.sequence_values(i), rest.drop_front(), value.items[i], error))
      return false;
  for (int i = 0; i < sequence.optional_values_size(); ++i)
    if (!fromOptional(sequence.optional_values(i), rest.drop_front(), value.items[i], error))
      return false;
  return true;
}

void toSequence(const HostValue &value, llvm::StringRef rest,
                onnx::SequenceProto &sequence);

void toOptional(const HostValue &value, llvm::StringRef rest,
                onnx::OptionalProto &optional) {
  if (value.kind == HostValue::None) {
    optional.set_elem_type(onnx::OptionalProto::UNDEFINED);
  } else if (rest.empty()) {
    optional.set_elem_type(onnx::OptionalProto::TENSOR);
    toTensorProto(value, *optional.mutable_tensor_value());
  } else {
    optional.set_elem_type(onnx::OptionalProto::SEQUENCE);
    toSequence(value, rest.drop_front(), *optional.mutable_sequence_value());
  }
}

void toSequence(const HostValue &value, llvm::StringRef rest,
                onnx::SequenceProto &sequence) {
  sequence.set_elem_type(elemTypeOf(rest));
  for (const HostValue &item : value.items) {
    if (rest.empty())
      toTensorProto(item, *sequence.add_tensor_values());
    else if (rest[0] == 's')
      toSequence(item, rest.drop_front(), *sequence.add_sequence_values());
    else
      toOptional(item, rest.drop_front(), *sequence.add_optional_values());
  }
}
} // namespace

bool readOnnxTensorFile(const std::string &path, int &dtype,
                        std::vector<int64_t> &shape, std::vector<char> &bytes,
                        std::string &error, std::vector<std::string> *strings) {
  HostValue value;
  if (!readOnnxValueFile(path, "", value, error))
    return false;
  if (value.dtype == kString && !strings) {
    error = "element type STRING is not supported here";
    return false;
  }
  dtype = value.dtype;
  shape = std::move(value.shape);
  bytes = std::move(value.bytes);
  if (strings)
    *strings = std::move(value.strings);
  return true;
}

bool readOnnxValueFile(const std::string &path, llvm::StringRef nesting,
                       HostValue &value, std::string &error) {
  std::ifstream in(path, std::ios::binary);
  if (nesting.empty()) {
    onnx::TensorProto tensor;
    if (!in || !tensor.ParseFromIstream(&in)) {
      error = "not a readable ONNX TensorProto";
      return false;
    }
    return fromTensorProto(tensor, value, error);
  }
  if (nesting[0] == 's') {
    onnx::SequenceProto sequence;
    if (!in || !sequence.ParseFromIstream(&in)) {
      error = "not a readable ONNX SequenceProto";
      return false;
    }
    return fromSequence(sequence, nesting.drop_front(), value, error);
  }
  onnx::OptionalProto optional;
  if (!in || !optional.ParseFromIstream(&in)) {
    error = "not a readable ONNX OptionalProto";
    return false;
  }
  return fromOptional(optional, nesting.drop_front(), value, error);
}

bool writeOnnxValueFile(const std::string &path, llvm::StringRef nesting,
                        const HostValue &value, std::string &error) {
  std::string bytes;
  if (nesting.empty()) {
    onnx::TensorProto tensor;
    toTensorProto(value, tensor);
    bytes = tensor.SerializeAsString();
  } else if (nesting[0] == 's') {
    onnx::SequenceProto sequence;
    toSequence(value, nesting.drop_front(), sequence);
    bytes = sequence.SerializeAsString();
  } else {
    onnx::OptionalProto optional;
    toOptional(value, nesting.drop_front(), optional);
    bytes = optional.SerializeAsString();
  }
  std::ofstream out(path, std::ios::binary);
  if (!out || !out.write(bytes.data(), bytes.size())) {
    error = "cannot write it";
    return false;
  }
  return true;
}

} // namespace kiln
