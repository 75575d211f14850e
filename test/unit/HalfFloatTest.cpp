//===- HalfFloatTest.cpp - kernel-gen's f16 conversion against F16C -------===//
//
// kiln::kernelgen::halfBitsToFloat (tools/kiln-kernel-gen/HalfFloat.cpp) is
// the f16 -> f32 conversion generated kernels use for block scales. It is
// JIT-compiled by Halide here, vectorized and scalar, with and without
// strict_float, and compared with the CPU's vcvtph2ps on all 65536 halves.
//
//===----------------------------------------------------------------------===//
#include "HalfFloat.h"
#include "HalideJit.h"
#include "HardwareHalf.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

namespace {
using namespace Halide;
using kiln::test::hardwareFloat;

uint32_t bitsOf(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

void checkAllHalves(bool vectorized, bool strict) {
  Buffer<uint16_t> in(65536);
  for (int i = 0; i < 65536; ++i)
    in(i) = uint16_t(i);
  Buffer<float> out = kiln::test::evaluate(
      [&](Var x) { return kiln::kernelgen::halfBitsToFloat(in(x)); }, 65536, vectorized, strict);
  int wrong = 0;
  for (int i = 0; i < 65536 && wrong < 5; ++i) {
    float want = hardwareFloat(uint16_t(i));
    if (std::isnan(want)) {
      // Same NaN, up to the quiet bit F16C sets.
      EXPECT_TRUE(std::isnan(out(i))) << "half 0x" << std::hex << i;
      wrong += !std::isnan(out(i)) ||
               (bitsOf(out(i)) | 0x400000u) != (bitsOf(want) | 0x400000u);
      continue;
    }
    EXPECT_EQ(bitsOf(out(i)), bitsOf(want)) << "half 0x" << std::hex << i;
    wrong += bitsOf(out(i)) != bitsOf(want);
  }
  EXPECT_EQ(wrong, 0);
}

TEST(HalfFloat, ScalarMatchesF16C) { checkAllHalves(false, false); }
TEST(HalfFloat, VectorMatchesF16C) { checkAllHalves(true, false); }
TEST(HalfFloat, StrictFloatMatchesF16C) { checkAllHalves(true, true); }

} // namespace

namespace {
using namespace Halide;
using kiln::test::hardwareFloat;
using kiln::test::hardwareHalf;

void checkRounding(bool vectorized, bool strict) {
  // Every f16 value and its neighbourhood (ties, just above and below),
  // the subnormal and overflow edges, and seeded random floats over the
  // whole exponent range.
  std::vector<float> values;
  for (uint32_t h = 0; h < 65536; ++h) {
    float f = hardwareFloat(uint16_t(h));
    if (std::isnan(f))
      continue;
    uint32_t u = bitsOf(f);
    for (int64_t d : {-4097, -4096, -4095, -1, 0, 1, 4095, 4096, 4097})
      if (int64_t(u & 0x7fffffff) + d >= 0 && int64_t(u & 0x7fffffff) + d < 0x7f800000)
        values.push_back([&] { float v; uint32_t w = uint32_t(int64_t(u) + d); std::memcpy(&v, &w, 4); return v; }());
  }
  std::mt19937 rng(5);
  for (int i = 0; i < (1 << 20); ++i) {
    uint32_t w = rng();
    float v;
    std::memcpy(&v, &w, 4);
    values.push_back(v);
  }
  int n = int(values.size());
  Buffer<float> in(n);
  for (int i = 0; i < n; ++i)
    in(i) = values[i];
  Buffer<float> out = kiln::test::evaluate(
      [&](Var x) { return kiln::kernelgen::roundToHalf(in(x)); }, n, vectorized, strict);
  int wrong = 0;
  for (int i = 0; i < n; ++i) {
    float want = hardwareFloat(hardwareHalf(in(i)));
    bool same = std::isnan(want) ? std::isnan(out(i)) : bitsOf(out(i)) == bitsOf(want);
    if (!same && wrong++ < 5)
      ADD_FAILURE() << "roundToHalf(" << in(i) << " = 0x" << std::hex << bitsOf(in(i))
                    << ") = 0x" << bitsOf(out(i)) << ", F16C 0x" << bitsOf(want);
  }
  EXPECT_EQ(wrong, 0);
}

TEST(HalfFloat, RoundingScalarMatchesF16C) { checkRounding(false, false); }
TEST(HalfFloat, RoundingVectorMatchesF16C) { checkRounding(true, false); }
TEST(HalfFloat, RoundingStrictFloatMatchesF16C) { checkRounding(true, true); }

} // namespace
