//===- OnnxOpTable.cpp - the one table from ONNX op type to builder -------===//
//
// Every ONNX op kiln imports is listed here, in alphabetical order; the
// builders live in Onnx*Ops.cpp by family. `kiln inspect` reports ops not in
// this table as unsupported.
//
//===----------------------------------------------------------------------===//
#include "OnnxOpBuilders.h"

#include "kiln/Import/Onnx.h"

#include <algorithm>
#include <iterator>
#include <string_view>

namespace kiln::onnx_import {
namespace {
struct Entry {
  std::string_view opType;
  OpBuilderFn build;
};

constexpr Entry kTable[] = {
    {"Abs", buildAbs},
    {"Add", buildAdd},
    {"BatchNormalization", buildBatchNormalization},
    {"Cast", buildCast},
    {"Clip", buildClip},
    {"Concat", buildConcat},
    {"Constant", buildConstant},
    {"ConstantOfShape", buildConstantOfShape},
    {"DequantizeLinear", buildDequantizeLinear},
    {"Div", buildDiv},
    {"Equal", buildEqual},
    {"Erf", buildErf},
    {"Exp", buildExp},
    {"Expand", buildExpand},
    {"Flatten", buildFlatten},
    {"Gather", buildGather},
    {"Gemm", buildGemm},
    {"GlobalAveragePool", buildGlobalAveragePool},
    {"Greater", buildGreater},
    {"GreaterOrEqual", buildGreaterOrEqual},
    {"Identity", buildIdentity},
    {"LayerNormalization", buildLayerNormalization},
    {"LeakyRelu", buildLeakyRelu},
    {"Less", buildLess},
    {"LessOrEqual", buildLessOrEqual},
    {"Log", buildLog},
    {"LogSoftmax", buildLogSoftmax},
    {"MatMul", buildMatMul},
    {"Max", buildMax},
    {"Mean", buildMean},
    {"Min", buildMin},
    {"Mul", buildMul},
    {"Neg", buildNeg},
    {"Pow", buildPow},
    {"Range", buildRange},
    {"Reciprocal", buildReciprocal},
    {"ReduceMax", buildReduceMax},
    {"ReduceMean", buildReduceMean},
    {"ReduceSum", buildReduceSum},
    {"Relu", buildRelu},
    {"Reshape", buildReshape},
    {"Shape", buildShape},
    {"Sigmoid", buildSigmoid},
    {"Slice", buildSlice},
    {"Softmax", buildSoftmax},
    {"Split", buildSplit},
    {"Sqrt", buildSqrt},
    {"Squeeze", buildSqueeze},
    {"Sub", buildSub},
    {"Sum", buildSum},
    {"Tanh", buildTanh},
    {"Transpose", buildTranspose},
    {"Trilu", buildTrilu},
    {"Unsqueeze", buildUnsqueeze},
    {"Where", buildWhere},
};

constexpr bool isSorted() {
  for (size_t i = 1; i < std::size(kTable); ++i)
    if (!(kTable[i - 1].opType < kTable[i].opType))
      return false;
  return true;
}
static_assert(isSorted(), "keep kTable sorted: lookup is a binary search");
} // namespace

OpBuilderFn lookupOpBuilder(llvm::StringRef opType) {
  const Entry *it = std::lower_bound(
      std::begin(kTable), std::end(kTable), opType,
      [](const Entry &entry, llvm::StringRef key) {
        return entry.opType < std::string_view(key);
      });
  if (it == std::end(kTable) || it->opType != std::string_view(opType))
    return nullptr;
  return it->build;
}

mlir::FailureOr<int64_t> normalizedAxis(NodeContext &node, int64_t axis,
                                        int64_t rank) {
  if (axis < -rank || axis >= rank)
    return node.error("axis " + llvm::Twine(axis) +
                      " is out of range for rank " + llvm::Twine(rank));
  return axis < 0 ? axis + rank : axis;
}

} // namespace kiln::onnx_import

bool kiln::isOnnxOpSupported(llvm::StringRef opType) {
  return onnx_import::lookupOpBuilder(opType) != nullptr;
}
