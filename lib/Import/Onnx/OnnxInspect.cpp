//===- OnnxInspect.cpp - `kiln inspect model.onnx` ------------------------===//
//
// A summary a user reads before compiling: producer, opsets, inputs and
// outputs with shapes, initializer count and bytes, the op histogram, and
// which ops kiln cannot import yet. Reads the model without the checker so
// it also describes models kiln would reject.
//
//===----------------------------------------------------------------------===//
#include "kiln/Import/Onnx.h"

#include "OnnxLoader.h"
#include "OnnxTensor.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Format.h"

#include <map>

namespace kiln {
using namespace onnx_import;

/// "FLOAT[1, seq]", "optional<sequence<FLOAT[5]>>", "map" (unsupported).
static std::string describe(const onnx::TypeProto &type) {
  if (type.has_sequence_type())
    return "sequence<" + describe(type.sequence_type().elem_type()) + ">";
  if (type.has_optional_type())
    return "optional<" + describe(type.optional_type().elem_type()) + ">";
  if (!type.has_tensor_type())
    return type.has_map_type() ? "map (not supported)" : "(not a tensor)";
  const auto &tensor = type.tensor_type();
  std::string text = dataTypeName(tensor.elem_type()) + "[";
  if (!tensor.has_shape())
    return text + "unknown rank]";
  for (int i = 0; i < tensor.shape().dim_size(); ++i) {
    const auto &dim = tensor.shape().dim(i);
    text += i ? ", " : "";
    text += dim.has_dim_value() ? std::to_string(dim.dim_value())
            : dim.has_dim_param() ? dim.dim_param()
                                  : "?";
  }
  return text + "]";
}

static std::string describe(const onnx::ValueInfoProto &info) {
  return describe(info.type());
}

bool inspectOnnx(llvm::StringRef path, llvm::raw_ostream &os,
                 llvm::raw_ostream &errors) {
  LoadedModel loaded = loadOnnxModel(path.str(), /*check=*/false);
  if (!loaded.model) {
    errors << path << ": error: cannot read it as ONNX: " << loaded.error
           << "\n";
    return false;
  }
  const onnx::ModelProto &model = *loaded.model;
  const onnx::GraphProto &graph = model.graph();
  os << "model: " << path << "\n";
  os << "  ir_version " << model.ir_version();
  if (!model.producer_name().empty())
    os << ", produced by " << model.producer_name() << " "
       << model.producer_version();
  os << "\n  opsets:";
  for (const auto &import : model.opset_import())
    os << " " << (import.domain().empty() ? "ai.onnx" : import.domain())
       << "=" << import.version();
  os << "\n";

  llvm::StringSet<> initializers;
  uint64_t weightBytes = 0;
  for (const onnx::TensorProto &tensor : graph.initializer()) {
    initializers.insert(tensor.name());
    uint64_t count = 1;
    for (int64_t dim : tensor.dims())
      count *= dim > 0 ? uint64_t(dim) : 0;
    weightBytes += count * elementBytes(tensor.data_type());
  }
  os << "inputs:\n";
  for (const onnx::ValueInfoProto &input : graph.input())
    if (!initializers.contains(input.name()))
      os << "  " << input.name() << ": " << describe(input) << "\n";
  os << "outputs:\n";
  for (const onnx::ValueInfoProto &output : graph.output())
    os << "  " << output.name() << ": " << describe(output) << "\n";
  os << "initializers: " << graph.initializer_size() << " ("
     << llvm::format("%.1f", weightBytes / 1048576.0) << " MiB)\n";

  std::map<std::string, int> histogram;
  for (const onnx::NodeProto &node : graph.node())
    ++histogram[(node.domain().empty() ? "" : node.domain() + ".") +
                node.op_type()];
  os << "ops (" << graph.node_size() << " nodes):\n";
  std::vector<std::string> unsupported;
  for (const auto &[op, count] : histogram) {
    bool supported =
        op.find('.') == std::string::npos && isOnnxOpSupported(op);
    os << "  " << llvm::left_justify(op, 28) << llvm::format_decimal(count, 6)
       << (supported ? "" : "   (not supported yet)") << "\n";
    if (!supported)
      unsupported.push_back(op);
  }
  if (unsupported.empty()) {
    os << "kiln supports every op in this model\n";
  } else {
    os << "not supported yet:";
    for (const std::string &op : unsupported)
      os << " " << op;
    os << "\n";
  }
  return true;
}

} // namespace kiln
