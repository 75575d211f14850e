//===- FusedMultiplyAddTest.cpp - kernel-gen's fma against std::fma -------===//
//
// kiln::kernelgen::fusedMultiplyAdd (tools/kiln-kernel-gen/) JIT-compiled
// by Halide, scalar and vectorized, with and without strict_float, on
// seeded random triples (with cancellation-prone ones, where a multiply
// then an add would round differently) against C++'s std::fma.
//
//===----------------------------------------------------------------------===//
#include "FusedMultiplyAdd.h"
#include "HalideJit.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>

namespace {
using namespace Halide;

uint32_t bitsOf(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

void checkAgainstStd(bool vectorized, bool strict) {
  const int n = 1 << 16;
  Buffer<float> a(n), b(n), c(n);
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> uniform(-4.0f, 4.0f);
  for (int i = 0; i < n; ++i) {
    a(i) = uniform(rng);
    b(i) = uniform(rng);
    // Every other c nearly cancels a * b: the product's rounding shows.
    c(i) = i % 2 ? -(a(i) * b(i)) * (1.0f + uniform(rng) * 1e-6f) : uniform(rng);
  }
  Buffer<float> out = kiln::test::evaluate(
      [&](Var x) { return kiln::kernelgen::fusedMultiplyAdd(a(x), b(x), c(x)); }, n,
      vectorized, strict);
  int wrong = 0, differsFromTwoRoundings = 0;
  for (int i = 0; i < n; ++i) {
    float want = std::fma(a(i), b(i), c(i));
    wrong += bitsOf(out(i)) != bitsOf(want);
    float twoRoundings = a(i) * b(i);
    twoRoundings += c(i);
    differsFromTwoRoundings += bitsOf(twoRoundings) != bitsOf(want);
  }
  EXPECT_EQ(wrong, 0);
  // The data would catch a multiply and a separate add.
  EXPECT_GT(differsFromTwoRoundings, n / 8);
}

TEST(FusedMultiplyAdd, ScalarMatchesStdFma) { checkAgainstStd(false, false); }
TEST(FusedMultiplyAdd, VectorMatchesStdFma) { checkAgainstStd(true, false); }
TEST(FusedMultiplyAdd, StrictFloatMatchesStdFma) { checkAgainstStd(true, true); }

} // namespace
