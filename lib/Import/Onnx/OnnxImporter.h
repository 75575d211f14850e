//===- OnnxImporter.h - state of one ONNX import and the op-builder API ---===//
//
// NodeContext is what each op builder (Onnx*Ops.cpp) sees: the node's
// inputs as kiln values, its constant inputs as numbers, its attributes,
// an error reporter that names the node, op type and opset, and `create`,
// which builds a kiln op and checks it (type inference) without aborting.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_LIB_IMPORT_ONNX_ONNXIMPORTER_H
#define KILN_LIB_IMPORT_ONNX_ONNXIMPORTER_H

#include "kiln/Dialect/Kiln/KilnOps.h"

#include "onnx/onnx_pb.h"

#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "llvm/ADT/StringMap.h"

#include <optional>

namespace kiln::onnx_import {

/// Values and constants known so far in the graph being imported.
struct GraphState {
  llvm::StringMap<mlir::Value> values;
  /// Compile-time values of initializers and Constant outputs, by name.
  llvm::StringMap<mlir::DenseElementsAttr> constants;
};

class NodeContext {
public:
  NodeContext(mlir::OpBuilder &builder, GraphState &graph,
              const onnx::NodeProto &node, int64_t opset, mlir::Location loc)
      : builder(builder), graph(graph), node(node), opset(opset), loc(loc) {}

  mlir::OpBuilder &builder;
  GraphState &graph;
  const onnx::NodeProto &node;
  const int64_t opset;
  const mlir::Location loc;

  // ---- inputs (an empty name is an omitted optional input) ----
  int numInputs() const { return node.input_size(); }
  bool hasInput(int i) const {
    return i < node.input_size() && !node.input(i).empty();
  }
  mlir::Value input(int i) const;
  /// The compile-time value of input `i`, if it is a constant.
  std::optional<mlir::DenseElementsAttr> constantInput(int i) const;
  /// Input `i` as integers; fails with an error if it is not a constant.
  mlir::FailureOr<llvm::SmallVector<int64_t>> constantInts(int i,
                                                          llvm::StringRef what);
  /// Static shape of input `i`; fails with an error naming `why` otherwise.
  mlir::FailureOr<llvm::SmallVector<int64_t>> staticShape(int i,
                                                          llvm::StringRef why);
  /// Rank of input `i` (must be ranked).
  mlir::FailureOr<int64_t> rank(int i);

  // ---- attributes ----
  const onnx::AttributeProto *attr(llvm::StringRef name) const;
  int64_t attrInt(llvm::StringRef name, int64_t fallback) const;
  float attrFloat(llvm::StringRef name, float fallback) const;
  std::string attrString(llvm::StringRef name, llvm::StringRef fallback) const;
  std::optional<llvm::SmallVector<int64_t>> attrInts(llvm::StringRef name) const;

  // ---- results ----
  int numOutputs() const { return node.output_size(); }
  bool outputUsed(int i) const {
    return i < node.output_size() && !node.output(i).empty();
  }
  mlir::LogicalResult setOutput(int i, mlir::Value value);
  /// Records a compile-time value for output `i` and materializes it as a
  /// kiln.constant.
  mlir::LogicalResult setConstantOutput(int i, mlir::DenseElementsAttr value);

  /// Emits "node 'NAME' (OP, opset N): MESSAGE" and returns failure.
  mlir::LogicalResult error(const llvm::Twine &message) const;

  /// Builds `OpTy` with `args` (no result types: they are inferred). On an
  /// inference error the op is removed and failure returned; the error has
  /// been reported at this node.
  template <typename OpTy, typename... Args>
  mlir::FailureOr<mlir::Value> create(Args &&...args) {
    auto op = builder.create<OpTy>(loc, mlir::TypeRange{builder.getNoneType()},
                                   std::forward<Args>(args)...);
    if (mlir::failed(inferTypes(op.getOperation())))
      return mlir::failure();
    return foldIfConstant(op.getOperation());
  }

  /// A scalar constant of `elementType` (float or integer) holding `value`.
  mlir::Value scalar(mlir::Type elementType, double value);

private:
  mlir::LogicalResult inferTypes(mlir::Operation *op);
  /// Folds `op` when its operands are constants; returns its replacement.
  mlir::Value foldIfConstant(mlir::Operation *op);
};

/// An op builder: reads the node, creates kiln ops, sets the outputs.
using OpBuilderFn = mlir::LogicalResult (*)(NodeContext &);

/// The builder of `opType`, or null when kiln does not support it.
OpBuilderFn lookupOpBuilder(llvm::StringRef opType);

} // namespace kiln::onnx_import

#endif // KILN_LIB_IMPORT_ONNX_ONNXIMPORTER_H
