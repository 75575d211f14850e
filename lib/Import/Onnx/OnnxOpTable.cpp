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
    {"Acos", buildAcos},
    {"Acosh", buildAcosh},
    {"Add", buildAdd},
    {"And", buildAnd},
    {"ArgMax", buildArgMax},
    {"ArgMin", buildArgMin},
    {"Asin", buildAsin},
    {"Asinh", buildAsinh},
    {"Atan", buildAtan},
    {"Atanh", buildAtanh},
    {"AveragePool", buildAveragePool},
    {"BatchNormalization", buildBatchNormalization},
    {"Cast", buildCast},
    {"CastLike", buildCastLike},
    {"Ceil", buildCeil},
    {"Celu", buildCelu},
    {"Clip", buildClip},
    {"Concat", buildConcat},
    {"Constant", buildConstant},
    {"ConstantOfShape", buildConstantOfShape},
    {"Conv", buildConv},
    {"Cos", buildCos},
    {"Cosh", buildCosh},
    {"DepthToSpace", buildDepthToSpace},
    {"DequantizeLinear", buildDequantizeLinear},
    {"Div", buildDiv},
    {"Dropout", buildDropout},
    {"Elu", buildElu},
    {"Equal", buildEqual},
    {"Erf", buildErf},
    {"Exp", buildExp},
    {"Expand", buildExpand},
    {"EyeLike", buildEyeLike},
    {"Flatten", buildFlatten},
    {"Floor", buildFloor},
    {"Gather", buildGather},
    {"GatherElements", buildGatherElements},
    {"Gemm", buildGemm},
    {"GlobalAveragePool", buildGlobalAveragePool},
    {"GlobalMaxPool", buildGlobalMaxPool},
    {"Greater", buildGreater},
    {"GreaterOrEqual", buildGreaterOrEqual},
    {"HardSigmoid", buildHardSigmoid},
    {"HardSwish", buildHardSwish},
    {"Hardmax", buildHardmax},
    {"Identity", buildIdentity},
    {"IsInf", buildIsInf},
    {"IsNaN", buildIsNaN},
    {"LayerNormalization", buildLayerNormalization},
    {"LeakyRelu", buildLeakyRelu},
    {"Less", buildLess},
    {"LessOrEqual", buildLessOrEqual},
    {"Log", buildLog},
    {"LogSoftmax", buildLogSoftmax},
    {"Loop", buildLoop},
    {"MatMul", buildMatMul},
    {"MatMulInteger", buildMatMulInteger},
    {"Max", buildMax},
    {"MaxPool", buildMaxPool},
    {"Mean", buildMean},
    {"Min", buildMin},
    {"Mish", buildMish},
    {"Mul", buildMul},
    {"Neg", buildNeg},
    {"NegativeLogLikelihoodLoss", buildNegativeLogLikelihoodLoss},
    {"Not", buildNot},
    {"Or", buildOr},
    {"PRelu", buildPRelu},
    {"Pow", buildPowAnyType},
    {"QuantizeLinear", buildQuantizeLinear},
    {"Range", buildRange},
    {"Reciprocal", buildReciprocal},
    {"ReduceL1", buildReduceL1},
    {"ReduceL2", buildReduceL2},
    {"ReduceLogSum", buildReduceLogSum},
    {"ReduceLogSumExp", buildReduceLogSumExp},
    {"ReduceMax", buildReduceMax},
    {"ReduceMean", buildReduceMean},
    {"ReduceMin", buildReduceMin},
    {"ReduceSum", buildReduceSum},
    {"ReduceSumSquare", buildReduceSumSquare},
    {"Relu", buildRelu},
    {"Reshape", buildReshape},
    {"Round", buildRound},
    {"Selu", buildSelu},
    {"Shape", buildShape},
    {"Sigmoid", buildSigmoid},
    {"Sign", buildSign},
    {"Sin", buildSin},
    {"Sinh", buildSinh},
    {"Size", buildSize},
    {"Slice", buildSlice},
    {"Softmax", buildSoftmax},
    {"SoftmaxCrossEntropyLoss", buildSoftmaxCrossEntropyLoss},
    {"Softplus", buildSoftplus},
    {"Softsign", buildSoftsign},
    {"SpaceToDepth", buildSpaceToDepth},
    {"Split", buildSplit},
    {"Sqrt", buildSqrt},
    {"Squeeze", buildSqueeze},
    {"Sub", buildSub},
    {"Sum", buildSum},
    {"Tan", buildTan},
    {"Tanh", buildTanh},
    {"ThresholdedRelu", buildThresholdedRelu},
    {"Tile", buildTile},
    {"Transpose", buildTranspose},
    {"Trilu", buildTrilu},
    {"Unsqueeze", buildUnsqueeze},
    {"Where", buildWhere},
    {"Xor", buildXor},
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
