//===- KernelQuantMatmul.cpp - block-quantized matmul with integer dots ---===//
//
// `qmatmul` with block-quantized weights computes as llama.cpp does, so
// that kiln's logits (and greedy tokens) agree with it: the activations are
// quantized to 8 bits per block first (Q8_0 blocks of 32 with an f16 scale
// for q8_0/q4_0 weights, Q8_K blocks of 256 with an f32 scale for the
// K-quants), each block's dot product is an exact integer sum of weight
// quants times activation quants (weighted by the K-quants' integer
// sub-block scales), and only the per-block scales are floats:
//
//   q8_0, q4_0:  y += (d_w * d_x) * sum_j q_w[j] * q_x[j]
//   q4_k:        y += (d_w * d_x) * sum_s sc[s] * sum_j q_w q_x
//                   - (dmin_w * d_x) * sum_s m[s] * sum_j q_x
//   q6_k:        y += (d_w * d_x) * sum_s sc[s] * sum_j (q_w - 32) q_x
//
// Rounding follows ggml's x86 code: Q8_0 uses scale amax/127 stored as f16
// and multiplier 127/amax, Q8_K the signed value of largest magnitude
// (-127/max, f32 scale); both round half to even.
//
// `kiln compile --activation-bits=16` quantizes the activations of Q8_0
// matmuls to 16 bits instead (scale amax/32767 kept in f32), so that their
// error no longer matches the weights' own (docs/quantization.md). The
// arithmetic is otherwise the same: 16-bit quants are what the x86 kernels
// multiply anyway, and a lane's four products (at most 4 x 127 x 32767 <
// 2^24) still convert to float exactly.
//
//===----------------------------------------------------------------------===//
#include "FusedMultiplyAdd.h"
#include "KernelBuilderImpl.h"

#include <functional>

namespace kiln::kernelgen::impl {

namespace {
Expr byteAt(const Func &bytes, Expr at, Expr row) {
  return cast(Int(32), bytes(at, row));
}
} // namespace

bool Builder::quantMatmul(const OpSpec &op, const ValueSpec &out, Tensor &result) {
  auto source = quantSources.find(op.operands.size() > 1 ? op.operands[1] : -1);
  const Tensor &a = operand(op, 0);
  if (source == quantSources.end() || a.shape.size() != 2 || out.shape.size() != 2)
    return false;
  const std::string &fmt = source->second.dtype;
  const Func &w = source->second.bytes;
  int64_t M = a.shape[0], K = a.shape[1];
  std::string format = quantBlockFormat(fmt); // q4_0 for q4_0 and q4_0x32
  bool kQuant = format == "q4_k" || format == "q6_k";
  int actBlock = kQuant ? 256 : 32;
  if (K % actBlock != 0)
    return false;
  int bb = int(quantBlockBytes(fmt));
  Var k("k"), m("m"), n("n"), b("b"), g("g");

  // Activations, computed once, then quantized per block.
  Func x(name(op) + "_x");
  x(k, m) = cast(Float(32), at(a, {m, k}));
  materialized.push_back(x);
  materializedShapes.push_back({M, K});
  Func xd(name(op) + "_xd"), xq(name(op) + "_xq");
  RDom r(0, actBlock, "r");
  bool wide = format == "q8_0" && options.q8ActivationBits == 16;
  if (!kQuant) {
    Func amax(name(op) + "_amax");
    amax(b, m) = maximum(abs(x(b * actBlock + r, m)));
    Expr mx = amax(b, m);
    float top = wide ? 32767.0f : 127.0f;
    xd(b, m) = wide ? mx / top : cast(Float(32), cast(Float(16), mx / top));
    Func inv(name(op) + "_xid");
    inv(b, m) = select(mx != 0.0f, top / mx, 0.0f);
    Expr scaled = round(x(k, m) * inv(k / actBlock, m));
    xq(k, m) = wide ? cast(Int(16), clamp(scaled, -top, top)) : cast(Int(8), scaled);
    materialized.push_back(amax);
    materializedShapes.push_back({M, K / actBlock});
    materialized.push_back(inv);
    materializedShapes.push_back({M, K / actBlock});
  } else {
    // The element of largest magnitude, first one on ties (as ggml's loop).
    Func pick(name(op) + "_argmax");
    pick(b, m) = argmax(abs(x(b * actBlock + r, m)));
    Func iscale(name(op) + "_iscale");
    Expr signedMax = x(b * actBlock + clamp(pick(b, m)[0], 0, actBlock - 1), m);
    iscale(b, m) = select(pick(b, m)[1] != 0.0f, -127.0f / signedMax, 0.0f);
    xd(b, m) = select(iscale(b, m) != 0.0f, 1.0f / iscale(b, m), 0.0f);
    xq(k, m) = cast(Int(8), min(127, cast(Int(32), round(iscale(k / actBlock, m) * x(k, m)))));
    materialized.push_back(pick);
    materializedShapes.push_back({M, K / actBlock});
    materialized.push_back(iscale);
    materializedShapes.push_back({M, K / actBlock});
  }
  materialized.push_back(xd);
  materializedShapes.push_back({M, K / actBlock});
  materialized.push_back(xq);
  materializedShapes.push_back({M, K});

  // The activation quants' sums over groups of `length` (Q8_K's bsums for
  // 16), computed once per call.
  auto activationSums = [&](const std::string &suffix, int length) {
    Func sums(name(op) + "_" + suffix);
    RDom r(0, length, "r" + suffix);
    sums(g, m) = sum(cast(Int(32), xq(g * length + r, m)));
    materialized.push_back(sums);
    materializedShapes.push_back({M, K / length});
    return sums;
  };
  if (quantInterleave(fmt) > 1) {
    // Activation sums: over 32 elements (Q4_0's offset of 8, Q4_K's mins),
    // 16 (Q6_K's offset of 32) or, for Q8_0's VNNI form, 4 (the offset of
    // 128 its quants take); Q8_0 needs none otherwise.
    bool q8Vnni = format == "q8_0" && !wide && vnniRows(M);
    Func xsum = format == "q8_0"   ? (q8Vnni ? activationSums("xsum4", 4) : Func())
                : format == "q6_k" ? activationSums("xsum16", 16)
                                 : activationSums("xsum", 32);
    // For the Q8_0 kernel, the activation quants widened to 16 bits once
    // per call, so that they broadcast each straight from memory (16-bit
    // quants already are; the others multiply the 8-bit ones).
    Func x16 = xq;
    if (!wide && format == "q8_0") {
      x16 = Func(name(op) + "_x16");
      x16(k, m) = cast(Int(16), xq(k, m));
      materialized.push_back(x16);
      materializedShapes.push_back({M, K});
    }
    result = groupMatmul(op, out, source->second, xq, x16, xd, xsum);
    return true;
  }

  // Weight quants as 8-bit integers, per format: with 8-bit activation
  // quants, each product is a widening i8 x i8 multiply, the pattern
  // Halide turns into sdot/udot on ARM with dotprod (and vpmaddwd-style
  // code on x86).
  Func wq(name(op) + "_wq");
  Expr blk = k / int(quantBlockElements(fmt)), j = k % int(quantBlockElements(fmt));
  Expr base = blk * bb;
  if (fmt == "q8_0") {
    wq(k, n) = reinterpret(Int(8), w(base + 2 + j, n));
  } else if (fmt == "q4_0") {
    Expr byte = w(base + 2 + j % 16, n);
    wq(k, n) = cast(Int(8), select(j < 16, byte & 15, byte >> 4)) - cast(Int(8), 8);
  } else if (fmt == "q4_k") {
    Expr chunk = j / 64, within = j % 64;
    Expr byte = w(base + 16 + chunk * 32 + within % 32, n);
    wq(k, n) = cast(Int(8), select(within >= 32, byte >> 4, byte & 15));
  } else {
    Expr half = j / 128, rr = j % 128, quarter = rr / 32, l = rr % 32;
    Expr ql = byteAt(w, base + half * 64 + l + select(quarter % 2 == 1, 32, 0), n);
    Expr low = select(quarter < 2, ql & 15, ql >> 4);
    Expr qh = byteAt(w, base + 128 + half * 32 + l, n);
    wq(k, n) = cast(Int(8), (low | (((qh >> (quarter * 2)) & 3) << 4)) - 32);
  }

  Type type = halideType(out.dtype);
  Func prod(name(op));
  Var lj("j");
  // Eight f32 lanes as ggml's x86 kernels keep them: lane j accumulates
  // fma(scale(rb), lane(j, rb), acc) over `blocks` blocks, with one
  // rounding as ggml's _mm256_fmadd_ps (FusedMultiplyAdd.h), then the lanes
  // are summed as hsum_float_8 does; `prod` is the result. The block
  // scales are a Func of their own so that CPU schedules compute a row's
  // scales as vectors ahead of its accumulation loop.
  auto accumulateLanes = [&](Func lane, int64_t blocks,
                             const std::function<Expr(Expr)> &scale, Func quad) {
    RDom rb(0, int(blocks), "rb");
    Func scales(name(op) + "_scales"), acc(name(op) + "_lanes");
    scales(b, n, m) = scale(b);
    acc(n, lj, m) = 0.0f;
    acc(n, lj, m) = fusedMultiplyAdd(scales(rb, n, m), cast(Float(32), lane(lj, rb, n, m)),
                                     acc(n, lj, m), options.openclC);
    laneAccumulators.push_back(acc);
    laneShapes.push_back({M, 8, out.shape[1]});
    laneSums.push_back(lane);
    laneScales.push_back(scales);
    laneQuads.push_back(quad);
    auto h = [&](int k) { return acc(n, k + 4, m) + acc(n, k, m); };
    prod(n, m) = cast(type, (h(0) + h(2)) + (h(1) + h(3)));
    result = Tensor{prod, out.shape, type, false};
    return true;
  };
  if (fmt == "q8_0") {
    // llamafile's tinyBLAS (llama.cpp's x86 path for Q8_0): eight f32
    // lanes, lane j accumulating fma(d_w * d_x, int dot of elements
    // 4j..4j+3 of each block, lane), then summed pairwise as its hsum does.
    Var j("j");
    // Lane j sums the products of elements 4j..4j+3 of a block: one vector
    // reduction of the block's 32 contiguous products into 8 lanes.
    Func lane(name(op) + "_lane");
    RDom ri(0, 4, "ri");
    lane(j, b, n, m) = 0;
    Expr wi = wq(b * 32 + j * 4 + ri, n), xi = xq(b * 32 + j * 4 + ri, m);
    lane(j, b, n, m) += wide ? cast(Int(32), wi) * cast(Int(32), xi)
                             : cast(Int(32), cast(Int(16), wi) * cast(Int(16), xi));
    return accumulateLanes(lane, K / 32,
                           [&](Expr rb) { return loadF16(w, rb * bb, n) * xd(rb, m); },
                           Func());
  }
  Func dot, pairs(name(op) + "_pairs");
  if (!kQuant) { // q4_0
    // A block's integer dot. Low nibble of byte r: element r; high
    // nibble: element r + 16.
    dot = Func(name(op) + "_dot");
    dot(g, n, m) = 0;
    if (M > 1) {
      // Several activation rows (prefill): over the 16 byte positions,
      // both nibbles' products summed in 16 bits (at most 2 x 8 x 127).
      // The byte loads are plain ramps, so CPU schedules reduce eight
      // weight rows' blocks at once into one vector of sums (with the
      // element index form below, those loads became gathers).
      RDom rh(0, 16, "rh");
      Expr byte = cast(Int(16), w(g * bb + 2 + rh, n));
      Expr pair = ((byte & 15) - 8) * cast(Int(16), xq(g * 32 + rh, m)) +
                  ((byte >> 4) - 8) * cast(Int(16), xq(g * 32 + 16 + rh, m));
      dot(g, n, m) += cast(Int(32), pair);
    } else {
      // One activation row (decode): the 32 elements' widening i8 x i8
      // products, one vector reduction (sdot on ARM with dotprod).
      RDom r(0, 32, "r");
      dot(g, n, m) += cast(Int(32), wq(g * 32 + r, n)) * cast(Int(32), xq(g * 32 + r, m));
    }
    RDom rb(0, int(K / 32), "rb");
    // fma(isum, d_w * d_x, acc) per block, as llama.cpp's repacked Q4_0
    // kernels accumulate (one rounding).
    Expr scale = loadF16(w, rb * bb, n) * xd(rb, m);
    prod(n, m) = cast(type, 0);
    prod(n, m) = cast(type, fusedMultiplyAdd(cast(Float(32), dot(rb, n, m)), scale,
                                             prod(n, m), options.openclC));
  } else if (fmt == "q4_k") {
    Func xsum = activationSums("xsum", 32);
    // get_scale_min_k4 of sub-block s of block bk.
    auto scaleMin = [&](Expr bk, Expr s, Expr row, bool wantMin) {
      Expr q = bk * bb + 4;
      Expr lo = clamp(s, 0, 3), hi = clamp(s, 4, 7);
      Expr first = wantMin ? byteAt(w, q + lo + 4, row) & 63 : byteAt(w, q + lo, row) & 63;
      Expr second = wantMin
                        ? (byteAt(w, q + hi + 4, row) >> 4) | ((byteAt(w, q + hi, row) >> 6) << 4)
                        : (byteAt(w, q + hi + 4, row) & 15) | ((byteAt(w, q + hi - 4, row) >> 6) << 4);
      return select(s < 4, first, second);
    };
    // sum_s sc[s] * dot_s as 16 lanes, lane u summing the pairs (2u, 2u+1)
    // of every sub-block as 16-bit products (quant x scale fits 16 bits:
    // 15 x 63), so each pair is one vpmaddwd lane and a block needs one
    // horizontal sum instead of one per sub-block. Integer sums: exact in
    // any order.
    Var u("u");
    RDom rp(0, 2, 0, 8, "rp"); // rp.x: element of the pair, rp.y: sub-block
    Expr el = b * 256 + rp.y * 32 + u * 2 + rp.x;
    pairs(u, b, n, m) = 0;
    pairs(u, b, n, m) +=
        cast(Int(32), cast(Int(16), wq(el, n)) * cast(Int(16), scaleMin(b, rp.y, n, false))) *
        cast(Int(32), cast(Int(16), xq(el, m)));
    RDom rs(0, 8, "rs"), ru(0, 16, "ru");
    Func scaled(name(op) + "_isum"), mins(name(op) + "_imin");
    scaled(b, n, m) = sum(pairs(ru, b, n, m));
    mins(b, n, m) = sum(scaleMin(b, rs, n, true) * xsum(b * 8 + rs, m));
    RDom rb(0, int(K / 256), "rb");
    prod(n, m) = cast(type, 0);
    prod(n, m) += (loadF16(w, rb * bb, n) * xd(rb, m)) * cast(Float(32), scaled(rb, n, m)) -
                  (loadF16(w, rb * bb + 2, n) * xd(rb, m)) * cast(Float(32), mins(rb, n, m));
  } else { // q6_k
    // ggml's AVX2 vec_dot_q6_K_q8_K, which llama.cpp runs on x86: lane j of
    // eight sums, over the block's eight 32-element groups c, elements
    // 4j..4j+3 of each group times their scale with the unsigned 6-bit
    // quants, minus 32 x (the activation sums of 16-element groups 2j and
    // 2j+1 times their scales); each lane accumulates fma(d_x * d_w, lane,
    // acc) over blocks and the lanes are summed as hsum_float_8 does.
    Var j("j");
    auto scaleAt = [&](Expr bk, Expr s16, Expr row) {
      return cast(Int(32), reinterpret(Int(8), w(bk * bb + 192 + s16, row)));
    };
    Func xsum16 = activationSums("xsum16", 16);
    // quad(j, c): elements 4j..4j+3 of group c, unsigned quants times
    // activation quants, each product and the sum within 16 bits (at most
    // 4 x 63 x 127), so the products are i16 multiplies (vpmaddwd); then
    // one 32-bit multiply by the sub-block scale per lane and group.
    Var c("c");
    Func quad(name(op) + "_quad");
    RDom rq(0, 4, "rq");
    Expr el = b * 256 + c * 32 + j * 4 + rq;
    quad(j, c, b, n, m) = 0;
    quad(j, c, b, n, m) += cast(Int(32), cast(Int(16), wq(el, n) + cast(Int(8), 32))) *
                           cast(Int(32), cast(Int(16), xq(el, m)));
    Func lane(name(op) + "_lane");
    lane(j, b, n, m) = -32 * (scaleAt(b, 2 * j, n) * xsum16(b * 16 + 2 * j, m) +
                              scaleAt(b, 2 * j + 1, n) * xsum16(b * 16 + 2 * j + 1, m));
    RDom rc(0, 8, "rc");
    lane(j, b, n, m) += scaleAt(b, 2 * rc + j / 4, n) * quad(j, rc, b, n, m);
    return accumulateLanes(lane, K / 256,
                           [&](Expr rb) { return xd(rb, m) * loadF16(w, rb * bb + 208, n); },
                           quad);
  }
  rowMatmuls.push_back({prod, dot, out.shape[1], pairs, !kQuant && M > 1});
  result = Tensor{prod, out.shape, type, true};
  return true;
}

} // namespace kiln::kernelgen::impl
