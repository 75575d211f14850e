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
//===----------------------------------------------------------------------===//
#include "FusedMultiplyAdd.h"
#include "HalfFloat.h"
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
  bool kQuant = quantBlockFormat(fmt) == "q4_k" || quantBlockFormat(fmt) == "q6_k";
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
  if (!kQuant) {
    Func amax(name(op) + "_amax");
    amax(b, m) = maximum(abs(x(b * actBlock + r, m)));
    Expr mx = amax(b, m);
    xd(b, m) = cast(Float(32), cast(Float(16), mx / 127.0f));
    Func inv(name(op) + "_xid");
    inv(b, m) = select(mx != 0.0f, 127.0f / mx, 0.0f);
    xq(k, m) = cast(Int(8), round(x(k, m) * inv(k / actBlock, m)));
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
    // Activation sums: over 32 elements (Q4_0's offset of 8, Q4_K's mins)
    // or 16 (Q6_K's offset of 32).
    Func xsum = quantBlockFormat(fmt) == "q6_k" ? activationSums("xsum16", 16)
                                                : activationSums("xsum", 32);
    // The activation quants widened to 16 bits once per call, so that the
    // kernels broadcast each straight from memory.
    Func x16(name(op) + "_x16");
    x16(k, m) = cast(Int(16), xq(k, m));
    materialized.push_back(x16);
    materializedShapes.push_back({M, K});
    result = groupMatmul(op, out, source->second, x16, xd, xsum);
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
    lane(j, b, n, m) += cast(Int(32), cast(Int(16), wq(b * 32 + j * 4 + ri, n)) *
                                          cast(Int(16), xq(b * 32 + j * 4 + ri, m)));
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

Tensor Builder::groupMatmul(const OpSpec &op, const ValueSpec &out, const QuantSource &source,
                            const Func &x16, const Func &xd, const Func &xsum) {
  // Repacked weights (kiln/Quant/Repack.h): per group of 32 rows and block
  // index, 64 bytes per f16 field (the scale d first), then the rest of the
  // blocks with the rows innermost.
  const Func &w = source.groups;
  const int G = 32;
  std::string format = quantBlockFormat(source.dtype);
  bool q8 = format == "q8_0";
  const int stride = int(quantBlockBytes(source.dtype)) * G;
  int64_t M = out.shape[0], N = out.shape[1], K = operand(op, 0).shape[1];
  Var r("r"), b("b"), g("g"), m("m"), p("p"), n("n"), j("j");
  Func dot(name(op) + "_gdot"), scales(name(op) + "_gscales"), acc(name(op) + "_gacc");
  Func nibbles;
  // An f16 field of 32 rows: their low bytes, then their high bytes.
  auto half = [&](int field) {
    Expr at = b * stride + field * 2 * G + r;
    return halfBitsToFloat(cast(UInt(32), w(at, g)) | (cast(UInt(32), w(at + G, g)) << 8));
  };
  scales(r, b, g) = half(0);
  auto activation = [&](Expr element) { return x16(b * 32 + element, m); };
  Type type = halideType(out.dtype);
  Func prod(name(op));
  if (format == "q4_k") {
    // Per block of 256: d and dmin (64 bytes each), the 12 scale bytes,
    // then the 128 quant bytes, each as 32 rows. Sub-block s = 2c + h is
    // nibble h of quant bytes 32c .. 32c + 31. Per row, as the row-wise
    // kernel: y += (d_w * d_x) * sum_s sc[s] * dot_s - (dmin_w * d_x) *
    // sum_s m[s] * xsum_s, the integer sums exact in any order.
    Var s("s"), h("h");
    auto scaleByte = [&](Expr k) { return cast(Int(16), w(b * stride + 4 * G + k * G + r, g)); };
    Func sc(name(op) + "_gsc"), mn(name(op) + "_gmin"), dmin(name(op) + "_gdmin");
    // get_scale_min_k4, for 32 rows at once.
    Expr lo = clamp(s, 0, 3), hi = clamp(s, 4, 7);
    sc(r, s, b, g) = select(s < 4, scaleByte(lo) & 63,
                            (scaleByte(hi + 4) & 15) | ((scaleByte(hi - 4) >> 6) << 4));
    mn(r, s, b, g) = select(s < 4, scaleByte(lo + 4) & 63,
                            (scaleByte(hi + 4) >> 4) | ((scaleByte(hi) >> 6) << 4));
    dmin(r, b, g) = half(1);
    // Each sub-block's dot in two 16-bit halves of 16 elements (at most
    // 16 x 15 x 127 each). (Sharing each byte load between sub-blocks 2c
    // and 2c + 1 as a Tuple measured no faster.)
    RDom rl(0, 16, "rl");
    Expr c = s / 2, l = h * 16 + rl;
    Expr byte = cast(Int(16), w(b * stride + 16 * G + (c * 32 + l) * G + r, g));
    Expr nibble = select(s % 2 == 0, byte & 15, byte >> 4);
    dot(r, h, s, b, g, m) = cast(Int(16), 0);
    dot(r, h, s, b, g, m) += nibble * x16(b * 256 + s * 32 + l, m);
    Func scaled(name(op) + "_gisum");
    RDom rs(0, 8, "rs");
    scaled(r, b, g, m) = 0;
    scaled(r, b, g, m) += cast(Int(32), sc(r, rs, b, g)) *
                          (cast(Int(32), dot(r, 0, rs, b, g, m)) +
                           cast(Int(32), dot(r, 1, rs, b, g, m)));
    Func mins(name(op) + "_gimin");
    mins(r, b, g, m) = 0;
    mins(r, b, g, m) += cast(Int(32), mn(r, rs, b, g)) * xsum(b * 8 + rs, m);
    RDom rb(0, int(K / 256), "rb");
    acc(r, g, m) = 0.0f;
    acc(r, g, m) += (scales(r, rb, g) * xd(rb, m)) * cast(Float(32), scaled(r, rb, g, m)) -
                    (dmin(r, rb, g) * xd(rb, m)) * cast(Float(32), mins(r, rb, g, m));
    groupMatmuls.push_back({acc, dot, scales, Func(), N / G, false, {sc, mn, dmin},
                            {dot, scaled, mins}});
    prod(n, m) = cast(type, acc(n % G, n / G, m));
    return Tensor{prod, out.shape, type, false};
  }
  if (format == "q6_k") {
    // ggml's eight-lane order, as the row-wise Q6_K kernel: lane j of a
    // row sums, over the block's eight 32-element groups c, scale(2c +
    // j / 4) x (elements 4j..4j+3 of group c: unsigned 6-bit quants times
    // activation quants, in 16 bits: at most 4 x 63 x 127), minus 32 x the
    // activation sums of 16-element groups 2j and 2j+1 times their
    // scales; each lane accumulates fma(d_x * d_w, lane, acc) over blocks
    // and the lanes are summed as hsum_float_8 does. Bytes (after d): ql
    // 0..127, qh 128..191, scales 192..207, each as 32 rows.
    Var c("c"), s16("s16");
    auto stored = [&](Expr k) { return w(b * stride + 2 * G + k * G + r, g); };
    Func scale6(name(op) + "_gsc");
    scale6(r, s16, b, g) = cast(Int(32), reinterpret(Int(8), stored(192 + s16)));
    RDom rt(0, 4, "rt");
    Expr half = c / 4, quarter = c % 4, l = j * 4 + rt;
    Expr ql = cast(Int(16), stored(half * 64 + l + select(quarter % 2 == 1, 32, 0)));
    Expr low = select(quarter < 2, ql & 15, ql >> 4);
    Expr qh = cast(Int(16), stored(128 + half * 32 + l));
    Expr quant = cast(Int(16), low | (((qh >> (quarter * 2)) & 3) << 4));
    Func quad(name(op) + "_gquad");
    quad(r, j, c, b, g, m) = cast(Int(16), 0);
    quad(r, j, c, b, g, m) += quant * x16(b * 256 + c * 32 + l, m);
    RDom rc(0, 8, "rc");
    dot(r, j, b, g, m) = -32 * (scale6(r, 2 * j, b, g) * xsum(b * 16 + 2 * j, m) +
                                scale6(r, 2 * j + 1, b, g) * xsum(b * 16 + 2 * j + 1, m));
    dot(r, j, b, g, m) += scale6(r, 2 * rc + j / 4, b, g) * cast(Int(32), quad(r, j, rc, b, g, m));
    RDom rb(0, int(K / 256), "rb");
    acc(r, j, g, m) = 0.0f;
    acc(r, j, g, m) = fusedMultiplyAdd(xd(rb, m) * scales(r, rb, g),
                                       cast(Float(32), dot(r, j, rb, g, m)), acc(r, j, g, m),
                                       options.openclC);
    auto h = [&](int k) { return acc(n % G, k + 4, n / G, m) + acc(n % G, k, n / G, m); };
    prod(n, m) = cast(type, (h(0) + h(2)) + (h(1) + h(3)));
    groupMatmuls.push_back({acc, dot, scales, Func(), N / G, true, {scale6}, {quad, dot}});
    return Tensor{prod, out.shape, type, false};
  }
  RDom rb(0, int(K / 32), "rb");
  if (q8) {
    // llamafile's tinyBLAS, as the row-wise Q8_0 kernel: per row, eight f32
    // lanes, lane j accumulating fma(d_w * d_x, integer sum of elements
    // 4j..4j+3 of each block, lane), summed pairwise at the end. Each
    // element pair (2q, 2q+1) of 32 rows is one 64-byte load whose 16-bit
    // products add in pairs (vpmaddwd); integer sums are exact.
    RDom re(0, 2, 0, 2, "re"); // re.x: element of the pair, re.y: pair of the lane
    Expr pair = j * 2 + re.y;
    Expr quant = reinterpret(Int(8), w(b * stride + 2 * G + pair * 2 * G + 2 * r + re.x, g));
    dot(r, j, b, g, m) = 0;
    dot(r, j, b, g, m) += cast(Int(32), cast(Int(16), quant)) *
                          cast(Int(32), activation(pair * 2 + re.x));
    acc(r, j, g, m) = 0.0f;
    acc(r, j, g, m) = fusedMultiplyAdd(scales(r, rb, g) * xd(rb, m),
                                       cast(Float(32), dot(r, j, rb, g, m)), acc(r, j, g, m),
                                       options.openclC);
    auto h = [&](int k) { return acc(n % G, k + 4, n / G, m) + acc(n % G, k, n / G, m); };
    prod(n, m) = cast(type, (h(0) + h(2)) + (h(1) + h(3)));
    groupMatmuls.push_back({acc, dot, scales, Func(), N / G, true});
    return Tensor{prod, out.shape, type, false};
  }
  // Q4_0: the block dots of 32 rows at once, each a 16-bit sum over the 16
  // byte positions of (low nibble - 8) x element p + (high nibble - 8) x
  // element p + 16: at most 32 x 8 x 127 in magnitude, so 16 bits are
  // exact, and integer sums are the same in any order as ggml's.
  RDom rp(0, 16, "rp");
  if (M == 1) {
    // sum (q - 8) x = sum q x - 8 sum x: the unsigned nibbles' sum may
    // wrap in 16 bits, but the result fits, so the wrapped sum is exact.
    Expr byte = cast(Int(16), w(b * stride + 2 * G + rp * G + r, g));
    dot(r, b, g, m) = cast(Int(16), -8 * xsum(b, m));
    dot(r, b, g, m) += (byte & 15) * activation(rp) + (byte >> 4) * activation(rp + 16);
  } else {
    dot(r, b, g, m) = cast(Int(16), 0);
    // Several activation rows: the block's quants decoded once for all.
    nibbles = Func(name(op) + "_gnibbles");
    Expr byte = cast(Int(16), w(b * stride + 2 * G + (p % 16) * G + r, g));
    nibbles(r, p, b, g) = select(p < 16, byte & 15, byte >> 4) - cast(Int(16), 8);
    dot(r, b, g, m) += nibbles(r, rp, b, g) * activation(rp) +
                       nibbles(r, rp + 16, b, g) * activation(rp + 16);
  }
  // fma(isum, d_w * d_x, acc) per row and block, in block order: the same
  // single roundings as llama.cpp's repacked Q4_0 kernels.
  acc(r, g, m) = 0.0f;
  acc(r, g, m) = fusedMultiplyAdd(cast(Float(32), dot(r, rb, g, m)), scales(r, rb, g) * xd(rb, m),
                                  acc(r, g, m), options.openclC);
  groupMatmuls.push_back({acc, dot, scales, nibbles, N / G, false});
  prod(n, m) = cast(type, acc(n % G, n / G, m));
  return Tensor{prod, out.shape, type, false};
}

} // namespace kiln::kernelgen::impl
