//===- FusedMultiplyAdd.h - a * b + c with one rounding, in Halide 14 -----===//
//
// ggml accumulates with FMA instructions (one rounding); kiln's LLM kernels
// must round the same way for their logits to agree. Halide 14 has no fma
// operator and, under strict_float, never contracts a multiply and an add,
// so this calls the fused operation by name: LLVM's llvm.fma.f32 intrinsic
// on LLVM-compiled targets (x86 and ARM CPUs, CUDA), which LLVM lowers to
// FMA instructions and vectorizes, or OpenCL C's fma(). A double-precision
// emulation (exact product, one f64 add, then rounding to f32) cost about a
// third of the quantized decode time. test/unit/FusedMultiplyAddTest.cpp
// compares it with std::fma.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_TOOLS_KERNELGEN_FUSEDMULTIPLYADD_H
#define KILN_TOOLS_KERNELGEN_FUSEDMULTIPLYADD_H

#include <Halide.h>

namespace kiln::kernelgen {

/// a * b + c for f32 expressions, rounded once. `openclC`: the kernel is
/// emitted as OpenCL C (which has fma() but no LLVM intrinsics).
Halide::Expr fusedMultiplyAdd(Halide::Expr a, Halide::Expr b, Halide::Expr c,
                              bool openclC = false);

} // namespace kiln::kernelgen

#endif
