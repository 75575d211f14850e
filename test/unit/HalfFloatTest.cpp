//===- HalfFloatTest.cpp - kernel-gen's f16 conversion against F16C -------===//
//
// kiln::kernelgen::halfBitsToFloat (tools/kiln-kernel-gen/HalfFloat.cpp) is
// the f16 -> f32 conversion generated kernels use for block scales. It is
// JIT-compiled by Halide here, vectorized and scalar, with and without
// strict_float, and compared with the CPU's vcvtph2ps on all 65536 halves.
//
//===----------------------------------------------------------------------===//
#include "HalfFloat.h"
#include "HardwareHalf.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>

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
  Var x("x");
  Func f("f");
  f(x) = kiln::kernelgen::halfBitsToFloat(in(x));
  if (vectorized)
    f.vectorize(x, 16);
  Target target = get_jit_target_from_environment();
  if (strict)
    target = target.with_feature(Target::StrictFloat);
  Buffer<float> out = f.realize({65536}, target);
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
