//===- Schedules.cpp - CPU schedules of generated kernels, by family ------===//
//
// The one place that decides how kernels run on CPUs.
//
// matmul family (matmul, conv): the accumulator is tiled as vectors of the
// output's innermost dimension times up to 4 rows; the reduction runs inside
// the tile so partial sums stay in registers, and tiles are spread over the
// threads along whichever of rows or columns has more of them. Fused
// elementwise operands (a GELU before a projection) are computed once at
// root instead of once per tile. Float matmuls with [N, K] weights (LLM
// projections, Gemm transB) are dot products along K instead: a block of
// vector-width outputs accumulates its lane sums in registers with every
// load a contiguous vector, then adds the lanes up across the block.
//
// Matrix-vector products over weight rows (quantized matmuls, dot-product
// matmuls) give each thread one contiguous run of rows (--kernel-threads),
// which the hardware prefetchers follow; quantized ones walk a few rows per
// step so their multiply-add chains overlap, float ones one row at a time.
// Matrix-vector products with [K, N] weights give each thread a run of K
// (whole weight rows) and add the threads' partial rows at the end.
//
// attention: one task per (query, head): its scores, max, sum and weighted
// sum are computed there, over only the keys that query sees; the output
// row is vectorized along head_dim.
//
// Every other family: reductions (norm and softmax statistics, sums) are
// computed at root, vectorized along their innermost dimension and parallel
// along their outermost; elementwise work is inlined into the output, which
// is vectorized (no wider than its rows) and parallel the same way.
//
//===----------------------------------------------------------------------===//
#include "KernelBuilder.h"

#include <algorithm>

namespace kiln::kernelgen {
using namespace Halide;

namespace {
/// Vectorizes `stage` along its innermost var and parallelizes the
/// outermost (when there are two or more).
template <typename Stage>
void vectorizeAndParallelize(Stage stage, const std::vector<Var> &args,
                             int lanes) {
  if (args.empty())
    return;
  stage.vectorize(args.front(), lanes, TailStrategy::GuardWithIf);
  if (args.size() >= 2)
    stage.parallel(args.back());
}

/// Rows per task when `rows` rows are split into one contiguous run per
/// thread, a multiple of 4: each thread streams one stretch of the weights,
/// which the hardware prefetchers follow (interleaved 16-row tasks measured
/// 30% slower on quantized decode).
int rowsPerThread(int64_t rows, int threads) {
  int64_t per = (rows + threads - 1) / threads;
  return int(std::max<int64_t>(4, (per + 3) / 4 * 4));
}

/// A matrix-vector product with [K, N] weights, split along K (rfactor):
/// each thread takes one contiguous run of K, reads its weight rows whole
/// and front to back into its partial output row (in cache), and the
/// partial rows are then added. Every thread streams one stretch of
/// memory; walking each row in 8 column runs (below) had every thread
/// touch a new page at every row, and ran GPT-2 small at sequence 1 at
/// half the bandwidth (20 ms -> 11 ms). Returns false when K is not a
/// known constant or too short to split.
bool scheduleSplitK(Func f, int width, int threads) {
  std::vector<Var> args = f.args(); // n, rows, batch..
  RVar k = f.rvars(0)[0];
  const auto &domain = f.function().update(0).schedule().rvars();
  const int64_t *K = domain.size() == 1 ? Internal::as_const_int(domain[0].extent) : nullptr;
  if (!K || *K < 2 * threads)
    return false;
  RVar ko("ko"), ki("ki");
  Var u("u"), xo("xo"), xi("xi");
  Func partial = f.update(0).split(k, ko, ki, int((*K + threads - 1) / threads)).rfactor(ko, u);
  partial.compute_root().vectorize(args[0], width, TailStrategy::GuardWithIf);
  Stage walk = partial.update(0);
  walk.split(args[0], xo, xi, width, TailStrategy::GuardWithIf);
  // The (fewer than 4) activation rows inside the walk over weight rows,
  // batch dimensions (other matrices) outside it.
  std::vector<VarOrRVar> order{xi, xo};
  if (args.size() >= 2)
    order.push_back(args[1]);
  order.push_back(ki);
  for (size_t i = 2; i < args.size(); ++i)
    order.push_back(args[i]);
  order.push_back(u);
  walk.reorder(order).vectorize(xi).parallel(u);
  f.vectorize(args[0], width, TailStrategy::GuardWithIf);
  f.update(0).vectorize(args[0], width, TailStrategy::GuardWithIf);
  return true;
}

/// Register-tiled accumulation for matmul-like reductions.
void scheduleAccumulator(Func f, const std::vector<int64_t> &shape, int lanes,
                         bool transposed, int threads) {
  std::vector<Var> args = f.args(); // innermost first
  f.compute_root();
  if (args.empty())
    return;
  int64_t columns = shape.back();
  int64_t rows = shape.size() >= 2 ? shape[shape.size() - 2] : 1;
  int width = pow2AtMost(lanes, columns);
  bool tileRows = args.size() >= 2 && rows >= 4;
  if (!tileRows && !transposed && f.rvars(0).size() == 1 && columns >= 16 * width &&
      scheduleSplitK(f, width, threads))
    return;
  f.vectorize(args[0], width, TailStrategy::GuardWithIf);
  Stage update = f.update(0);
  Var xo("xo"), xi("xi"), yo("yo"), yi("yi"), xg("xg"), xv("xv");
  // Row tiles hold several vectors per row: 4 x groups independent
  // accumulators keep both FMA ports busy through their latency (3 where
  // there are 32 vector registers, as with AVX-512; 2 with AVX2's 16).
  int maxGroups = lanes >= 16 ? 3 : 2;
  int groups = tileRows && columns >= int64_t(maxGroups) * width ? maxGroups : 1;
  update.split(args[0], xo, xi, width * groups, TailStrategy::GuardWithIf);
  std::vector<VarOrRVar> order{xi};
  if (groups > 1) {
    update.split(xi, xg, xv, width);
    order = {xv, xg};
  }
  if (tileRows) {
    update.split(args[1], yo, yi, 4, TailStrategy::GuardWithIf);
    order.push_back(yi);
  }
  int64_t stripes = (columns + width * groups - 1) / (width * groups);
  // Matrix-vector with [K, N] weights where K is not a known constant (else
  // split along K above): walked row by row (each thread its run of every
  // row, 8 runs in all) with the outputs' partial sums in cache, instead of
  // column stripes that touch a new page at every step. ([N, K] weights
  // keep the stripes: there a stripe's rows are the weight rows, read
  // along; the row walk measured slower.)
  bool rowWalk = !tileRows && !transposed && f.rvars(0).size() == 1 && stripes >= 16;
  Var xoo("xoo"), xoi("xoi");
  if (rowWalk) {
    update.split(xo, xoo, xoi, int((stripes + 7) / 8), TailStrategy::GuardWithIf);
    order.push_back(xoi);
  }
  for (const RVar &r : f.rvars(0))
    order.push_back(r);
  // All row tiles of a column stripe in turn: the stripe of the right-hand
  // operand (K x width x groups) is read from memory once and then from
  // cache, instead of once per row tile.
  if (tileRows)
    order.push_back(yo);
  order.push_back(rowWalk ? xoo : xo);
  for (size_t i = tileRows ? 2 : 1; i < args.size(); ++i)
    order.push_back(args[i]);
  update.reorder(order).vectorize(groups > 1 ? xv : xi);
  if (groups > 1)
    update.unroll(xg);
  if (tileRows)
    update.unroll(yi);
  // Threads over column stripes (row runs) when there are enough, else
  // over rows.
  if (rowWalk)
    update.parallel(xoo);
  else if (tileRows && stripes < 8 && rows >= 8)
    update.parallel(yo);
  else
    update.parallel(xo);
}
} // namespace

void scheduleKernel(BuiltKernel &built, const std::string &family,
                    const Target &target, int threads) {
  const int lanes = target.natural_vector_size(Float(32));
  for (size_t i = 0; i < built.operands.size(); ++i) {
    Func &f = built.operands[i];
    f.compute_root();
    // A width that divides the innermost extent: the per-block activation
    // scales of a one-row matmul with an odd number of blocks (3, 5) came
    // out wrong with a guarded vector tail (Halide 14).
    int64_t extent = built.operandShapes[i].empty() ? 1 : built.operandShapes[i].back();
    int width = pow2Dividing(pow2AtMost(lanes, extent), extent);
    vectorizeAndParallelize(f, f.args(), width);
  }
  // Lane accumulators (Q8_0 matmuls): the eight lanes are one vector; each
  // output row walks its blocks in order; rows are spread over threads.
  for (size_t i = 0; i < built.laneAccumulators.size(); ++i) {
    Func &f = built.laneAccumulators[i];
    std::vector<Var> args = f.args(); // n, lane, m
    int64_t rows = built.laneShapes[i].back();
    f.compute_root();
    f.reorder_storage(args[1], args[0], args[2]); // a row's lanes contiguous
    f.reorder(args[1], args[0], args[2]).vectorize(args[1]);
    Var no("no"), ni("ni");
    Stage update = f.update(0);
    std::vector<VarOrRVar> order{args[1]};
    for (const RVar &r : f.rvars(0))
      order.push_back(r);
    order.push_back(args[0]);
    order.push_back(args[2]);
    update.reorder(order).vectorize(args[1]);
    // Four rows per step: independent accumulation chains hide the latency
    // of each block's multiply-add. A prefill chunk's activation rows are
    // walked inside each step, so the step's weights are read once.
    Var nr("nr"), nq("nq");
    Func &scales = built.laneScales[i];
    if (rows >= 32) {
      update.split(args[0], no, ni, rowsPerThread(rows, threads), TailStrategy::GuardWithIf)
          .parallel(no);
      update.split(ni, nq, nr, 4, TailStrategy::GuardWithIf)
          .reorder(args[1], nr, f.rvars(0)[0], args[2], nq, no)
          .unroll(nr);
      scales.compute_at(f, nq);
    } else {
      scales.compute_at(f, args[0]);
    }
    // The step's rows' block scales, as vectors along the blocks, before
    // the blocks are walked (so the walk only broadcasts them).
    scales.vectorize(scales.args()[0], lanes, TailStrategy::GuardWithIf);
    Func &lane = built.laneSums[i];
    lane.compute_at(f, args[1]);
    lane.vectorize(lane.args()[0]);
    Func &quad = built.laneQuads[i];
    if (quad.defined()) { // Q6_K: groups in turn, each a 32-element vector
      lane.update(0).vectorize(lane.args()[0]);
      quad.compute_at(lane, lane.rvars(0)[0]).vectorize(quad.args()[0]);
      quad.update(0).atomic().vectorize(quad.rvars(0)[0]).vectorize(quad.args()[0]);
    } else {
      lane.update(0).atomic().vectorize(lane.rvars(0)[0]).vectorize(lane.args()[0]);
    }
  }
  // Row-wise quantized matmuls: each output walks its blocks in order (the
  // float sum stays in llama.cpp's order); a block's integer dot is one
  // vector reduction over its contiguous quants; rows over threads.
  for (BuiltKernel::RowMatmul &rm : built.rowMatmuls) {
    Func &f = rm.prod;
    std::vector<Var> args = f.args(); // n, m
    f.compute_root();
    f.vectorize(args[0], pow2AtMost(lanes, rm.rows), TailStrategy::GuardWithIf);
    Stage update = f.update(0);
    RVar rb = f.rvars(0)[0];
    Var no("no"), ni("ni");
    update.reorder(rb, args[0], args[1]);
    if (rm.rows >= 32)
      update.split(args[0], no, ni, rowsPerThread(rm.rows, threads), TailStrategy::GuardWithIf)
          .parallel(no);
    bool rowVectors = rm.rowVectors && rm.rows >= 32;
    const int kRowVector = 8;
    if (rowVectors) {
      // Q4_0 prefill: eight rows per step as the lanes of one vector:
      // their block dots reduced together (one shuffle tree for eight rows
      // instead of a horizontal sum each) and their multiply-adds one
      // vector FMA; the chunk's activation rows walked inside each step.
      Var nq("nq"), nr("nr");
      update.split(ni, nq, nr, kRowVector, TailStrategy::GuardWithIf)
          .reorder(nr, rb, args[1], nq, no)
          .vectorize(nr);
    }
    if (rm.dot.defined()) { // each block's dot one vector reduction
      Func &dot = rm.dot;
      dot.compute_at(f, rb);
      RVar r = dot.rvars(0)[0];
      if (rowVectors) {
        Var n = dot.args()[1];
        dot.vectorize(n, kRowVector, TailStrategy::GuardWithIf);
        dot.update(0).reorder(r, n).atomic().vectorize(r).vectorize(n, kRowVector,
                                                                    TailStrategy::GuardWithIf);
      } else {
        dot.update(0).atomic().vectorize(r);
      }
    }
    if (rm.pairs.defined()) { // sub-blocks in turn, each 32 products in 16 lanes
      Func &p = rm.pairs;
      Var u = p.args()[0];
      std::vector<RVar> r = p.rvars(0); // element of the pair, sub-block
      p.compute_at(f, rb).vectorize(u);
      p.update(0).reorder(r[0], u, r[1]).atomic().vectorize(r[0]).vectorize(u);
    }
  }
  // Weights in 32-row groups (q4_0x32, q8_0x32, q4_kx32, q6_kx32): the 32 rows of a group
  // are the lanes of every vector; each thread walks one run of groups, and
  // each group's bytes in order (one forward stream); a prefill chunk's
  // activation rows are walked inside each block.
  // A byte pair's pmaddubsw of 32 rows (Q4_0, Q4_K), computed inside the
  // loop `at` of the Func that adds it: the pair's two bytes reduced as one
  // vector (atomic(true): Halide cannot prove a saturating add associative;
  // a sum of two terms that cannot saturate is), its nibbles unrolled.
  auto schedulePairs = [](Func &pairs, Func &user, RVar at) {
    std::vector<Var> a = pairs.args(); // r, nibble or byte pair, ...
    RVar e = pairs.rvars(0)[0];
    pairs.compute_at(user, at).vectorize(a[0], 32).unroll(a[1]);
    pairs.update(0).reorder(e, a[0], a[1]).atomic(true).vectorize(e).vectorize(a[0], 32)
        .unroll(a[1]);
  };
  for (BuiltKernel::GroupMatmul &gm : built.groupMatmuls) {
    Func &acc = gm.acc, &dot = gm.dot;
    std::vector<Var> args = acc.args(); // r, [j,] g, m
    Var r = args[0], g = args[args.size() - 2], m = args.back();
    RVar rb = acc.rvars(0)[0];
    acc.compute_root().vectorize(r, 16);
    Var go("go"), gi("gi");
    int perThread = int(std::max<int64_t>(1, (gm.groups + threads - 1) / threads));
    Stage update = acc.update(0);
    if (gm.lanes) // Q8_0, Q6_K: the eight lanes of 32 rows, sixteen registers
      update.reorder(r, args[1], m, rb, g).unroll(args[1]);
    else
      update.reorder(r, m, rb, g);
    update.vectorize(r, 32).split(g, go, gi, perThread, TailStrategy::GuardWithIf).parallel(go);
    gm.scales.compute_at(acc, rb).vectorize(gm.scales.args()[0], 16);
    if (gm.lanes && gm.pairs.defined()) {
      // Q6_K: the block's scales once per block (as 32-bit values for the
      // activation-sum term, and each row's twice in 16 bits for pmaddwd);
      // the eight lanes' integer sums once per block and activation row,
      // walked in the order the block is stored (quant::q6kQlRun: half,
      // lane, quarter), each run's pmaddubsw pairs computed where used.
      Func &scale6 = gm.perBlock[0], &scalePair = gm.perBlock[1], &pair = gm.pairs;
      std::vector<Var> sa = scale6.args(), pa = scalePair.args(), da = dot.args(),
                       qa = pair.args();
      scale6.compute_at(acc, rb).vectorize(sa[0], 32).unroll(sa[1]);
      scalePair.compute_at(acc, rb).vectorize(pa[0]).vectorize(pa[1], 32).unroll(pa[2]);
      dot.compute_at(acc, m).vectorize(da[0], 32).unroll(da[1]);
      std::vector<RVar> rc = dot.rvars(0); // pair, quarter / 2, quarter % 2, half
      dot.update(0).reorder(rc[0], da[0], rc[1], rc[2], da[1], rc[3]).atomic().vectorize(rc[0])
          .vectorize(da[0], 32).unroll(rc[1]).unroll(rc[2]).unroll(da[1]).unroll(rc[3]);
      pair.compute_at(dot, rc[1]).vectorize(qa[0]).vectorize(qa[1], 32);
      RVar e = pair.rvars(0)[0];
      pair.update(0).reorder(e, qa[0], qa[1]).atomic(true).vectorize(e).vectorize(qa[0])
          .vectorize(qa[1], 32);
      continue;
    }
    if (!gm.perRow.empty()) {
      // K-quants: the block's decoded scales once per block, the integer
      // dots and scaled sums once per block and activation row; all but
      // the 32 rows unrolled.
      // With VNNI the dots' innermost RVar (four elements) is one vpdpbusd
      // reduction into each row's lane.
      auto unrolled = [&](Func &f, const LoopLevel &at, size_t trailing, bool fourWide) {
        std::vector<Var> a = f.args();
        f.compute_at(at).vectorize(a[0], 32);
        std::vector<VarOrRVar> middle;
        for (size_t i = 1; i + trailing < a.size(); ++i) {
          f.unroll(a[i]);
          middle.push_back(a[i]);
        }
        for (int u = 0; u < f.num_update_definitions(); ++u) {
          std::vector<RVar> rv = f.rvars(u);
          std::vector<VarOrRVar> order{a[0]};
          if (fourWide)
            order.insert(order.begin(), rv.front());
          for (size_t i = fourWide ? 1 : 0; i < rv.size(); ++i)
            order.push_back(rv[i]);
          order.insert(order.end(), middle.begin(), middle.end());
          Stage stage = f.update(u);
          stage.reorder(order);
          if (fourWide)
            stage.atomic().vectorize(rv.front());
          stage.vectorize(a[0], 32);
          for (size_t i = fourWide ? 2 : 1; i < order.size(); ++i)
            stage.unroll(order[i]);
        }
      };
      for (Func &f : gm.perBlock)
        unrolled(f, LoopLevel(acc, rb), 2, false);
      for (size_t i = 0; i < gm.perRow.size(); ++i)
        unrolled(gm.perRow[i], LoopLevel(acc, m), 3, gm.vnni && i == 0);
      if (gm.pairs.defined()) // Q4_K: where each sub-block half's dot adds them
        schedulePairs(gm.pairs, gm.perRow.front(), gm.perRow.front().rvars(0)[0]);
      continue;
    }
    Var dr = dot.args()[0];
    dot.compute_at(acc, m).vectorize(dr, 32);
    std::vector<RVar> re = dot.rvars(0);
    if (gm.vnni && !gm.lanes) {
      // Q4_0 with VNNI: each row's four products at a time reduce into its
      // 32-bit lane (vpdpbusd); the block's eight fours unrolled.
      dot.update(0).reorder(re[0], dr, re[1], re[2]).atomic().vectorize(re[0])
          .vectorize(dr, 32).unroll(re[1]).unroll(re[2]);
    } else if (gm.vnni) {
      // Q8_0 with VNNI: each lane's four products reduce into its 32-bit
      // lane (vpdpbusd) on top of the lane's offset term; the eight lanes
      // unrolled.
      Var dj = dot.args()[1];
      dot.unroll(dj);
      dot.update(0).reorder(re[0], dr, dj).atomic().vectorize(re[0]).vectorize(dr, 32)
          .unroll(dj);
    } else if (gm.lanes) {
      // Pairs of elements reduce into 32-bit lanes (vpmaddwd); the two
      // pairs of a lane and the eight lanes unrolled.
      Var dj = dot.args()[1];
      dot.unroll(dj);
      dot.update(0).reorder(re[0], dr, re[1], dj).atomic().vectorize(re[0]).vectorize(dr, 32)
          .unroll(re[1]).unroll(dj);
    } else if (gm.pairs.defined()) {
      // Q4_0: per byte pair, both nibbles' pmaddubsw from one load.
      dot.update(0).reorder(dr, re[0], re[1]).vectorize(dr, 32).unroll(re[0]).unroll(re[1]);
      schedulePairs(gm.pairs, dot, re[1]);
    } else {
      dot.update(0).reorder(dr, re[0]).vectorize(dr, 32).unroll(re[0]);
    }
  }
  // Dot-product matmuls ([N, K] weights): blocks of L outputs (L = the
  // vector width) over threads; for each activation row, the block's L
  // lane sums run along K at once (L independent accumulators, every load
  // a contiguous vector; the block's weight rows stay in cache across the
  // activation rows), then the L x L lane sums are added up as vectors
  // across the block.
  for (BuiltKernel::DotMatmul &dm : built.dotMatmuls) {
    Func &prod = dm.prod, &lanes = dm.lanes;
    std::vector<Var> args = prod.args(); // n, m, batch..
    prod.compute_root();
    Var no("no"), ni("ni");
    int L = dm.width;
    prod.split(args[0], no, ni, L).vectorize(ni);
    Stage update = prod.update(0);
    RVar rl = prod.rvars(0)[0];
    update.split(args[0], no, ni, L);
    std::vector<VarOrRVar> order{ni, rl};
    for (size_t a = 1; a < args.size() && a < 2; ++a)
      order.push_back(args[a]);
    order.push_back(no);
    for (size_t a = 2; a < args.size(); ++a)
      order.push_back(args[a]);
    update.reorder(order).vectorize(ni);
    if (args.size() >= 3 && dm.columns / L < 8) {
      update.parallel(args.back());
    } else {
      // One contiguous run of blocks per thread.
      Var nt("nt"), nb("nb");
      int64_t blocks = (dm.columns + L - 1) / L;
      update.split(no, nt, nb, int((blocks + threads - 1) / threads), TailStrategy::GuardWithIf)
          .parallel(nt);
    }
    Var lane = lanes.args()[0], n = lanes.args()[1];
    if (args.size() >= 2)
      lanes.compute_at(prod, args[1]);
    else
      lanes.compute_at(prod, no);
    lanes.vectorize(lane);
    // A matrix-vector product (decode) reads each weight row front to back
    // before the next (one lane sum per row in turn: the block's rows are
    // contiguous in memory, so the loads run through them in order);
    // measured twice as fast on 15M F32 decode as walking the L rows side
    // by side, whose loads jump a row apart. With several activation rows
    // (prefill) the L independent sums keep the FMA units busy instead.
    std::vector<VarOrRVar> laneOrder{lane};
    if (dm.rows != 1)
      laneOrder.push_back(n);
    for (const RVar &r : lanes.rvars(0))
      laneOrder.push_back(r);
    if (dm.rows == 1)
      laneOrder.push_back(n);
    for (size_t a = 2; a < lanes.args().size(); ++a)
      laneOrder.push_back(lanes.args()[a]);
    lanes.update(0).reorder(laneOrder).vectorize(lane);
    if (dm.rows != 1)
      lanes.update(0).unroll(n);
  }
  for (size_t i = 0; i < built.reductions.size(); ++i) {
    Func &f = built.reductions[i];
    if (family == "matmul" && f.num_update_definitions() == 1 &&
        !built.reductionShapes[i].empty()) {
      scheduleAccumulator(f, built.reductionShapes[i], lanes,
                          built.transposedMatmuls.count(f.name()) > 0, threads);
      continue;
    }
    f.compute_root();
    vectorizeAndParallelize(f, f.args(), lanes);
    for (int u = 0; u < f.num_update_definitions(); ++u)
      vectorizeAndParallelize(f.update(u), f.args(), lanes);
  }
  if (built.attention.size() >= 4) {
    std::vector<Var> args = built.output.args(); // dd, h, s, b
    Var hs("hs");
    int width = pow2AtMost(lanes, built.outputShape.back());
    built.output.fuse(args[1], args[2], hs).parallel(hs);
    built.output.vectorize(args[0], width, TailStrategy::GuardWithIf);
    for (size_t i = 0; i < 3; ++i)
      built.attention[i].compute_at(built.output, hs);
    if (built.attentionSteps.defined())
      built.attentionSteps.compute_at(built.output, hs);
    // The weighted sum: for each key, the whole head_dim row (every
    // vector of it inside the loop over keys, so each key's factors and
    // value row are read once).
    Func &num = built.attention[3];
    num.compute_at(built.output, hs);
    Var nd = num.args()[0], ndo("ndo"), ndi("ndi");
    num.vectorize(nd, width, TailStrategy::GuardWithIf);
    num.update(0)
        .split(nd, ndo, ndi, width, TailStrategy::GuardWithIf)
        .reorder(ndi, ndo, num.rvars(0)[0])
        .vectorize(ndi);
    for (size_t i = 4; i < built.attention.size(); ++i) // the query row
      built.attention[i].compute_at(built.output, hs).vectorize(
          built.attention[i].args()[0], width, TailStrategy::GuardWithIf);
    if (!built.attentionCache.empty()) {
      // The f16 cache rows widened once per kernel, threads over kv heads.
      built.attentionCache[0].compute_root();
      for (size_t i = 1; i < built.attentionCache.size(); ++i) {
        Func &rows = built.attentionCache[i];
        Var d = rows.args()[0], kh = rows.args()[2];
        rows.compute_root().vectorize(d, width, TailStrategy::GuardWithIf);
        rows.update(0)
            .reorder(d, rows.rvars(0)[0], kh) // each row whole, in order
            .vectorize(d, width, TailStrategy::GuardWithIf)
            .parallel(kh);
      }
    }
    if (built.scoreLanes.defined()) { // per key, a vector along head_dim
      Func &part = built.scoreLanes;
      Var ln = part.args()[0];
      part.compute_at(built.attention[0], part.args()[1]);
      part.vectorize(ln);
      part.update(0).vectorize(ln);
    }
    return;
  }
  // No wider than the innermost dimension: a guarded vector wider than the
  // whole row still loads past small constant buffers.
  int outputLanes = built.outputShape.empty()
                        ? lanes
                        : pow2AtMost(lanes, built.outputShape.back());
  vectorizeAndParallelize(built.output, built.output.args(), outputLanes);
}

} // namespace kiln::kernelgen
