//===- HalfFloat.cpp - f16 conversions as short Halide expressions --------===//
#include "HalfFloat.h"

namespace kiln::kernelgen {
using namespace Halide;

namespace {
/// A u32 constant (Halide's Expr constructors are ambiguous for unsigned).
Expr u32(uint32_t value) { return Internal::make_const(UInt(32), uint64_t(value)); }
} // namespace

Expr halfBitsToFloat(Expr bits) {
  // The half's exponent and mantissa moved into an f32's places make a
  // number 2^112 times too small (the exponent biases differ by 127 - 15);
  // the product with 2^112 is exact, for subnormal halves too. All-ones
  // exponents (inf, NaN) keep their payload under an all-ones f32 exponent.
  Expr h = cast(UInt(32), bits);
  Expr magnitude = (h & u32(0x7fff)) << 13;
  Expr finite = reinterpret(Float(32), magnitude) * 5.192296858534828e33f; // 2^112
  Expr special = reinterpret(Float(32), magnitude | u32(0x7f800000u));
  Expr value = select((h & u32(0x7c00)) == u32(0x7c00), special, finite);
  return reinterpret(Float(32), reinterpret(UInt(32), value) | ((h & u32(0x8000)) << 16));
}

Expr halfToFloat(Expr half) { return halfBitsToFloat(reinterpret(UInt(16), half)); }

Expr roundToHalf(Expr value) {
  Expr bits = reinterpret(UInt(32), cast(Float(32), value));
  Expr sign = bits & u32(0x80000000u);
  Expr magnitude = bits & u32(0x7fffffffu);
  // f16 normal range: drop 13 of the 23 mantissa bits, rounding half to
  // even (a carry into the exponent is the right result).
  Expr rounded = (magnitude + u32(0xfffu) + ((magnitude >> 13) & u32(1))) & u32(0x7fffe000u);
  Expr inf = u32(0x7f800000u);
  Expr normal = select(rounded > u32(0x477fe000u), inf, rounded); // beyond 65504
  // Below 2^-14 (f16 subnormals): multiples of 2^-24. Adding 0.75 (whose
  // ulp is 2^-24) rounds there, half to even; subtracting it is exact
  // (strict: fast math would cancel the two).
  Expr tiny = strict_float(reinterpret(Float(32), magnitude) + 0.75f);
  Expr subnormal = reinterpret(UInt(32), strict_float(tiny - 0.75f));
  Expr result = select(magnitude < u32(0x38800000u), subnormal, normal);
  // NaN stays NaN (quiet); the sign comes back, -0 included.
  result = select(magnitude > inf, magnitude | u32(0x400000u), result);
  return reinterpret(Float(32), result | sign);
}

} // namespace kiln::kernelgen
