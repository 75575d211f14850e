//===- DequantizedWeights.cpp - ONNX DequantizeLinear weights to Q8_0 -----===//
#include "DequantizedWeights.h"

#include "kiln/Quant/BlockCodec.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"

#include <cmath>

namespace mlir::kiln {
namespace {
namespace q = ::kiln::quant;

/// The values of a constant operand as floats, or none.
std::optional<std::vector<float>> constantValues(Value value) {
  DenseElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  std::vector<float> out;
  if (auto floats = llvm::dyn_cast<DenseFPElementsAttr>(attr)) {
    for (const APFloat &v : floats.getValues<APFloat>())
      out.push_back(static_cast<float>(v.convertToDouble()));
  } else if (auto ints = llvm::dyn_cast<DenseIntElementsAttr>(attr)) {
    bool isUnsigned = ints.getElementType().isUnsignedInteger();
    for (const APInt &v : ints.getValues<APInt>())
      out.push_back(static_cast<float>(isUnsigned ? int64_t(v.getZExtValue()) : v.getSExtValue()));
  } else {
    return std::nullopt;
  }
  return out;
}

/// Per-row values of a scale or zero point broadcast against the weight:
/// a scalar, or one value per row ([N] for a [K, N] weight, [N, 1] for an
/// [N, K] one).
std::optional<std::vector<float>> perRow(Value value, int64_t rows, bool columns) {
  auto type = llvm::dyn_cast<RankedTensorType>(value.getType());
  std::optional<std::vector<float>> values = constantValues(value);
  if (!type || !values)
    return std::nullopt;
  if (values->size() == 1)
    return std::vector<float>(rows, values->front());
  ArrayRef<int64_t> shape = type.getShape();
  bool matches = columns ? (shape.size() == 1 && shape[0] == rows)
                         : (shape.size() == 2 && shape[0] == rows && shape[1] == 1);
  if (!matches || int64_t(values->size()) != rows)
    return std::nullopt;
  return values;
}

bool singleUse(Operation *op) { return op->getResult(0).hasOneUse(); }
} // namespace

std::optional<DequantizedWeight> matchDequantizedWeight(ArrayRef<WeightOp> weights) {
  DequantizedWeight match;
  std::optional<std::vector<float>> scales, zeroPoints;
  for (WeightOp weight : weights) {
    auto type = llvm::cast<RankedTensorType>(weight.getType());
    Type element = type.getElementType();
    if (type.getRank() != 2 || !element.isInteger(8))
      return std::nullopt;
    match.isUnsigned = element.isUnsignedInteger();
    for (Operation *user : weight->getUsers()) {
      // cast -> [sub zp] -> mul scale -> matmul rhs
      auto cast = llvm::dyn_cast<CastOp>(user);
      if (!cast || !cast.getType().getElementType().isF32() || !singleUse(cast))
        return std::nullopt;
      Operation *next = *cast->getUsers().begin();
      Value dequantized = cast;
      Value zp;
      SmallVector<Operation *> chain{cast};
      if (auto sub = llvm::dyn_cast<SubOp>(next)) {
        if (sub.getLhs() != dequantized || !singleUse(sub))
          return std::nullopt;
        zp = sub.getRhs();
        chain.push_back(sub);
        dequantized = sub;
        next = *sub->getUsers().begin();
      }
      auto mul = llvm::dyn_cast<MulOp>(next);
      if (!mul || !singleUse(mul))
        return std::nullopt;
      Value scale = mul.getLhs() == dequantized ? mul.getRhs() : mul.getLhs();
      auto matmul = llvm::dyn_cast<MatmulOp>(*mul->getUsers().begin());
      if (!matmul || matmul.getRhs() != mul.getResult() || matmul.getLhs() == mul.getResult())
        return std::nullopt;
      auto lhs = llvm::dyn_cast<RankedTensorType>(matmul.getLhs().getType());
      if (!lhs || !lhs.getElementType().isF32() || mul.getType() != RankedTensorType::get(type.getShape(), Float32Type::get(type.getContext())))
        return std::nullopt;
      match.columns = !matmul.getTransposeRhs();
      match.rows = type.getDimSize(match.columns ? 1 : 0);
      match.rowLength = type.getDimSize(match.columns ? 0 : 1);
      std::optional<std::vector<float>> s = perRow(scale, match.rows, match.columns);
      if (!s)
        return std::nullopt;
      std::vector<float> z(match.rows, 0.0f);
      if (zp) {
        std::optional<std::vector<float>> values = perRow(zp, match.rows, match.columns);
        if (!values)
          return std::nullopt;
        z = *values;
      }
      // All uses must dequantize the same way.
      if ((scales && *scales != *s) || (zeroPoints && *zeroPoints != z))
        return std::nullopt;
      scales = s;
      zeroPoints = z;
      chain.push_back(mul);
      match.matmuls.push_back(matmul);
      match.sources.push_back(weight);
      match.chain.insert(match.chain.begin(), chain.rbegin(), chain.rend());
    }
  }
  if (match.matmuls.empty() || match.rowLength % 32 != 0)
    return std::nullopt;
  match.scales = *scales;
  match.zeroPoints = *zeroPoints;
  return match;
}

std::vector<uint8_t> encodeDequantizedWeight(const DequantizedWeight &weight,
                                             const uint8_t *source) {
  const int64_t K = weight.rowLength, N = weight.rows, blocks = K / 32;
  std::vector<uint8_t> out(N * blocks * 34);
  std::vector<int> q(K);
  std::vector<float> values(K);
  for (int64_t n = 0; n < N; ++n) {
    const float scale = weight.scales[n], zero = weight.zeroPoints[n];
    bool direct = std::isfinite(scale) && scale > 0 && zero == std::nearbyint(zero);
    uint16_t half = q::floatToHalf(scale);
    direct = direct && q::halfToFloat(half) >= 6.103515625e-05f && std::isfinite(q::halfToFloat(half));
    for (int64_t k = 0; k < K; ++k) {
      uint8_t byte = source[weight.columns ? k * N + n : n * K + k];
      int stored = weight.isUnsigned ? int(byte) : int(int8_t(byte));
      q[k] = stored - int(zero);
      direct = direct && q[k] >= -127 && q[k] <= 127;
      // What the runtime dequantization would compute, in f32.
      values[k] = (float(stored) - zero) * scale;
    }
    uint8_t *row = out.data() + n * blocks * 34;
    if (!direct) {
      q::encodeRow(q::BlockFormat::Q8_0, values.data(), K, row);
      continue;
    }
    for (int64_t b = 0; b < blocks; ++b) {
      uint8_t *block = row + b * 34;
      block[0] = half & 0xff;
      block[1] = half >> 8;
      for (int j = 0; j < 32; ++j)
        block[2 + j] = static_cast<uint8_t>(static_cast<int8_t>(q[b * 32 + j]));
    }
  }
  return out;
}

void rewriteDequantizedWeight(DequantizedWeight &weight, ArrayRef<WeightOp> weights,
                              RankedTensorType quantized) {
  for (auto [matmul, source] : llvm::zip(weight.matmuls, weight.sources)) {
    OpBuilder b(matmul);
    Value product = b.create<QuantizedMatmulOp>(matmul.getLoc(), matmul.getType(),
                                                matmul.getLhs(), source);
    matmul.replaceAllUsesWith(product);
    matmul.erase();
  }
  for (Operation *op : weight.chain)
    op->erase();
  for (WeightOp w : weights)
    w.getResult().setType(quantized);
}

} // namespace mlir::kiln
