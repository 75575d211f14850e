//===- GpuSchedules.cpp - GPU schedules of generated kernels, by family ---===//
//
// The one place that decides how kernels run on GPUs (Halide's CUDA
// backend), family by family as Schedules.cpp does for CPUs:
//
// Every Func computed at root becomes its own GPU kernel: threads over its
// two innermost dimensions in tiles of up to 256, blocks over the tiles and
// over the fused outer dimensions.
//
// matmul family (one reduction): 16x16-ish output tiles per block (fewer
// rows when there are fewer, then wider along the columns; tiles divide the
// output, else no staging), one output per
// thread; the reduction is split into steps of 16 and, at each step, the
// block stages the slices of both operands it needs in shared memory
// (cooperative loads by the block's threads) before the threads multiply
// and add from there.
//
// quantized matmuls: one thread per output (and per lane of the Q8_0/Q6_K
// lane accumulators), walking its blocks in order; a block's integer dot
// is computed in registers inside the thread.
//
// reductions (norm and softmax statistics, sums over a row): one warp per
// row: the row is split over the 32 lanes (rfactor), the lanes' partial
// results are combined with warp shuffles, and the row's value is written
// by the block (through shared memory for 64-bit sums and on GPU APIs
// without warp shuffles, such as OpenCL). Reductions Halide cannot factor (scans, non-associative
// updates) run one thread per row.
//
// attention: one block per (query, head); the query row, the scores over
// the keys the query sees and the weighted sum live in shared memory; the
// score and output loops are spread over the block's threads, the max and
// sum run once per block.
//
//===----------------------------------------------------------------------===//
#include "KernelBuilder.h"

#include <map>
#include <stdexcept>
#include <optional>

namespace kiln::kernelgen {
using namespace Halide;

namespace {
/// Whether update `u` of `f` writes at f's own pure variables (so its
/// points are independent and can be spread over threads).
bool updateIsPointwise(const Func &f, int u) {
  std::vector<Expr> args = f.update_args(u);
  std::vector<Var> pure = f.args();
  if (args.size() != pure.size())
    return false;
  for (size_t i = 0; i < args.size(); ++i) {
    const Internal::Variable *v = args[i].as<Internal::Variable>();
    if (!v || v->name != pure[i].name())
      return false;
  }
  return true;
}

/// Fuses vars[from..] into one var (the outermost loops), returned.
Var fuseOuter(Stage stage, const std::vector<Var> &vars, size_t from) {
  Var outer = vars[from];
  for (size_t i = from + 1; i < vars.size(); ++i) {
    Var fused(vars[i].name() + "_f");
    stage.fuse(outer, vars[i], fused);
    outer = fused;
  }
  return outer;
}

/// Threads over the two innermost dimensions (tiles of up to 256), blocks
/// over the tiles and the other dimensions. `shape` is row-major.
void gpuTile(Stage stage, const std::vector<Var> &vars,
             const std::vector<int64_t> &shape) {
  if (vars.empty()) {
    stage.gpu_single_thread();
    return;
  }
  int64_t inner = shape.empty() ? 1 : shape.back();
  Var bx("bx"), tx("tx"), by("by"), ty("ty");
  if (vars.size() == 1) {
    stage.gpu_tile(vars[0], bx, tx, pow2AtMost(256, inner), TailStrategy::GuardWithIf);
    return;
  }
  int64_t second = shape.size() >= 2 ? shape[shape.size() - 2] : 1;
  int wx = pow2AtMost(32, inner);
  int wy = pow2AtMost(256 / wx, second);
  stage.gpu_tile(vars[0], vars[1], bx, by, tx, ty, wx, wy, TailStrategy::GuardWithIf);
  if (vars.size() > 2)
    stage.gpu_blocks(fuseOuter(stage, vars, 2));
}

/// A Func computed at root with every stage on the GPU: pointwise updates
/// tiled like the pure definition, other updates in one GPU thread.
void gpuRoot(Func f, const std::vector<int64_t> &shape) {
  f.compute_root();
  gpuTile(f, f.args(), shape);
  for (int u = 0; u < f.num_update_definitions(); ++u) {
    if (updateIsPointwise(f, u))
      gpuTile(f.update(u), f.args(), shape);
    else
      f.update(u).gpu_single_thread();
  }
}

/// The constant extent of the only reduction variable of update `u`.
std::optional<int64_t> reductionExtent(const Func &f, int u) {
  const std::vector<Internal::ReductionVariable> &rvars =
      f.function().update(u).schedule().rvars();
  if (rvars.size() != 1)
    return std::nullopt;
  if (const int64_t *v = Internal::as_const_int(rvars[0].extent))
    return *v;
  return std::nullopt;
}

/// matmul-like accumulator f(n, m, batch...) += A(k, m) * B(n, k): tiles
/// of threads, the reduction in steps of `tk` with both operands' slices
/// staged in shared memory.
void gpuMatmul(Func f, const std::vector<int64_t> &shape) {
  std::vector<Var> args = f.args();
  std::optional<int64_t> K = reductionExtent(f, 0);
  int tk = 16;
  while (K && tk > 1 && *K % tk != 0)
    tk /= 2;
  // Tiles that divide the output: slices staged inside a guarded partial
  // tile would still be loaded whole, past the ends of the operands.
  int64_t columns = shape.back(), rows = shape[shape.size() - 2];
  int tm = pow2Dividing(16, rows);
  int tn = pow2Dividing(256 / tm, columns);
  if (!K || tk < 4 || !updateIsPointwise(f, 0) || (tn < 16 && columns >= 16)) {
    // Convolutions (several reduction variables), odd depths: one thread
    // per output, no staging.
    gpuRoot(f, shape);
    return;
  }
  f.compute_root();
  gpuTile(f, args, shape); // the pure definition (zero or bias)
  RVar k = f.rvars(0)[0];
  Stage update = f.update(0);
  Var no("no"), mo("mo"), ni("ni"), mi("mi");
  RVar ko("ko"), ki("ki");
  update.split(k, ko, ki, tk, TailStrategy::GuardWithIf)
      .tile(args[0], args[1], no, mo, ni, mi, tn, tm, TailStrategy::GuardWithIf);
  std::vector<VarOrRVar> order{ki, ni, mi, ko, no, mo};
  for (size_t i = 2; i < args.size(); ++i)
    order.push_back(args[i]);
  update.reorder(order).gpu_threads(ni, mi).gpu_blocks(no, mo);
  if (args.size() > 2)
    update.gpu_blocks(fuseOuter(update, args, 2));
  // Everything the update reads directly (operands computed at root,
  // inputs, constants), staged per reduction step; not when the pure
  // definition reads them too (it runs outside the staging loop).
  bool pureReads = false;
  Tuple values = f.values();
  for (const Expr &value : values.as_vector())
    pureReads |= !Internal::is_const(value);
  if (pureReads)
    return;
  for (auto &[name, function] : Internal::find_direct_calls(f.function())) {
    if (name == f.name() || function.dimensions() < 2)
      continue;
    Func staged = Func(function).in(f);
    std::vector<Var> sv = staged.args();
    Var sx("sx"), sy("sy"), sxo("sxo"), syo("syo");
    staged.compute_at(f, ko)
        .tile(sv[0], sv[1], sxo, syo, sx, sy, tn, tm, TailStrategy::GuardWithIf)
        .gpu_threads(sx, sy);
  }
}

/// A reduction over one constant RVar of >= 64 elements, per row: one warp
/// per row. Returns false (schedule untouched beyond a split) when Halide
/// cannot factor it.
bool gpuWarpReduction(Func f, const std::vector<int64_t> &shape, bool shuffles) {
  if (f.num_update_definitions() != 1 || f.args().empty() ||
      !updateIsPointwise(f, 0) || f.rvars(0).size() != 1)
    return false;
  RVar r = f.rvars(0)[0];
  std::optional<int64_t> extent = reductionExtent(f, 0);
  if (!extent || *extent < 64)
    return false;
  Func intermediate;
  RVar ro("ro"), ri("ri");
  Var lane("lane");
  try {
    intermediate = f.update(0).split(r, ro, ri, 32, TailStrategy::GuardWithIf).rfactor(ri, lane);
  } catch (const Halide::Error &) {
    return false;
  }
  f.compute_root();
  gpuTile(f, f.args(), shape);
  Stage update = f.update(0);
  std::vector<Var> args = f.args();
  Var row = args.size() == 1 ? args[0] : fuseOuter(update, args, 0);
  update.gpu_blocks(row);
  // Halide shuffles 32-bit values only (LLM norms sum in f64).
  for (const Type &t : f.output_types())
    shuffles &= t.bits() <= 32;
  if (shuffles) { // CUDA: the lanes' partials stay in registers
    intermediate.compute_at(f, row).store_in(MemoryType::Register).gpu_lanes(lane);
    intermediate.update(0).gpu_lanes(lane);
  } else { // other GPU APIs: through shared memory
    intermediate.compute_at(f, row).gpu_threads(lane);
    intermediate.update(0).gpu_threads(lane);
  }
  return true;
}
} // namespace

void scheduleKernelGpu(BuiltKernel &built, const std::string &family,
                       const Target &target) {
  for (size_t i = 0; i < built.operands.size(); ++i)
    gpuRoot(built.operands[i], built.operandShapes[i]);
  // Quantized matmuls: one thread per output (and lane); the integer lane
  // sums and block dots live in the thread's registers.
  for (size_t i = 0; i < built.laneAccumulators.size(); ++i) {
    Func &f = built.laneAccumulators[i];
    gpuRoot(f, built.laneShapes[i]);
    built.laneSums[i].compute_at(f, f.rvars(0)[0]);
    if (built.laneQuads[i].defined())
      built.laneQuads[i].compute_at(built.laneSums[i], built.laneSums[i].rvars(0)[0]);
  }
  if (!built.groupMatmuls.empty())
    throw std::runtime_error("weights repacked in 32-row groups (for x86 CPUs) have no GPU "
                             "schedule; compile GPU targets without kiln-repack-weights");
  for (BuiltKernel::RowMatmul &rm : built.rowMatmuls) {
    std::vector<int64_t> shape = {1, rm.rows};
    gpuRoot(rm.prod, shape);
    if (rm.dot.defined())
      rm.dot.compute_at(rm.prod, rm.prod.rvars(0)[0]);
    if (rm.pairs.defined())
      rm.pairs.compute_at(rm.prod, rm.prod.rvars(0)[0]);
  }
  for (size_t i = 0; i < built.reductions.size(); ++i) {
    Func &f = built.reductions[i];
    const std::vector<int64_t> &shape = built.reductionShapes[i];
    if (family == "matmul" && f.num_update_definitions() == 1 && shape.size() >= 2) {
      gpuMatmul(f, shape);
      continue;
    }
    if (!gpuWarpReduction(f, shape, target.has_feature(Target::CUDA)))
      gpuRoot(f, shape);
  }
  if (built.attention.size() >= 4) {
    std::vector<Var> args = built.output.args(); // dd, h, s, b
    int64_t D = built.outputShape.back();
    int td = pow2AtMost(256, D);
    Var hs("hs"), ddo("ddo"), ddi("ddi");
    built.output.compute_root()
        .fuse(args[1], args[2], hs)
        .split(args[0], ddo, ddi, td, TailStrategy::GuardWithIf)
        .reorder(ddi, ddo, hs, args[3])
        .gpu_threads(ddi)
        .gpu_blocks(hs, args[3]);
    // The scores over the keys: threads over keys, each a dot over head_dim.
    Func &score = built.attention[0];
    Var t = score.args()[0], to("to"), ti("ti");
    score.compute_at(built.output, hs)
        .split(t, to, ti, 128, TailStrategy::GuardWithIf)
        .gpu_threads(ti);
    score.update(0).split(t, to, ti, 128, TailStrategy::GuardWithIf).gpu_threads(ti);
    // The max (or running max) and the sum: once per block.
    for (size_t i = 1; i < 3; ++i)
      built.attention[i].compute_at(built.output, hs);
    if (built.attentionSteps.defined())
      built.attentionSteps.compute_at(built.output, hs);
    // The weighted sum over values: threads over head_dim.
    Func &num = built.attention[3];
    Var nd = num.args()[0], no("no"), ni("ni");
    num.compute_at(built.output, hs)
        .split(nd, no, ni, td, TailStrategy::GuardWithIf)
        .gpu_threads(ni);
    num.update(0).split(nd, no, ni, td, TailStrategy::GuardWithIf).gpu_threads(ni);
    for (size_t i = 4; i < built.attention.size(); ++i) { // the query row
      Func &q = built.attention[i];
      Var qd = q.args()[0], qo("qo"), qi("qi");
      q.compute_at(built.output, hs)
          .split(qd, qo, qi, td, TailStrategy::GuardWithIf)
          .gpu_threads(qi);
    }
    return;
  }
  built.output.compute_root();
  gpuTile(built.output, built.output.args(), built.outputShape);
}

} // namespace kiln::kernelgen
