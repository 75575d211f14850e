//===- HalfFloat.h - f16 conversions as short Halide expressions ----------===//
//
// Halide 14 converts halves in software (it never emits F16C's vcvtph2ps),
// with a long sequence of compares and selects. Kernels that read f16 data
// in their inner loops (the block scales of quantized weights, f16 KV
// caches) use these shorter exact forms instead. test/unit/HalfFloatTest.cpp
// checks them against the CPU's F16C instructions on every half.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_TOOLS_KERNELGEN_HALFFLOAT_H
#define KILN_TOOLS_KERNELGEN_HALFFLOAT_H

#include <Halide.h>

namespace kiln::kernelgen {

/// The f16 whose bits are `bits` (an unsigned integer expression), as f32,
/// exactly: subnormals, infinities and NaN payloads included.
Halide::Expr halfBitsToFloat(Halide::Expr bits);

/// An f16 expression as f32, exactly (halfBitsToFloat of its bits).
Halide::Expr halfToFloat(Halide::Expr half);

/// An f32 expression rounded to the nearest f16 (ties to even, overflow to
/// infinity, f16 subnormals included) and returned as f32: what a cast to
/// f16 and back computes, as F16C's vcvtps2ph / vcvtph2ps do it.
Halide::Expr roundToHalf(Halide::Expr value);

} // namespace kiln::kernelgen

#endif
