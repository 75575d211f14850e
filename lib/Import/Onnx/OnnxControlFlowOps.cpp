//===- OnnxControlFlowOps.cpp - ONNX Loop, unrolled at import --------------===//
//
// kiln's libraries have static control flow, so a Loop is imported by
// unrolling its body when the trip count is a compile-time constant (a
// constant input, or inputs fixed with --bind and folded at import): each
// iteration imports the body's nodes with the iteration number, condition
// and loop-carried values bound to its inputs; scan outputs are stacked
// along a new first axis. A condition that is not constant, or more than
// kMaxIterations iterations, is an error naming the node.
//
//===----------------------------------------------------------------------===//
#include "OnnxOpBuilders.h"

#include "kiln/Dialect/Kiln/KilnOps.h"

#include "mlir/IR/Matchers.h"

namespace kiln::onnx_import {
using namespace mlir;

namespace {
constexpr int64_t kMaxIterations = 4096;

/// The value of a constant boolean (or integer) scalar, if it is one.
std::optional<bool> constantBool(Value value) {
  DenseElementsAttr attr;
  if (!value || !matchPattern(value, m_Constant(&attr)) || attr.getNumElements() != 1)
    return std::nullopt;
  if (attr.getElementType().isInteger(1))
    return attr.getSplatValue<bool>();
  if (llvm::isa<IntegerType>(attr.getElementType()))
    return !attr.getSplatValue<APInt>().isZero();
  return std::nullopt;
}
} // namespace

LogicalResult buildLoop(NodeContext &node) {
  const onnx::AttributeProto *bodyAttr = node.attr("body");
  if (!bodyAttr || !bodyAttr->has_g())
    return node.error("has no body graph");
  const onnx::GraphProto &body = bodyAttr->g();
  int carried = node.numInputs() - 2;
  if (carried < 0 || body.input_size() != carried + 2 ||
      body.output_size() < carried + 1)
    return node.error("body inputs/outputs do not match the loop's");
  int scans = body.output_size() - 1 - carried;

  int64_t trips = kMaxIterations + 1;
  if (node.hasInput(0)) {
    FailureOr<SmallVector<int64_t>> m = node.constantInts(0, "trip count M");
    if (failed(m))
      return failure();
    if (m->size() != 1)
      return node.error("trip count M must be a scalar");
    trips = (*m)[0];
  }
  bool cond = true;
  if (node.hasInput(1)) {
    std::optional<bool> c = constantBool(node.input(1));
    if (!c)
      return node.error("needs a constant loop condition (bind the inputs it "
                        "depends on with --bind)");
    cond = *c;
  }
  if (trips > kMaxIterations)
    return node.error("unrolls at most " + llvm::Twine(kMaxIterations) +
                      " iterations, the trip count is " + llvm::Twine(trips));

  SmallVector<Value> state;
  for (int j = 0; j < carried; ++j)
    state.push_back(node.input(2 + j));
  SmallVector<SmallVector<Value>> stacked(scans);
  Type i64 = node.builder.getI64Type(), i1 = node.builder.getI1Type();
  for (int64_t iteration = 0; cond && iteration < trips; ++iteration) {
    node.graph.values[body.input(0).name()] = node.scalar(i64, double(iteration));
    node.graph.values[body.input(1).name()] = node.scalar(i1, 1);
    for (int j = 0; j < carried; ++j)
      node.graph.values[body.input(2 + j).name()] = state[j];
    for (const onnx::NodeProto &inner : body.node()) {
      OpBuilderFn build = lookupOpBuilder(inner.op_type());
      if (!build)
        return node.error("its body uses " + inner.op_type() +
                          ", which kiln does not support yet");
      for (const std::string &input : inner.input())
        if (!input.empty() && !node.graph.values.count(input))
          return node.error("its body reads '" + input +
                            "', which nothing produced before");
      NodeContext innerContext(node.builder, node.graph, inner, node.opset, node.loc);
      if (failed(build(innerContext)))
        return failure();
    }
    auto output = [&](int k) { return node.graph.values.lookup(body.output(k).name()); };
    std::optional<bool> next = constantBool(output(0));
    if (!next)
      return node.error("needs a constant loop condition in its body");
    cond = *next;
    for (int j = 0; j < carried; ++j)
      state[j] = output(1 + j);
    for (int k = 0; k < scans; ++k)
      stacked[k].push_back(output(1 + carried + k));
    if (llvm::any_of(state, [](Value v) { return !v; }))
      return node.error("its body does not produce every loop-carried value");
  }
  for (int j = 0; j < carried; ++j)
    if (failed(node.setOutput(j, state[j])))
      return failure();
  for (int k = 0; k < scans; ++k) {
    if (stacked[k].empty())
      return node.error("runs no iteration, so its scan outputs have no shape");
    SmallVector<Value> rows;
    for (Value v : stacked[k]) {
      FailureOr<Value> row = node.create<mlir::kiln::UnsqueezeOp>(
          v, node.builder.getDenseI64ArrayAttr({0}));
      if (failed(row))
        return failure();
      rows.push_back(*row);
    }
    Value all = rows.front();
    if (rows.size() > 1) {
      FailureOr<Value> joined = node.create<mlir::kiln::ConcatOp>(
          rows, node.builder.getI64IntegerAttr(0));
      if (failed(joined))
        return failure();
      all = *joined;
    }
    if (failed(node.setOutput(carried + k, all)))
      return failure();
  }
  return success();
}

} // namespace kiln::onnx_import
