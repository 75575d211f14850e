//===- KernelBuilder.h - a kernel spec as a Halide pipeline ---------------===//
//
// Turns one KernelSpec into Halide Funcs (the algorithm) and hands the
// output to the family's schedule (Schedules.cpp). Tensors are row-major
// [d0, ..., dn-1]; Halide's dimension 0 is the innermost, so every access
// goes through `at`, which reverses the coordinates.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_TOOLS_KERNELGEN_KERNELBUILDER_H
#define KILN_TOOLS_KERNELGEN_KERNELBUILDER_H

#include "KernelSpec.h"

#include "Halide.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace kiln::kernelgen {

struct Tensor {
  Halide::Func func;
  std::vector<int64_t> shape;
  Halide::Type type;
  /// Whether the Func has update definitions (a reduction to schedule).
  bool reduction = false;
};

/// A built kernel: its arguments and output, ready to schedule and compile.
struct BuiltKernel {
  std::vector<Halide::ImageParam> inputs;
  Halide::Func output;
  std::vector<int64_t> outputShape;
  /// Funcs with update definitions, to be computed at root, with their
  /// shapes (row-major).
  std::vector<Halide::Func> reductions;
  std::vector<std::vector<int64_t>> reductionShapes;
  /// Names of matmul reductions whose right-hand operand is [N, K] (rows
  /// are output columns: LLM weights, Gemm transB).
  std::set<std::string> transposedMatmuls;
  /// Computed operands of matmul-like reductions: computed once at root
  /// rather than inlined into (and recomputed by) every accumulator tile.
  std::vector<Halide::Func> operands;
  std::vector<std::vector<int64_t>> operandShapes;
  /// An attention op's score, max, sum and weighted-sum Funcs (if any).
  std::vector<Halide::Func> attention;
  /// With an f16 cache on CPUs: the score's double sums in 8 lanes along
  /// head_dim, (lane, t, h, s, b), which the score adds up (undefined else).
  Halide::Func scoreLanes;
  /// With an f16 cache: each key's two online-softmax factors (t, h, s,
  /// b), computed once per (head, query) before the sum and weighted sum
  /// read them (undefined else).
  Halide::Func attentionSteps;
  /// With an f16 cache on CPUs: the last key any query reads (a scalar
  /// Func), then the key and value rows up to it widened to f32 (dd, t,
  /// kv head, b), once per kernel (empty else).
  std::vector<Halide::Func> attentionCache;
  /// Block-quantized matmuls accumulated in SIMD lanes: Funcs (n, lane, m)
  /// whose update runs over blocks, with their shapes [M, lanes, N].
  std::vector<Halide::Func> laneAccumulators;
  std::vector<std::vector<int64_t>> laneShapes;
  /// The integer lane sums each lane accumulator reads (same order).
  std::vector<Halide::Func> laneSums;
  /// Each lane accumulator's per-block scales (b, n, m) (same order).
  std::vector<Halide::Func> laneScales;
  /// Q6_K: each lane sum's 16-bit partial sums (lane, group, b, n, m),
  /// which its update walks group by group (undefined for other formats).
  std::vector<Halide::Func> laneQuads;
  /// Other block-quantized matmuls: `prod(n, m)` accumulates over blocks
  /// row by row; its integer block dot `dot` (Q4_0; undefined otherwise)
  /// is a vector reduction computed per block.
  struct RowMatmul {
    Halide::Func prod;
    Halide::Func dot;
    int64_t rows;
    /// Q4_K: scale-weighted pair sums (lane, b, n, m) of each block, 16
    /// lanes added up per block (undefined for other formats).
    Halide::Func pairs;
    /// Q4_0 with several activation rows (prefill): CPU schedules put
    /// eight weight rows in one vector (each row's block dot is its own
    /// contiguous reduction). For one activation row (decode) that
    /// measured no faster than walking one row at a time, so it does that.
    bool rowVectors = false;
  };
  std::vector<RowMatmul> rowMatmuls;
  /// Matmuls over weights repacked in 32-row groups (q4_0x32, q8_0x32,
  /// q4_kx32, q6_kx32), the 32 rows of a group as vector lanes.
  /// `acc(r, g, m)` accumulates row 32g + r over blocks, or with `lanes`
  /// `acc(r, j, g, m)` is ggml's f32 lane j of that row (q8_0, q6_k);
  /// `scales(r, b, g)` the rows' f16 block scales d. q4_0: `dot(r, b, g,
  /// m)` a block's integer dot (16-bit), the sum of `pairs(r, h, q, b, g,
  /// m)`, nibble h of byte pair q times its two activation quants (one
  /// pmaddubsw); q8_0: `dot(r, j, b, g, m)` the integer sum of elements
  /// 4j..4j+3 of a block. K-quants: `perBlock` Funcs (r, .., b, g)
  /// computed once per block (decoded scales), then `perRow` Funcs (r, ..,
  /// b, g, m) once per block and activation row (integer dots and their
  /// scaled sums), in order; their dims between r and b and their
  /// reductions are unrolled. q4_k: `pairs(r, u, s, b, g, m)` is byte pair
  /// u's pmaddubsw for sub-block s, computed where the first perRow Func
  /// adds it. q6_k (`lanes` and `pairs`): perBlock is the scales (r, s, b,
  /// g) in 32 bits and (e, r, s, b, g) each row's twice in 16 bits, `dot(r,
  /// j, b, g, m)` lane j's integer sum, and `pairs(p, r, j, c, b, g, m)`
  /// the pmaddubsw of elements 4j + 2p, 4j + 2p + 1 of group c. `pairs` is
  /// undefined for q8_0.
  struct GroupMatmul {
    Halide::Func acc, dot, scales, pairs;
    int64_t groups;
    bool lanes = false;
    std::vector<Halide::Func> perBlock, perRow;
    /// `dot` is a 4-element u8 x i8 reduction (BuildOptions::vnni).
    bool vnni = false;
  };
  std::vector<GroupMatmul> groupMatmuls;
  /// Float matmuls with [N, K] weights, as dot products along K (CPU
  /// targets; K and N multiples of L = BuildOptions::dotLanes):
  /// `lanes(lane, n, m..)` sums every L-th product of a row pair and
  /// `prod(n, m..)` adds the lanes up. Both operands are read along K, so
  /// the loads are contiguous vectors.
  struct DotMatmul {
    Halide::Func prod, lanes;
    int64_t rows, columns; // M, N
    int width;             // L
  };
  std::vector<DotMatmul> dotMatmuls;
};

/// What the builder may choose by target.
struct BuildOptions {
  /// Lanes of a dot-product matmul's partial sums (BuiltKernel::DotMatmul):
  /// one vector; 0 for none (GPU schedules want the plain accumulator).
  int dotLanes = 0;
  /// The kernels are emitted as OpenCL C (fused multiply-adds call fma()).
  bool openclC = false;
  /// Bits of the per-block activation quants of matmuls with Q8_0 weights:
  /// 8 (llama.cpp's Q8_0 activations) or 16 (scale amax/32767 in f32).
  int q8ActivationBits = 8;
  /// The target has AVX512-VNNI's u8 x i8 dot products (vpdpbusd): the
  /// prefill matmuls over repacked Q4_0, Q8_0 and Q4_K weights are written
  /// as 4-element u8 x i8 sums, which Halide lowers to them for its
  /// Sapphire Rapids target (main.cpp compiles those kernels through LLVM
  /// 19).
  bool vnni = false;
};

/// Builds the algorithm of `kernel`. Throws std::runtime_error naming the
/// op on anything it does not support.
BuiltKernel buildKernel(const KernelSpec &kernel, const BuildOptions &options = {});

/// The largest power of two <= `limit` that is no larger than `extent`
/// (vector widths and thread tiles no wider than a dimension).
inline int pow2AtMost(int limit, int64_t extent) {
  while (limit > 1 && limit > extent)
    limit /= 2;
  return limit;
}

/// The largest power of two <= `limit` that divides `extent`.
inline int pow2Dividing(int limit, int64_t extent) {
  while (limit > 1 && extent % limit != 0)
    limit /= 2;
  return limit;
}

/// Applies the CPU schedule of `family` (Schedules.cpp).
/// `threads`: the thread count parallel loops over rows are divided for.
void scheduleKernel(BuiltKernel &built, const std::string &family,
                    const Halide::Target &target, int threads);

/// Applies the GPU schedule of `family` (GpuSchedules.cpp).
void scheduleKernelGpu(BuiltKernel &built, const std::string &family,
                       const Halide::Target &target);

/// cast(type, e), except between bf16 and f32, done on the bits (LLVM 14's
/// NVPTX backend cannot select those conversions): exact widening, and
/// round-to-nearest-even narrowing as ggml does it.
Halide::Expr convert(Halide::Type type, Halide::Expr e);

/// The Halide type of a spec element type name.
Halide::Type halideType(const std::string &dtype);

} // namespace kiln::kernelgen

#endif // KILN_TOOLS_KERNELGEN_KERNELBUILDER_H
