//===- HalfFloat.cpp - f16 conversions as short Halide expressions --------===//
#include "HalfFloat.h"

namespace kiln::kernelgen {
using namespace Halide;

Expr halfBitsToFloat(Expr bits) {
  // The half's exponent and mantissa moved into an f32's places make a
  // number 2^112 times too small (the exponent biases differ by 127 - 15);
  // the product with 2^112 is exact, for subnormal halves too. All-ones
  // exponents (inf, NaN) keep their payload under an all-ones f32 exponent.
  Expr h = cast(UInt(32), bits);
  Expr specialExponent = cast(UInt(32), 0x7c00);
  Expr magnitude = (h & 0x7fffu) << 13;
  Expr finite = reinterpret(Float(32), magnitude) * 5.192296858534828e33f; // 2^112
  Expr special = reinterpret(Float(32), magnitude | 0x7f800000u);
  Expr value = select((h & specialExponent) == specialExponent, special, finite);
  return reinterpret(Float(32), reinterpret(UInt(32), value) | ((h & 0x8000u) << 16));
}

} // namespace kiln::kernelgen
