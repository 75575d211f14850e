//===- BlockCodec.cpp - GGUF block encoders and decoders ------------------===//
//
// Scalar encoders and decoders of Q8_0, Q4_0, Q4_K and Q6_K. The encoders
// reproduce llama.cpp's reference quantizers (no importance matrix): the same
// f32 operations in the same order, so results are bit-identical. This file
// is compiled with -ffp-contract=off (lib/Quant/CMakeLists.txt): a fused
// multiply-add would change roundings and break that identity.
//
// Block layouts (little-endian, `d`/`dmin` are IEEE half):
//   Q8_0 (32 elements, 34 bytes): d, int8 q[32];           x = d*q
//   Q4_0 (32, 18): d, 16 bytes of nibbles; element j < 16 is the low nibble
//        of byte j, element j + 16 its high nibble;         x = d*(q-8)
//   Q4_K (256, 144): d, dmin, 12 bytes of 6-bit scales/mins for 8 groups of
//        32, 128 bytes of nibbles (64-element chunks: low nibbles are the
//        first 32, high the next 32);                      x = d*sc*q - dmin*m
//   Q6_K (256, 210): 128 bytes low nibbles, 64 bytes high 2-bit pairs,
//        int8 scales[16] (groups of 16), d;                x = d*sc*(q-32)
//
//===----------------------------------------------------------------------===//
#include "kiln/Quant/BlockCodec.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iterator>

namespace kiln::quant {
namespace {

uint32_t bitsOf(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, 4);
  return bits;
}

float floatOf(uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, 4);
  return value;
}

void storeHalf(uint8_t *at, float value) {
  uint16_t half = floatToHalf(value);
  at[0] = half & 0xff;
  at[1] = half >> 8;
}

float loadHalf(const uint8_t *at) {
  return halfToFloat(static_cast<uint16_t>(at[0] | at[1] << 8));
}

/// ggml's nearest_int: round half to even through the f32 adder, valid for
/// |value| <= 4194303 (quantization keeps values far below).
int nearestInt(float value) {
  float shifted = value + 12582912.f;
  int32_t bits;
  std::memcpy(&bits, &shifted, 4);
  return (bits & 0x007fffff) - 0x00400000;
}

constexpr float kGroupMaxEps = 1e-15f;

// ---- Q8_0 / Q4_0 -----------------------------------------------------------

void encodeQ8_0(const float *x, uint8_t *block) {
  float amax = 0.0f;
  for (int j = 0; j < 32; ++j)
    amax = std::max(amax, std::fabs(x[j]));
  const float d = amax / ((1 << 7) - 1);
  const float id = d ? 1.0f / d : 0.0f;
  storeHalf(block, d);
  for (int j = 0; j < 32; ++j)
    block[2 + j] = static_cast<uint8_t>(static_cast<int8_t>(std::round(x[j] * id)));
}

void encodeQ4_0(const float *x, uint8_t *block) {
  float amax = 0.0f, max = 0.0f;
  for (int j = 0; j < 32; ++j)
    if (amax < std::fabs(x[j])) {
      amax = std::fabs(x[j]);
      max = x[j];
    }
  const float d = max / -8;
  const float id = d ? 1.0f / d : 0.0f;
  storeHalf(block, d);
  for (int j = 0; j < 16; ++j) {
    const float x0 = x[j] * id, x1 = x[16 + j] * id;
    const uint8_t q0 = std::min<int8_t>(15, static_cast<int8_t>(x0 + 8.5f));
    const uint8_t q1 = std::min<int8_t>(15, static_cast<int8_t>(x1 + 8.5f));
    block[2 + j] = q0 | q1 << 4;
  }
}

// ---- K-quant helpers (ggml's make_qx_quants / make_qkx2_quants) ------------

/// Signed levels in [-nmax, nmax) for `n` values weighted by x^2 (ggml's
/// rmse_type 1): the scale minimizing the weighted error among 19 candidate
/// inverse scales. Levels are stored offset by nmax.
float makeSymmetricQuants(int n, int nmax, const float *x, int8_t *levels) {
  float max = 0, amax = 0;
  for (int i = 0; i < n; ++i) {
    float ax = std::fabs(x[i]);
    if (ax > amax) {
      amax = ax;
      max = x[i];
    }
  }
  if (amax < kGroupMaxEps) {
    std::fill(levels, levels + n, 0);
    return 0.f;
  }
  auto clampLevel = [&](int l) { return std::max(-nmax, std::min(nmax - 1, l)); };
  float iscale = -nmax / max;
  float sumlx = 0, suml2 = 0;
  for (int i = 0; i < n; ++i) {
    int l = clampLevel(nearestInt(iscale * x[i]));
    levels[i] = static_cast<int8_t>(l + nmax);
    float w = x[i] * x[i];
    sumlx += w * x[i] * l;
    suml2 += w * l * l;
  }
  float scale = suml2 ? sumlx / suml2 : 0.0f;
  float best = scale * sumlx;
  for (int is = -9; is <= 9; ++is) {
    if (is == 0)
      continue;
    iscale = -(nmax + 0.1f * is) / max;
    sumlx = suml2 = 0;
    for (int i = 0; i < n; ++i) {
      int l = clampLevel(nearestInt(iscale * x[i]));
      float w = x[i] * x[i];
      sumlx += w * x[i] * l;
      suml2 += w * l * l;
    }
    if (suml2 > 0 && sumlx * sumlx > best * suml2) {
      for (int i = 0; i < n; ++i)
        levels[i] = static_cast<int8_t>(nmax + clampLevel(nearestInt(iscale * x[i])));
      scale = sumlx / suml2;
      best = scale * sumlx;
    }
  }
  return scale;
}

/// Unsigned levels in [0, nmax] with a minimum: scale and min minimizing
/// the weighted squared error over `nstep` + 1 candidate inverse scales
/// (least-squares refit of scale and min for each). Returns the scale and
/// sets `theMin` to minus the (non-positive) minimum.
float makeAffineQuants(int n, int nmax, const float *x, const float *weights,
                       uint8_t *levels, float *theMin, uint8_t *scratch,
                       float rmin, float rdelta, int nstep) {
  float min = x[0], max = x[0];
  float sumW = weights[0];
  float sumX = sumW * x[0];
  for (int i = 1; i < n; ++i) {
    if (x[i] < min)
      min = x[i];
    if (x[i] > max)
      max = x[i];
    float w = weights[i];
    sumW += w;
    sumX += w * x[i];
  }
  if (min > 0)
    min = 0;
  if (max == min) {
    std::fill(levels, levels + n, 0);
    *theMin = -min;
    return 0.f;
  }
  auto clampLevel = [&](int l) { return std::max(0, std::min(nmax, l)); };
  float iscale = nmax / (max - min);
  float scale = 1 / iscale;
  float bestError = 0;
  for (int i = 0; i < n; ++i) {
    int l = clampLevel(nearestInt(iscale * (x[i] - min)));
    levels[i] = static_cast<uint8_t>(l);
    float diff = scale * levels[i] + min - x[i];
    bestError += weights[i] * (diff * diff);
  }
  for (int is = 0; is <= nstep; ++is) {
    iscale = (rmin + rdelta * is + nmax) / (max - min);
    float sumL = 0, sumL2 = 0, sumXL = 0;
    for (int i = 0; i < n; ++i) {
      int l = clampLevel(nearestInt(iscale * (x[i] - min)));
      scratch[i] = static_cast<uint8_t>(l);
      float w = weights[i];
      sumL += w * l;
      sumL2 += w * l * l;
      sumXL += w * l * x[i];
    }
    float D = sumW * sumL2 - sumL * sumL;
    if (D > 0) {
      float thisScale = (sumW * sumXL - sumX * sumL) / D;
      float thisMin = (sumL2 * sumX - sumL * sumXL) / D;
      if (thisMin > 0) {
        thisMin = 0;
        thisScale = sumXL / sumL2;
      }
      float error = 0;
      for (int i = 0; i < n; ++i) {
        float diff = thisScale * scratch[i] + thisMin - x[i];
        error += weights[i] * (diff * diff);
      }
      if (error < bestError) {
        std::copy(scratch, scratch + n, levels);
        bestError = error;
        scale = thisScale;
        min = thisMin;
      }
    }
  }
  *theMin = -min;
  return scale;
}

/// The 6-bit scale and min of group `j` of a Q4_K block's packed scales.
void q4kScaleMin(int j, const uint8_t *q, uint8_t *scale, uint8_t *min) {
  if (j < 4) {
    *scale = q[j] & 63;
    *min = q[j + 4] & 63;
  } else {
    *scale = (q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4);
    *min = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
  }
}

// ---- Q4_K ------------------------------------------------------------------

void encodeQ4_K(const float *x, uint8_t *block) {
  uint8_t L[256], scratch[32];
  float weights[32], mins[8], scales[8];
  float maxScale = 0, maxMin = 0;
  for (int j = 0; j < 8; ++j) {
    float sumX2 = 0;
    for (int l = 0; l < 32; ++l)
      sumX2 += x[32 * j + l] * x[32 * j + l];
    float avX = std::sqrt(sumX2 / 32);
    for (int l = 0; l < 32; ++l)
      weights[l] = avX + std::fabs(x[32 * j + l]);
    scales[j] = makeAffineQuants(32, 15, x + 32 * j, weights, L + 32 * j, &mins[j],
                                 scratch, -1.f, 0.1f, 20);
    maxScale = std::max(maxScale, scales[j]);
    maxMin = std::max(maxMin, mins[j]);
  }
  uint8_t *packed = block + 4;
  std::memset(packed, 0, 12);
  float invScale = maxScale > 0 ? 63.f / maxScale : 0.f;
  float invMin = maxMin > 0 ? 63.f / maxMin : 0.f;
  for (int j = 0; j < 8; ++j) {
    uint8_t ls = static_cast<uint8_t>(nearestInt(invScale * scales[j]));
    uint8_t lm = static_cast<uint8_t>(nearestInt(invMin * mins[j]));
    ls = std::min<uint8_t>(63, ls);
    lm = std::min<uint8_t>(63, lm);
    if (j < 4) {
      packed[j] = ls;
      packed[j + 4] = lm;
    } else {
      packed[j + 4] = (ls & 0xF) | ((lm & 0xF) << 4);
      packed[j - 4] |= (ls >> 4) << 6;
      packed[j] |= (lm >> 4) << 6;
    }
  }
  storeHalf(block, maxScale / 63.f);
  storeHalf(block + 2, maxMin / 63.f);
  const float d = loadHalf(block), dmin = loadHalf(block + 2);
  for (int j = 0; j < 8; ++j) {
    uint8_t sc, m;
    q4kScaleMin(j, packed, &sc, &m);
    const float dj = d * sc;
    if (!dj)
      continue;
    const float dm = dmin * m;
    for (int i = 0; i < 32; ++i)
      L[32 * j + i] = static_cast<uint8_t>(
          std::max(0, std::min(15, nearestInt((x[32 * j + i] + dm) / dj))));
  }
  uint8_t *q = block + 16;
  for (int j = 0; j < 256; j += 64, q += 32)
    for (int l = 0; l < 32; ++l)
      q[l] = L[j + l] | (L[j + l + 32] << 4);
}

void decodeQ4_K(const uint8_t *block, float *y) {
  const float d = loadHalf(block), dmin = loadHalf(block + 2);
  const uint8_t *packed = block + 4, *q = block + 16;
  for (int j = 0, group = 0; j < 256; j += 64, q += 32, group += 2) {
    uint8_t sc, m;
    q4kScaleMin(group, packed, &sc, &m);
    const float d1 = d * sc, m1 = dmin * m;
    q4kScaleMin(group + 1, packed, &sc, &m);
    const float d2 = d * sc, m2 = dmin * m;
    for (int l = 0; l < 32; ++l)
      *y++ = d1 * (q[l] & 0xF) - m1;
    for (int l = 0; l < 32; ++l)
      *y++ = d2 * (q[l] >> 4) - m2;
  }
}

// ---- Q6_K ------------------------------------------------------------------

void encodeQ6_K(const float *x, uint8_t *block) {
  int8_t L[256];
  float scales[16];
  float maxScale = 0, maxAbsScale = 0;
  for (int ib = 0; ib < 16; ++ib) {
    const float scale = makeSymmetricQuants(16, 32, x + 16 * ib, L + 16 * ib);
    scales[ib] = scale;
    if (std::fabs(scale) > maxAbsScale) {
      maxAbsScale = std::fabs(scale);
      maxScale = scale;
    }
  }
  uint8_t *ql = block, *qh = block + 128;
  auto *groupScales = reinterpret_cast<int8_t *>(block + 192);
  uint8_t *d = block + 208;
  if (maxAbsScale < kGroupMaxEps) {
    std::memset(block, 0, 210);
    storeHalf(d, 0.f);
    return;
  }
  float iscale = -128.f / maxScale;
  storeHalf(d, 1 / iscale);
  for (int ib = 0; ib < 16; ++ib)
    groupScales[ib] = static_cast<int8_t>(std::min(127, nearestInt(iscale * scales[ib])));
  for (int j = 0; j < 16; ++j) {
    float dj = loadHalf(d) * groupScales[j];
    if (!dj)
      continue;
    for (int i = 0; i < 16; ++i) {
      int l = std::max(-32, std::min(31, nearestInt(x[16 * j + i] / dj)));
      L[16 * j + i] = static_cast<int8_t>(l + 32);
    }
  }
  for (int j = 0; j < 256; j += 128, ql += 64, qh += 32)
    for (int l = 0; l < 32; ++l) {
      const uint8_t q1 = L[j + l] & 0xF, q2 = L[j + l + 32] & 0xF;
      const uint8_t q3 = L[j + l + 64] & 0xF, q4 = L[j + l + 96] & 0xF;
      ql[l] = q1 | (q3 << 4);
      ql[l + 32] = q2 | (q4 << 4);
      qh[l] = (L[j + l] >> 4) | ((L[j + l + 32] >> 4) << 2) |
              ((L[j + l + 64] >> 4) << 4) | ((L[j + l + 96] >> 4) << 6);
    }
}

void decodeQ6_K(const uint8_t *block, float *y) {
  const uint8_t *ql = block, *qh = block + 128;
  const auto *sc = reinterpret_cast<const int8_t *>(block + 192);
  const float d = loadHalf(block + 208);
  for (int n = 0; n < 256; n += 128, y += 128, ql += 64, qh += 32, sc += 8)
    for (int l = 0; l < 32; ++l) {
      int is = l / 16;
      int q1 = ((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32;
      int q2 = ((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
      int q3 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
      int q4 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
      y[l] = d * sc[is] * q1;
      y[l + 32] = d * sc[is + 2] * q2;
      y[l + 64] = d * sc[is + 4] * q3;
      y[l + 96] = d * sc[is + 6] * q4;
    }
}

} // namespace

uint16_t floatToHalf(float value) {
  uint32_t x = bitsOf(value);
  uint16_t sign = (x >> 16) & 0x8000;
  uint32_t magnitude = x & 0x7fffffff;
  if (magnitude > 0x7f800000)
    return sign | 0x7e00; // NaN
  int exponent = static_cast<int>(magnitude >> 23) - 127 + 15;
  if (exponent >= 31)
    return sign | 0x7c00; // too large: infinity
  if (exponent <= 0) {
    // Below 2^-14: a multiple of 2^-24 (possibly rounding up to the
    // smallest normal, whose encoding 0x0400 is the next integer).
    float scaled = floatOf(magnitude) * 16777216.0f; // exact: a power of 2
    return sign | static_cast<uint16_t>(std::nearbyint(scaled));
  }
  uint32_t mantissa = magnitude & 0x7fffff;
  uint32_t half = static_cast<uint32_t>(exponent) << 10 | mantissa >> 13;
  uint32_t rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest == 0x1000 && (half & 1)))
    ++half; // a carry into the exponent is the right result (up to inf)
  return sign | static_cast<uint16_t>(half);
}

float halfToFloat(uint16_t half) {
  uint32_t sign = static_cast<uint32_t>(half & 0x8000) << 16;
  uint32_t exponent = (half >> 10) & 0x1f, mantissa = half & 0x3ff;
  if (exponent == 0) {
    float value = std::ldexp(static_cast<float>(mantissa), -24);
    return floatOf(bitsOf(value) | sign);
  }
  if (exponent == 31)
    return floatOf(sign | 0x7f800000 | mantissa << 13);
  return floatOf(sign | (exponent - 15 + 127) << 23 | mantissa << 13);
}

float bfloat16ToFloat(uint16_t bits) { return floatOf(static_cast<uint32_t>(bits) << 16); }

namespace {
void decodeQ8_0(const uint8_t *block, float *y) {
  const float d = loadHalf(block);
  for (int j = 0; j < 32; ++j)
    y[j] = static_cast<int8_t>(block[2 + j]) * d;
}

void decodeQ4_0(const uint8_t *block, float *y) {
  const float d = loadHalf(block);
  for (int j = 0; j < 16; ++j) {
    y[j] = ((block[2 + j] & 0xF) - 8) * d;
    y[j + 16] = ((block[2 + j] >> 4) - 8) * d;
  }
}

/// One block's encoder and decoder per format, in BlockFormat order.
struct BlockCodec {
  void (*encode)(const float *x, uint8_t *block);
  void (*decode)(const uint8_t *block, float *y);
};
constexpr BlockCodec kCodecs[] = {
    {encodeQ8_0, decodeQ8_0}, // Q8_0
    {encodeQ4_0, decodeQ4_0}, // Q4_0
    {encodeQ4_K, decodeQ4_K}, // Q4_K
    {encodeQ6_K, decodeQ6_K}, // Q6_K
};
static_assert(std::size(kCodecs) == 4, "one codec per BlockFormat");
} // namespace

void encodeRow(BlockFormat format, const float *in, int64_t count, uint8_t *out) {
  const BlockFormatInfo &row = info(format);
  auto encode = kCodecs[static_cast<size_t>(format)].encode;
  for (int64_t i = 0; i < count / row.blockElements; ++i)
    encode(in + i * row.blockElements, out + i * row.blockBytes);
}

void decodeRow(BlockFormat format, const uint8_t *in, int64_t count, float *out) {
  const BlockFormatInfo &row = info(format);
  auto decode = kCodecs[static_cast<size_t>(format)].decode;
  for (int64_t i = 0; i < count / row.blockElements; ++i)
    decode(in + i * row.blockBytes, out + i * row.blockElements);
}

} // namespace kiln::quant
