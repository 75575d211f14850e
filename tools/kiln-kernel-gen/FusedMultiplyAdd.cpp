//===- FusedMultiplyAdd.cpp - a * b + c with one rounding, in Halide 14 ---===//
#include "FusedMultiplyAdd.h"

namespace kiln::kernelgen {
using namespace Halide;

Expr fusedMultiplyAdd(Expr a, Expr b, Expr c, bool openclC) {
  // A pure extern call: Halide scalarizes it in vector code and LLVM's
  // vectorizer turns the per-lane intrinsic calls back into vfmadd/fmla.
  return Internal::Call::make(Float(32), openclC ? "fma" : "llvm.fma.f32",
                              {cast(Float(32), a), cast(Float(32), b), cast(Float(32), c)},
                              Internal::Call::PureExtern);
}

} // namespace kiln::kernelgen
