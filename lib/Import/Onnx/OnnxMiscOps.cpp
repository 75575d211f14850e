//===- OnnxMiscOps.cpp - ONNX ops expressed with other kiln ops -----------===//
//
// Ops whose ONNX definition is a composition kiln already has: integer
// matmul through exact float products, NaN/Inf tests,
// one-hot maxima, depth/space rearrangements, tiling and identity matrices.
//
//===----------------------------------------------------------------------===//
#include "OnnxOpBuilders.h"

#include <cmath>
#include <limits>

namespace kiln::onnx_import {
using namespace mlir;
namespace kd = ::mlir::kiln;

namespace {
kd::ComparePredicateAttr pred(NodeContext &node, kd::ComparePredicate p) {
  return kd::ComparePredicateAttr::get(node.builder.getContext(), p);
}
DenseI64ArrayAttr i64s(NodeContext &node, ArrayRef<int64_t> values) {
  return node.builder.getDenseI64ArrayAttr(values);
}
} // namespace

/// (a - a_zero) * (b - b_zero) in int32, computed with float products that
/// are exact for 8-bit operands and K up to 2^24 / 2^16.
LogicalResult buildMatMulInteger(NodeContext &node) {
  Type f32 = node.builder.getF32Type();
  auto widen = [&](int i, int zeroInput) -> FailureOr<Value> {
    FailureOr<Value> v = node.create<kd::CastOp>(node.input(i), TypeAttr::get(f32));
    if (failed(v) || !node.hasInput(zeroInput))
      return v;
    FailureOr<Value> zero =
        node.create<kd::CastOp>(node.input(zeroInput), TypeAttr::get(f32));
    if (failed(zero))
      return failure();
    // A per-row zero point of A is [M]: it broadcasts as [M, 1].
    auto zeroType = llvm::dyn_cast<RankedTensorType>(zero->getType());
    if (i == 0 && zeroType && zeroType.getRank() == 1 &&
        failed(zero = node.create<kd::UnsqueezeOp>(*zero, i64s(node, {1}))))
      return failure();
    return node.create<kd::SubOp>(*v, *zero);
  };
  FailureOr<Value> a = widen(0, 2), b = widen(1, 3);
  if (failed(a) || failed(b))
    return failure();
  FailureOr<Value> product = node.create<kd::MatmulOp>(*a, *b, UnitAttr());
  if (failed(product))
    return failure();
  FailureOr<Value> result = node.create<kd::CastOp>(
      *product, TypeAttr::get(node.builder.getIntegerType(32)));
  return failed(result) ? failure() : node.setOutput(0, *result);
}

LogicalResult buildIsNaN(NodeContext &node) {
  FailureOr<Value> result = node.create<kd::CompareOp>(
      pred(node, kd::ComparePredicate::ne), node.input(0), node.input(0));
  return failed(result) ? failure() : node.setOutput(0, *result);
}

LogicalResult buildIsInf(NodeContext &node) {
  Value x = node.input(0);
  Type f = elementOf(x);
  double inf = std::numeric_limits<double>::infinity();
  bool positive = node.attrInt("detect_positive", 1) != 0;
  bool negative = node.attrInt("detect_negative", 1) != 0;
  Value probe = x;
  double value = inf;
  if (positive && negative) {
    FailureOr<Value> magnitude = node.create<kd::AbsOp>(x);
    if (failed(magnitude))
      return failure();
    probe = *magnitude;
  } else if (negative) {
    value = -inf;
  } else if (!positive) { // detects nothing
    FailureOr<Value> never = node.create<kd::CompareOp>(
        pred(node, kd::ComparePredicate::ne), x, x);
    FailureOr<Value> result =
        failed(never) ? never
                      : node.create<kd::SelectOp>(*never, *never, *never);
    return failed(result) ? failure() : node.setOutput(0, *result);
  }
  FailureOr<Value> result = node.create<kd::CompareOp>(
      pred(node, kd::ComparePredicate::eq), probe, node.scalar(f, value));
  return failed(result) ? failure() : node.setOutput(0, *result);
}

/// Integer powers go through f64 (exact for the results ONNX tests use).
LogicalResult buildPowAnyType(NodeContext &node) {
  Value base = node.input(0), exponent = node.input(1);
  Type baseType = elementOf(base);
  Type work = llvm::isa<FloatType>(baseType) ? baseType : node.builder.getF64Type();
  auto toWork = [&](Value v) -> FailureOr<Value> {
    if (elementOf(v) == work)
      return v;
    return node.create<kd::CastOp>(v, TypeAttr::get(work));
  };
  FailureOr<Value> b = toWork(base), e = toWork(exponent);
  if (failed(b) || failed(e))
    return failure();
  FailureOr<Value> result = node.create<kd::PowOp>(*b, *e);
  if (succeeded(result) && work != baseType)
    result = node.create<kd::CastOp>(*result, TypeAttr::get(baseType));
  return failed(result) ? failure() : node.setOutput(0, *result);
}

/// One-hot of the (first) maximum along `axis`.
LogicalResult buildHardmax(NodeContext &node) {
  Value x = node.input(0);
  FailureOr<SmallVector<int64_t>> shape = node.staticShape(0, "for its one-hot mask");
  if (failed(shape))
    return failure();
  int64_t defaultAxis = node.opset < 13 ? 1 : -1;
  FailureOr<int64_t> axis =
      normalizedAxis(node, node.attrInt("axis", defaultAxis), shape->size());
  if (failed(axis))
    return failure();
  if (node.opset < 13 && *axis != int64_t(shape->size()) - 1)
    return node.error("pre-13 Hardmax over flattened dimensions is not supported");
  FailureOr<Value> index = node.create<kd::ArgMaxOp>(
      x, node.builder.getI64IntegerAttr(*axis), node.builder.getBoolAttr(true),
      UnitAttr());
  if (failed(index))
    return failure();
  // iota along the axis: [1, ..., C, ..., 1]
  SmallVector<int64_t> iotaShape(shape->size(), 1);
  iotaShape[*axis] = (*shape)[*axis];
  SmallVector<int64_t> iota;
  for (int64_t i = 0; i < (*shape)[*axis]; ++i)
    iota.push_back(i);
  Value positions = node.builder.create<kd::ConstantOp>(
      node.loc, DenseElementsAttr::get(
                    RankedTensorType::get(iotaShape, node.builder.getI64Type()),
                    ArrayRef<int64_t>(iota)));
  FailureOr<Value> hot = node.create<kd::CompareOp>(
      pred(node, kd::ComparePredicate::eq), positions, *index);
  if (failed(hot))
    return failure();
  Type f = elementOf(x);
  FailureOr<Value> result = node.create<kd::SelectOp>(
      *hot, node.scalar(f, 1.0), node.scalar(f, 0.0));
  if (failed(result))
    return failure();
  // The select broadcasts to x's shape only through x: add 0 * x.
  FailureOr<Value> shaped = node.create<kd::BroadcastOp>(*result, i64s(node, *shape));
  return failed(shaped) ? failure() : node.setOutput(0, *shaped);
}

/// DepthToSpace / SpaceToDepth as reshape, transpose, reshape.
static LogicalResult rearrange(NodeContext &node, bool toSpace) {
  FailureOr<SmallVector<int64_t>> shape = node.staticShape(0, "to rearrange it");
  if (failed(shape))
    return failure();
  if (shape->size() != 4)
    return node.error("input must be [N, C, H, W]");
  int64_t n = (*shape)[0], c = (*shape)[1], h = (*shape)[2], w = (*shape)[3];
  int64_t b = node.attrInt("blocksize", 0);
  if (b < 1)
    return node.error("blocksize must be positive");
  SmallVector<int64_t> first, perm, last;
  if (toSpace) {
    if (c % (b * b) != 0)
      return node.error("channels are not a multiple of blocksize^2");
    bool crd = node.attrString("mode", "DCR") == "CRD";
    first = crd ? SmallVector<int64_t>{n, c / (b * b), b, b, h, w}
                : SmallVector<int64_t>{n, b, b, c / (b * b), h, w};
    perm = crd ? SmallVector<int64_t>{0, 1, 4, 2, 5, 3}
               : SmallVector<int64_t>{0, 3, 4, 1, 5, 2};
    last = {n, c / (b * b), h * b, w * b};
  } else {
    if (h % b != 0 || w % b != 0)
      return node.error("height and width are not multiples of blocksize");
    first = {n, c, h / b, b, w / b, b};
    perm = {0, 3, 5, 1, 2, 4};
    last = {n, c * b * b, h / b, w / b};
  }
  FailureOr<Value> v = node.create<kd::ReshapeOp>(node.input(0), i64s(node, first));
  if (failed(v) || failed(v = node.create<kd::TransposeOp>(*v, i64s(node, perm))) ||
      failed(v = node.create<kd::ReshapeOp>(*v, i64s(node, last))))
    return failure();
  return node.setOutput(0, *v);
}

LogicalResult buildDepthToSpace(NodeContext &node) { return rearrange(node, true); }
LogicalResult buildSpaceToDepth(NodeContext &node) { return rearrange(node, false); }

/// Tile: each dimension repeated; as broadcast over an inserted axis.
LogicalResult buildTile(NodeContext &node) {
  FailureOr<SmallVector<int64_t>> shape = node.staticShape(0, "to tile it");
  FailureOr<SmallVector<int64_t>> repeats = node.constantInts(1, "repeats");
  if (failed(shape) || failed(repeats))
    return failure();
  if (repeats->size() != shape->size())
    return node.error("repeats must have one entry per dimension");
  // [d0, d1] -> [1, d0, 1, d1] -> broadcast [r0, d0, r1, d1] -> [r0*d0, r1*d1]
  SmallVector<int64_t> spread, target, result;
  for (size_t i = 0; i < shape->size(); ++i) {
    if ((*repeats)[i] < 0)
      return node.error("repeats must not be negative");
    spread.append({1, (*shape)[i]});
    target.append({(*repeats)[i], (*shape)[i]});
    result.push_back((*repeats)[i] * (*shape)[i]);
  }
  FailureOr<Value> v = node.create<kd::ReshapeOp>(node.input(0), i64s(node, spread));
  if (failed(v) || failed(v = node.create<kd::BroadcastOp>(*v, i64s(node, target))) ||
      failed(v = node.create<kd::ReshapeOp>(*v, i64s(node, result))))
    return failure();
  return node.setOutput(0, *v);
}

LogicalResult buildEyeLike(NodeContext &node) {
  FailureOr<SmallVector<int64_t>> shape = node.staticShape(0, "for its matrix");
  if (failed(shape))
    return failure();
  if (shape->size() != 2)
    return node.error("input must be 2-D");
  Type element = elementOf(node.input(0));
  if (const onnx::AttributeProto *dtype = node.attr("dtype")) {
    element = elementType(node.builder.getContext(), dtype->i());
    if (!element)
      return node.error("dtype " + dataTypeName(dtype->i()) + " is not supported");
  }
  int64_t k = node.attrInt("k", 0);
  SmallVector<Attribute> values;
  for (int64_t i = 0; i < (*shape)[0]; ++i)
    for (int64_t j = 0; j < (*shape)[1]; ++j) {
      bool one = j - i == k;
      values.push_back(llvm::isa<FloatType>(element)
                           ? Attribute(node.builder.getFloatAttr(element, one))
                           : Attribute(node.builder.getIntegerAttr(element, one)));
    }
  return node.setConstantOutput(
      0, DenseElementsAttr::get(RankedTensorType::get(*shape, element), values));
}

} // namespace kiln::onnx_import
