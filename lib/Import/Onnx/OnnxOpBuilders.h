//===- OnnxOpBuilders.h - the builders behind the ONNX op table -----------===//
//
// One function per ONNX op (or op family), defined in Onnx*Ops.cpp and
// listed once in OnnxOpTable.cpp, plus helpers they share.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_LIB_IMPORT_ONNX_ONNXOPBUILDERS_H
#define KILN_LIB_IMPORT_ONNX_ONNXOPBUILDERS_H

#include "OnnxImporter.h"
#include "OnnxTensor.h"

namespace kiln::onnx_import {

/// `axis` of a rank-`rank` tensor in [0, rank), or an error at the node.
mlir::FailureOr<int64_t> normalizedAxis(NodeContext &node, int64_t axis,
                                        int64_t rank);

/// Element type of a value (a tensor).
inline mlir::Type elementOf(mlir::Value value) {
  return mlir::getElementTypeOrSelf(value.getType());
}

/// Cast of `input` to or from strings (`element` or the input's element is
/// !kiln.string): kiln.format or kiln.parse. Used by Cast and CastLike.
mlir::FailureOr<mlir::Value> castText(NodeContext &node, mlir::Value input,
                                      mlir::Type element);

#define KILN_ONNX_BUILDER(NAME) mlir::LogicalResult NAME(NodeContext &node)

// Elementwise (OnnxElementwiseOps.cpp)
KILN_ONNX_BUILDER(buildAdd);
KILN_ONNX_BUILDER(buildSub);
KILN_ONNX_BUILDER(buildMul);
KILN_ONNX_BUILDER(buildDiv);
KILN_ONNX_BUILDER(buildMax);
KILN_ONNX_BUILDER(buildMin);
KILN_ONNX_BUILDER(buildSum);
KILN_ONNX_BUILDER(buildMean);
KILN_ONNX_BUILDER(buildEqual);
KILN_ONNX_BUILDER(buildLess);
KILN_ONNX_BUILDER(buildLessOrEqual);
KILN_ONNX_BUILDER(buildGreater);
KILN_ONNX_BUILDER(buildGreaterOrEqual);
KILN_ONNX_BUILDER(buildSqrt);
KILN_ONNX_BUILDER(buildExp);
KILN_ONNX_BUILDER(buildLog);
KILN_ONNX_BUILDER(buildErf);
KILN_ONNX_BUILDER(buildTanh);
KILN_ONNX_BUILDER(buildSigmoid);
KILN_ONNX_BUILDER(buildRelu);
KILN_ONNX_BUILDER(buildNeg);
KILN_ONNX_BUILDER(buildAbs);
KILN_ONNX_BUILDER(buildSin);
KILN_ONNX_BUILDER(buildCos);
KILN_ONNX_BUILDER(buildTan);
KILN_ONNX_BUILDER(buildAsin);
KILN_ONNX_BUILDER(buildAcos);
KILN_ONNX_BUILDER(buildAtan);
KILN_ONNX_BUILDER(buildSinh);
KILN_ONNX_BUILDER(buildCosh);
KILN_ONNX_BUILDER(buildAsinh);
KILN_ONNX_BUILDER(buildAcosh);
KILN_ONNX_BUILDER(buildAtanh);
KILN_ONNX_BUILDER(buildFloor);
KILN_ONNX_BUILDER(buildCeil);
KILN_ONNX_BUILDER(buildRound);
KILN_ONNX_BUILDER(buildReciprocal);
KILN_ONNX_BUILDER(buildIdentity);
KILN_ONNX_BUILDER(buildLoop);
KILN_ONNX_BUILDER(buildLeakyRelu);
KILN_ONNX_BUILDER(buildClip);
KILN_ONNX_BUILDER(buildWhere);
KILN_ONNX_BUILDER(buildCast);

// Activations and logic from formulas (OnnxActivationOps.cpp)
KILN_ONNX_BUILDER(buildHardSigmoid);
KILN_ONNX_BUILDER(buildHardSwish);
KILN_ONNX_BUILDER(buildElu);
KILN_ONNX_BUILDER(buildSelu);
KILN_ONNX_BUILDER(buildCelu);
KILN_ONNX_BUILDER(buildSoftplus);
KILN_ONNX_BUILDER(buildSoftsign);
KILN_ONNX_BUILDER(buildMish);
KILN_ONNX_BUILDER(buildPRelu);
KILN_ONNX_BUILDER(buildThresholdedRelu);
KILN_ONNX_BUILDER(buildSign);
KILN_ONNX_BUILDER(buildDropout);
KILN_ONNX_BUILDER(buildNot);
KILN_ONNX_BUILDER(buildAnd);
KILN_ONNX_BUILDER(buildOr);
KILN_ONNX_BUILDER(buildXor);
KILN_ONNX_BUILDER(buildCastLike);

// Linear algebra and lookups (OnnxLinearOps.cpp)
KILN_ONNX_BUILDER(buildMatMul);
KILN_ONNX_BUILDER(buildGemm);
KILN_ONNX_BUILDER(buildGather);
KILN_ONNX_BUILDER(buildGatherElements);
KILN_ONNX_BUILDER(buildNegativeLogLikelihoodLoss);
KILN_ONNX_BUILDER(buildSoftmaxCrossEntropyLoss);

// Reductions and normalizations (OnnxNormOps.cpp)
KILN_ONNX_BUILDER(buildSoftmax);
KILN_ONNX_BUILDER(buildLogSoftmax);
KILN_ONNX_BUILDER(buildLayerNormalization);
KILN_ONNX_BUILDER(buildReduceSum);
KILN_ONNX_BUILDER(buildReduceMean);
KILN_ONNX_BUILDER(buildReduceMax);
KILN_ONNX_BUILDER(buildReduceMin);
KILN_ONNX_BUILDER(buildArgMax);
KILN_ONNX_BUILDER(buildArgMin);
KILN_ONNX_BUILDER(buildReduceSumSquare);
KILN_ONNX_BUILDER(buildReduceL1);
KILN_ONNX_BUILDER(buildReduceL2);
KILN_ONNX_BUILDER(buildReduceLogSum);
KILN_ONNX_BUILDER(buildReduceLogSumExp);
KILN_ONNX_BUILDER(buildBatchNormalization);
KILN_ONNX_BUILDER(buildGlobalAveragePool);
KILN_ONNX_BUILDER(buildGlobalMaxPool);

// Shapes and data movement (OnnxTensorOps.cpp)
KILN_ONNX_BUILDER(buildConstant);
KILN_ONNX_BUILDER(buildReshape);
KILN_ONNX_BUILDER(buildTranspose);
KILN_ONNX_BUILDER(buildConcat);
KILN_ONNX_BUILDER(buildSlice);
KILN_ONNX_BUILDER(buildSplit);
KILN_ONNX_BUILDER(buildExpand);
KILN_ONNX_BUILDER(buildUnsqueeze);
KILN_ONNX_BUILDER(buildSqueeze);
KILN_ONNX_BUILDER(buildShape);
KILN_ONNX_BUILDER(buildFlatten);
KILN_ONNX_BUILDER(buildRange);
KILN_ONNX_BUILDER(buildConstantOfShape);
KILN_ONNX_BUILDER(buildTrilu);
KILN_ONNX_BUILDER(buildSize);

// Convolution and pooling (OnnxConvOps.cpp)
KILN_ONNX_BUILDER(buildConv);
KILN_ONNX_BUILDER(buildMaxPool);
KILN_ONNX_BUILDER(buildAveragePool);

// Compositions of other kiln ops (OnnxMiscOps.cpp)
KILN_ONNX_BUILDER(buildQuantizeLinear);
KILN_ONNX_BUILDER(buildMatMulInteger);
KILN_ONNX_BUILDER(buildIsNaN);
KILN_ONNX_BUILDER(buildIsInf);
KILN_ONNX_BUILDER(buildPowAnyType);
KILN_ONNX_BUILDER(buildHardmax);
KILN_ONNX_BUILDER(buildDepthToSpace);
KILN_ONNX_BUILDER(buildSpaceToDepth);
KILN_ONNX_BUILDER(buildTile);
KILN_ONNX_BUILDER(buildEyeLike);

// Quantization (OnnxQuantOps.cpp)
KILN_ONNX_BUILDER(buildDequantizeLinear);

#undef KILN_ONNX_BUILDER

} // namespace kiln::onnx_import

#endif // KILN_LIB_IMPORT_ONNX_ONNXOPBUILDERS_H
