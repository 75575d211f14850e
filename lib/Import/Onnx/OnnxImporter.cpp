//===- OnnxImporter.cpp - ONNX graph -> one kiln function -----------------===//
//
// Walks the checked, shape-inferred graph: graph inputs become function
// arguments (symbolic dims stay dynamic), initializers become constants
// (small ones) or weights (the rest, bytes written to the weights file or
// referenced in ONNX external data), nodes go through the op-builder table
// in order, graph outputs become the return values. Argument and result
// names are kept as `kiln.name` attributes for the library's C API.
//
//===----------------------------------------------------------------------===//
#include "kiln/Import/Onnx.h"

#include "OnnxImporter.h"
#include "OnnxLoader.h"
#include "OnnxTensor.h"

#include "kiln/Dialect/Kiln/KilnOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <fstream>

namespace kiln {
using namespace mlir;
using namespace onnx_import;

namespace {
/// Initializers with at most this many elements become kiln.constant (their
/// values are then known to the importer and to folding); larger ones are
/// weights.
constexpr int64_t kMaxInlineElements = mlir::kiln::kMaxFoldedElements;

/// Appends weight bytes to the weights file, 64-byte aligned.
class WeightWriter {
public:
  explicit WeightWriter(std::string path) : path(std::move(path)) {}

  /// The offset of `bytes` in the file, or failure with `error` set.
  FailureOr<int64_t> append(ArrayRef<char> bytes, std::string &error) {
    if (path.empty()) {
      error = "no weights file was given to hold it";
      return failure();
    }
    if (!stream) {
      std::error_code ec;
      stream = std::make_unique<llvm::raw_fd_ostream>(path, ec);
      if (ec) {
        error = "cannot write weights file '" + path + "': " + ec.message();
        stream.reset();
        return failure();
      }
    }
    while (offset % 64 != 0) {
      stream->write('\0');
      ++offset;
    }
    int64_t at = offset;
    stream->write(bytes.data(), bytes.size());
    offset += bytes.size();
    return at;
  }

  const std::string &getPath() const { return path; }

private:
  std::string path;
  std::unique_ptr<llvm::raw_fd_ostream> stream;
  int64_t offset = 0;
};

class GraphImporter {
public:
  GraphImporter(MLIRContext &context, StringRef path,
                const OnnxImportOptions &options)
      : context(context), path(path.str()),
        modelDir(llvm::sys::path::parent_path(path).str()),
        fileLoc(FileLineColLoc::get(&context, path, 0, 0)),
        weights(options.weightsPath), bindings(options.bindings) {}

  OwningOpRef<ModuleOp> run(const onnx::ModelProto &model);

private:
  LogicalResult fail(const Twine &message) {
    return emitError(fileLoc) << message;
  }
  FailureOr<int64_t> defaultOpset(const onnx::ModelProto &model);
  FailureOr<Type> valueType(const onnx::ValueInfoProto &info);
  FailureOr<Type> valueType(const onnx::TypeProto &type, const std::string &name,
                            bool nested);
  LogicalResult importInitializer(const onnx::TensorProto &tensor,
                                  OpBuilder &moduleBuilder,
                                  OpBuilder &bodyBuilder);
  LogicalResult importNode(const onnx::NodeProto &node, int index,
                           int64_t opset, OpBuilder &builder);

  MLIRContext &context;
  std::string path, modelDir;
  Location fileLoc;
  WeightWriter weights;
  std::map<std::string, std::string> bindings;
  GraphState state;
};

FailureOr<int64_t> GraphImporter::defaultOpset(const onnx::ModelProto &model) {
  for (const onnx::OperatorSetIdProto &import : model.opset_import())
    if (import.domain().empty() || import.domain() == "ai.onnx") {
      int64_t version = import.version();
      if (version > 18)
        return fail("the model uses ONNX opset " + Twine(version) +
                    "; kiln imports opsets 6 to 18");
      // Older models import when every op still means what it means at
      // opset 6, where kiln's builders start.
      if (version < 6)
        for (const onnx::NodeProto &node : model.graph().node())
          if ((node.domain().empty() || node.domain() == "ai.onnx") &&
              !sameSchema(node.op_type(), version, 6))
            return fail("the model uses ONNX opset " + Twine(version) +
                        ", where " + node.op_type() +
                        " differs from opset 6; kiln imports opsets 6 to 18");
      return version;
    }
  return fail("the model imports no version of the default ONNX domain");
}

FailureOr<Type> GraphImporter::valueType(const onnx::ValueInfoProto &info) {
  return valueType(info.type(), info.name(), /*nested=*/false);
}

FailureOr<Type> GraphImporter::valueType(const onnx::TypeProto &type,
                                         const std::string &name, bool nested) {
  // Sequences and optionals: kiln passes them through the graph.
  if (type.has_sequence_type() || type.has_optional_type()) {
    const onnx::TypeProto &inner = type.has_sequence_type()
                                       ? type.sequence_type().elem_type()
                                       : type.optional_type().elem_type();
    FailureOr<Type> element = valueType(inner, name, /*nested=*/true);
    if (failed(element))
      return failure();
    if (type.has_sequence_type())
      return Type(mlir::kiln::SequenceType::get(&context, *element));
    return Type(mlir::kiln::OptionalType::get(&context, *element));
  }
  if (!type.has_tensor_type())
    return fail("graph value '" + name +
                "' is not a tensor, sequence or optional (maps and sparse "
                "tensors are not supported)");
  const auto &tensor = type.tensor_type();
  Type element = tensor.elem_type() == onnx::TensorProto::STRING
                     ? Type(mlir::kiln::StringType::get(&context))
                     : elementType(&context, tensor.elem_type());
  if (!element)
    return fail("graph value '" + name + "' has element type " +
                dataTypeName(tensor.elem_type()) + ", which kiln does not support");
  if (!tensor.has_shape() && nested) // a sequence's items may have any rank
    return Type(UnrankedTensorType::get(element));
  if (!tensor.has_shape())
    return fail("graph value '" + name +
                "' has no rank; kiln needs ranked inputs and outputs");
  SmallVector<int64_t> shape;
  for (const auto &dim : tensor.shape().dim())
    shape.push_back(dim.has_dim_value() ? dim.dim_value()
                                        : ShapedType::kDynamic);
  return Type(RankedTensorType::get(shape, element));
}

LogicalResult GraphImporter::importInitializer(const onnx::TensorProto &tensor,
                                               OpBuilder &moduleBuilder,
                                               OpBuilder &bodyBuilder) {
  const std::string &name = tensor.name();
  Type element = elementType(&context, tensor.data_type());
  if (!element)
    return fail("initializer '" + name + "' has element type " +
                dataTypeName(tensor.data_type()) +
                ", which kiln does not support");
  SmallVector<int64_t> shape(tensor.dims().begin(), tensor.dims().end());
  auto type = RankedTensorType::get(shape, element);
  std::optional<int64_t> count = mlir::kiln::staticElementCount(shape);
  if (!count)
    return fail("initializer '" + name + "' has an invalid shape");

  std::optional<ExternalData> external = externalData(tensor, modelDir);
  if (*count <= kMaxInlineElements || !external) {
    std::vector<char> bytes;
    std::string error;
    if (!tensorBytes(tensor, modelDir, bytes, error))
      return fail("initializer '" + name + "' " + error);
    if (*count <= kMaxInlineElements) {
      DenseElementsAttr value = toAttribute(type, bytes);
      state.constants[name] = value;
      state.values[name] = bodyBuilder.create<mlir::kiln::ConstantOp>(fileLoc, value);
      return success();
    }
    FailureOr<int64_t> offset = weights.append(bytes, error);
    if (failed(offset))
      return fail("initializer '" + name + "': " + error);
    external = ExternalData{weights.getPath(), *offset, -1};
  }
  auto decl = moduleBuilder.create<mlir::kiln::WeightDeclOp>(
      fileLoc, name, type, moduleBuilder.getStringAttr(external->path),
      moduleBuilder.getI64IntegerAttr(external->offset));
  state.values[name] = bodyBuilder.create<mlir::kiln::WeightOp>(
      fileLoc, type, FlatSymbolRefAttr::get(decl.getSymNameAttr()));
  return success();
}

LogicalResult GraphImporter::importNode(const onnx::NodeProto &node, int index,
                                        int64_t opset, OpBuilder &builder) {
  std::string label =
      (node.name().empty() ? "#" + std::to_string(index)
                           : "'" + node.name() + "'");
  std::string where = "node " + label + " (" + node.op_type() + ", opset " +
                      std::to_string(opset) + ")";
  Location loc = NameLoc::get(StringAttr::get(&context, where), fileLoc);
  if (!node.domain().empty() && node.domain() != "ai.onnx")
    return emitError(loc) << "ops of domain '" << node.domain()
                          << "' are not supported";
  OpBuilderFn build = lookupOpBuilder(node.op_type());
  if (!build)
    return emitError(loc) << "kiln does not support the ONNX op "
                          << node.op_type() << " yet";
  for (const std::string &input : node.input())
    if (!input.empty() && !state.values.count(input))
      return emitError(loc) << "input '" << input
                            << "' is not produced by an earlier node";
  // Values no kernel computes on: strings only go through Cast, sequences
  // and optionals only through Identity.
  for (const std::string &input : node.input()) {
    if (input.empty())
      continue;
    Type type = state.values.lookup(input).getType();
    bool text = llvm::isa<mlir::kiln::StringType>(getElementTypeOrSelf(type));
    bool container = llvm::isa<mlir::kiln::SequenceType, mlir::kiln::OptionalType>(type);
    if (text && node.op_type() != "Cast" && node.op_type() != "CastLike" &&
        node.op_type() != "Identity")
      return emitError(loc) << "input '" << input
                            << "' is a STRING tensor; kiln does not support "
                               "strings in ops other than Cast, CastLike and Identity";
    if (container && node.op_type() != "Identity")
      return emitError(loc) << "input '" << input
                            << "' is a sequence or optional; kiln does not support "
                               "ops on them yet (they can pass through Identity)";
  }
  NodeContext nodeContext(builder, state, node, opset, loc);
  if (failed(build(nodeContext)))
    return failure();
  for (int i = 0; i < node.output_size(); ++i)
    if (!node.output(i).empty() && !state.values.count(node.output(i)))
      return emitError(loc) << "output #" << i << " ('" << node.output(i)
                            << "') is not supported by kiln's importer";
  return success();
}

OwningOpRef<ModuleOp> GraphImporter::run(const onnx::ModelProto &model) {
  FailureOr<int64_t> opset = defaultOpset(model);
  if (failed(opset))
    return nullptr;
  const onnx::GraphProto &graph = model.graph();
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  OpBuilder moduleBuilder(module->getBodyRegion());

  // Graph inputs that are not initializers are the function's arguments.
  llvm::StringSet<> initializers;
  for (const onnx::TensorProto &tensor : graph.initializer())
    initializers.insert(tensor.name());
  SmallVector<Type> argTypes;
  SmallVector<const onnx::ValueInfoProto *> args;
  std::vector<onnx::TensorProto> bound;
  for (const auto &[name, file] : bindings) {
    auto input = llvm::find_if(graph.input(), [&](const onnx::ValueInfoProto &input) {
      return input.name() == name;
    });
    if (input == graph.input().end()) {
      (void)fail("--bind names '" + name + "', which is not a graph input");
      return nullptr;
    }
    if (!input->type().has_tensor_type()) {
      (void)fail("--bind " + name + ": kiln does not support binding sequence "
                 "or optional inputs, only tensors");
      return nullptr;
    }
    std::ifstream in(file, std::ios::binary);
    bound.emplace_back();
    if (!in || !bound.back().ParseFromIstream(&in)) {
      (void)fail("--bind " + name + "=" + file +
                 ": not a readable ONNX TensorProto file");
      return nullptr;
    }
    bound.back().set_name(name);
  }
  for (const onnx::ValueInfoProto &input : graph.input()) {
    if (initializers.contains(input.name()) || bindings.count(input.name()))
      continue;
    FailureOr<Type> type = valueType(input);
    if (failed(type))
      return nullptr;
    argTypes.push_back(*type);
    args.push_back(&input);
  }
  auto func = moduleBuilder.create<func::FuncOp>(
      fileLoc, "main", FunctionType::get(&context, argTypes, {}));
  Block *body = func.addEntryBlock();
  OpBuilder builder = OpBuilder::atBlockBegin(body);
  for (auto [index, input] : llvm::enumerate(args)) {
    state.values[input->name()] = body->getArgument(index);
    func.setArgAttr(index, "kiln.name", builder.getStringAttr(input->name()));
  }
  for (const onnx::TensorProto &tensor : graph.initializer())
    if (failed(importInitializer(tensor, moduleBuilder, builder)))
      return nullptr;
  for (const onnx::TensorProto &tensor : bound)
    if (failed(importInitializer(tensor, moduleBuilder, builder)))
      return nullptr;
  for (auto [index, node] : llvm::enumerate(graph.node()))
    if (failed(importNode(node, index, *opset, builder)))
      return nullptr;

  SmallVector<Value> results;
  for (const onnx::ValueInfoProto &output : graph.output()) {
    Value value = state.values.lookup(output.name());
    if (!value) {
      (void)fail("graph output '" + output.name() + "' is never computed");
      return nullptr;
    }
    results.push_back(value);
  }
  builder.create<func::ReturnOp>(fileLoc, results);
  func.setType(FunctionType::get(&context, argTypes,
                                 ValueRange(results).getTypes()));
  for (auto [index, output] : llvm::enumerate(graph.output()))
    func.setResultAttr(index, "kiln.name",
                       builder.getStringAttr(output.name()));
  if (failed(verify(*module)))
    return nullptr;
  return module;
}
} // namespace

OwningOpRef<ModuleOp> importOnnx(StringRef path, MLIRContext &context,
                                 const OnnxImportOptions &options) {
  context.loadDialect<mlir::kiln::KilnDialect, func::FuncDialect>();
  LoadedModel loaded = loadOnnxModel(path.str(), /*check=*/true);
  if (!loaded.model) {
    emitError(FileLineColLoc::get(&context, path, 0, 0))
        << "cannot import '" << path << "': " << loaded.error;
    return nullptr;
  }
  return GraphImporter(context, path, options).run(*loaded.model);
}

} // namespace kiln
