//===- HalideJit.h - evaluate a kernel-gen expression with Halide's JIT ---===//
#ifndef KILN_TEST_UNIT_HALIDEJIT_H
#define KILN_TEST_UNIT_HALIDEJIT_H

#include <Halide.h>

#include <functional>

namespace kiln::test {

/// body(x) for x in [0, n), JIT-compiled for this machine: scalar or
/// vectorized 16 wide, with or without strict_float.
inline Halide::Buffer<float> evaluate(const std::function<Halide::Expr(Halide::Var)> &body,
                                      int n, bool vectorized, bool strict) {
  Halide::Var x("x");
  Halide::Func f("f");
  f(x) = body(x);
  if (vectorized)
    f.vectorize(x, 16);
  Halide::Target target = Halide::get_jit_target_from_environment();
  if (strict)
    target = target.with_feature(Halide::Target::StrictFloat);
  return f.realize({n}, target);
}

} // namespace kiln::test

#endif
