//===- KernelGroupMatmul.cpp - matmuls over weights in 32-row groups -----===//
//
// `qmatmul` of weights that kiln-repack-weights stored in groups of 32 rows
// (kiln/Quant/Repack.h, docs/repacking.md): the 32 rows of a group are the
// lanes of every vector, so a block's products never need a horizontal sum,
// and each format keeps the arithmetic of its row-wise kernel
// (KernelQuantMatmul.cpp) and so llama.cpp's results. Integer sums are
// exact in any order; the float operations are ggml's, in ggml's order.
// The activations arrive quantized by the caller (quantMatmul). With
// BuildOptions::vnni, prefill kernels (several activation rows) over Q4_0,
// Q8_0 and Q4_K weights write their integer dots as u8 x i8 sums of four
// (vpdpbusd), the same exact sums.
//
//===----------------------------------------------------------------------===//
#include "FusedMultiplyAdd.h"
#include "HalfFloat.h"
#include "KernelBuilderImpl.h"
#include "kiln/Quant/Repack.h"

namespace kiln::kernelgen::impl {

Tensor Builder::groupMatmul(const OpSpec &op, const ValueSpec &out, const QuantSource &source,
                            const Func &xq, const Func &x16, const Func &xd,
                            const Func &xsum) {
  // Repacked weights (kiln/Quant/Repack.h): per group of 32 rows and block
  // index, 64 bytes per f16 field (the scale d first), then the rest of the
  // blocks with the rows innermost.
  const Func &w = source.groups;
  const int G = int(quant::kRepackRows);
  std::string format = quantBlockFormat(source.dtype);
  bool q8 = format == "q8_0";
  const int stride = int(quantBlockBytes(source.dtype)) * G;
  int64_t N = out.shape[1], K = operand(op, 0).shape[1];
  Var r("r"), b("b"), g("g"), m("m"), n("n"), j("j");
  Func dot(name(op) + "_gdot"), scales(name(op) + "_gscales"), acc(name(op) + "_gacc");
  // An f16 field of 32 rows: their low bytes, then their high bytes.
  auto half = [&](int field) {
    Expr at = b * stride + field * 2 * G + r;
    return halfBitsToFloat(cast(UInt(32), w(at, g)) | (cast(UInt(32), w(at + G, g)) << 8));
  };
  scales(r, b, g) = half(0);
  // The block's other bytes (after its f16 fields) of 32 rows: byte e of
  // stored run q of each row (n consecutive bytes of the row kept
  // together, n = quant::rowRunBytes: pairs, or fours for Q6_K), or GGUF's
  // byte k of each row wherever its run is stored.
  quant::BlockFormat layout = *quant::formatFromName(format);
  const int run = int(quant::rowRunBytes(layout));
  Expr rest = b * stride + int(2 * quant::halfFields(layout)) * G;
  auto runAt = [&](Expr q, Expr e) { return w(rest + q * (run * G) + run * r + e, g); };
  auto byteAt = [&](Expr k) {
    return w(rest + quant::restOffsetOf<Expr>(layout, k, r, selectExpr), g);
  };
  // `pair(at..)`: nibble `high` of byte pair q of 32 rows times the
  // activation quants of elements `element` and element + 1: an 8-bit
  // multiply-add of pairs (pmaddubsw: unsigned nibble x signed quant, at
  // most 2 x 15 x 127, so it never saturates).
  auto nibblePair = [&](Func &pair, const std::vector<Var> &at, Expr q, Expr high, Expr element) {
    RDom re(0, 2, "re");
    Expr raw = runAt(q, re);
    Expr nibble = select(high, raw >> cast(UInt(8), 4), raw & cast(UInt(8), 15));
    pair(at) = cast(Int(16), 0);
    pair(at) = saturating_add(pair(at), cast(Int(16), nibble) * cast(Int(16), xq(element + re, m)));
  };
  auto activation = [&](Expr element) { return x16(b * 32 + element, m); };
  Type type = halideType(out.dtype);
  Func prod(name(op));
  // ggml's hsum_float_8 of a row's eight lanes (Q8_0, Q6_K).
  auto laneSum = [&]() {
    auto h = [&](int k) { return acc(n % G, k + 4, n / G, m) + acc(n % G, k, n / G, m); };
    return cast(type, (h(0) + h(2)) + (h(1) + h(3)));
  };
  if (format == "q4_k") {
    // Per block of 256: d and dmin (64 bytes each), the 12 scale bytes,
    // then the 128 quant bytes, each as 32 rows. Sub-block s = 2c + h is
    // nibble h of quant bytes 32c .. 32c + 31. Per row, as the row-wise
    // kernel: y += (d_w * d_x) * sum_s sc[s] * dot_s - (dmin_w * d_x) *
    // sum_s m[s] * xsum_s, the integer sums exact in any order.
    Var s("s"), h("h");
    auto scaleByte = [&](Expr k) { return cast(Int(16), byteAt(k)); };
    Func sc(name(op) + "_gsc"), mn(name(op) + "_gmin"), dmin(name(op) + "_gdmin");
    // get_scale_min_k4, for 32 rows at once.
    Expr lo = clamp(s, 0, 3), hi = clamp(s, 4, 7);
    sc(r, s, b, g) = select(s < 4, scaleByte(lo) & 63,
                            (scaleByte(hi + 4) & 15) | ((scaleByte(hi - 4) >> 6) << 4));
    mn(r, s, b, g) = select(s < 4, scaleByte(lo + 4) & 63,
                            (scaleByte(hi + 4) >> 4) | ((scaleByte(hi) >> 6) << 4));
    dmin(r, b, g) = half(1);
    // Each sub-block's dot in two 16-bit halves of 16 elements (at most
    // 16 x 15 x 127 each), each the sum of eight byte pairs' pmaddubsw:
    // quant bytes 2u, 2u + 1 of chunk c (byte pair 6 + 16c + u after the
    // 12 scale bytes) serve sub-blocks 2c (low nibbles) and 2c + 1 (high).
    Var u("u");
    Func pair(name(op) + "_gpair");
    Func scaled(name(op) + "_gisum");
    RDom rs(0, 8, "rs");
    bool vnni = vnniRows(out.shape[0]);
    if (vnni) {
      // With u8 x i8 dots of four (vpdpbusd): sub-block s's elements 4t ..
      // 4t + 3 are nibble s % 2 of byte pairs 2t and 2t + 1 of its chunk,
      // four contiguous activation quants; each sub-block's dot whole in
      // 32 bits, the same exact sum as the two halves below.
      RDom rv(0, 4, 0, 8, "rv"); // element of the four, t
      Expr raw = runAt(6 + 16 * (s / 2) + 2 * rv.y + rv.x / 2, rv.x % 2);
      Expr nibble = select(s % 2 == 1, raw >> cast(UInt(8), 4), raw & cast(UInt(8), 15));
      dot(r, s, b, g, m) = 0;
      dot(r, s, b, g, m) += cast(Int(32), nibble) *
                            cast(Int(32), xq(b * 256 + s * 32 + rv.y * 4 + rv.x, m));
      scaled(r, b, g, m) = 0;
      scaled(r, b, g, m) += cast(Int(32), sc(r, rs, b, g)) * dot(r, rs, b, g, m);
    } else {
      nibblePair(pair, {r, u, s, b, g, m}, 6 + 16 * (s / 2) + u, s % 2 == 1,
                 b * 256 + s * 32 + 2 * u);
      RDom rt(0, 8, "rt");
      dot(r, h, s, b, g, m) = cast(Int(16), 0);
      dot(r, h, s, b, g, m) += pair(r, h * 8 + rt, s, b, g, m);
      scaled(r, b, g, m) = 0;
      scaled(r, b, g, m) += cast(Int(32), sc(r, rs, b, g)) *
                            (cast(Int(32), dot(r, 0, rs, b, g, m)) +
                             cast(Int(32), dot(r, 1, rs, b, g, m)));
    }
    Func mins(name(op) + "_gimin");
    mins(r, b, g, m) = 0;
    mins(r, b, g, m) += cast(Int(32), mn(r, rs, b, g)) * xsum(b * 8 + rs, m);
    RDom rb(0, int(K / 256), "rb");
    acc(r, g, m) = 0.0f;
    acc(r, g, m) += (scales(r, rb, g) * xd(rb, m)) * cast(Float(32), scaled(r, rb, g, m)) -
                    (dmin(r, rb, g) * xd(rb, m)) * cast(Float(32), mins(r, rb, g, m));
    BuiltKernel::GroupMatmul group{acc, dot, scales, vnni ? Func() : pair, N / G, false,
                                   {sc, mn, dmin}, {dot, scaled, mins}};
    group.vnni = vnni;
    groupMatmuls.push_back(group);
    prod(n, m) = cast(type, acc(n % G, n / G, m));
    return Tensor{prod, out.shape, type, false};
  }
  if (format == "q6_k") {
    // ggml's eight-lane order, as the row-wise Q6_K kernel: lane j of a
    // row sums, over the block's eight 32-element groups c, scale(2c +
    // j / 4) x (elements 4j..4j+3 of group c: unsigned 6-bit quants times
    // activation quants), minus 32 x the activation sums of 16-element
    // groups 2j and 2j+1 times their scales; each lane accumulates
    // fma(d_x * d_w, lane, acc) over blocks and the lanes are summed as
    // hsum_float_8 does. GGUF's bytes (after d): ql 0..127, qh 128..191,
    // scales 192..207, each row's in runs of four, stored in the order
    // read here (quant::q6kQlRun): one load of a run holds elements
    // 4j..4j+3 of 32 rows; decoded in 8 bits, their pairs'
    // products are one pmaddubsw (at most 2 x 63 x 127), and the pairs
    // times the rows' scale one pmaddwd (each row's two 16-bit lanes
    // against its scale, twice).
    Var c("c"), s16("s16"), p("p"), e("e");
    Expr scaleByte = reinterpret(Int(8), byteAt(192 + s16));
    Func scale6(name(op) + "_gsc"), scalePair(name(op) + "_gscp");
    scale6(r, s16, b, g) = cast(Int(32), scaleByte);
    scalePair(e, r, s16, b, g) = cast(Int(16), scaleByte); // e: a row's two lanes
    // The 6-bit quant (in 8 bits) of element 4jj + ee of group cc.
    auto quant = [&](Expr jj, Expr cc, Expr ee) {
      Expr upper = cc / 4, quarter = cc % 4; // upper: elements 128..255
      Expr ql = runAt(quant::q6kQlRun<Expr>(upper, jj, quarter % 2), ee);
      Expr qh = runAt(quant::q6kQhRun<Expr>(upper, jj), ee);
      Expr low = select(quarter < 2, ql & 15, ql >> 4);
      Expr high = select(quarter == 0, qh << 4, quarter == 1, qh << 2, quarter == 2, qh, qh >> 2);
      return low | (high & 48);
    };
    Func pair(name(op) + "_gpair");
    RDom re(0, 2, "re");
    Expr element = 4 * j + 2 * p + re;
    pair(p, r, j, c, b, g, m) = cast(Int(16), 0);
    pair(p, r, j, c, b, g, m) =
        saturating_add(pair(p, r, j, c, b, g, m),
                       cast(Int(16), quant(j, c, 2 * p + re)) *
                           cast(Int(16), xq(b * 256 + c * 32 + element, m)));
    // rc[0]: pair of the lane; group 4 rc[3] + rc[2] + 2 rc[1].
    RDom rc(0, 2, 0, 2, 0, 2, 0, 2, "rc");
    Expr group = rc[3] * 4 + rc[2] + rc[1] * 2;
    dot(r, j, b, g, m) = -32 * (scale6(r, 2 * j, b, g) * xsum(b * 16 + 2 * j, m) +
                                scale6(r, 2 * j + 1, b, g) * xsum(b * 16 + 2 * j + 1, m));
    dot(r, j, b, g, m) += cast(Int(32), pair(rc[0], r, j, group, b, g, m)) *
                          cast(Int(32), scalePair(rc[0], r, 2 * group + j / 4, b, g));
    RDom rb(0, int(K / 256), "rb");
    acc(r, j, g, m) = 0.0f;
    acc(r, j, g, m) = fusedMultiplyAdd(xd(rb, m) * scales(r, rb, g),
                                       cast(Float(32), dot(r, j, rb, g, m)), acc(r, j, g, m),
                                       options.openclC);
    prod(n, m) = laneSum();
    groupMatmuls.push_back({acc, dot, scales, pair, N / G, true, {scale6, scalePair}, {dot}});
    return Tensor{prod, out.shape, type, false};
  }
  RDom rb(0, int(K / 32), "rb");
  if (q8) {
    // llamafile's tinyBLAS, as the row-wise Q8_0 kernel: per row, eight f32
    // lanes, lane j accumulating fma(d_w * d_x, integer sum of elements
    // 4j..4j+3 of each block, lane), summed pairwise at the end; integer
    // sums are exact in any order.
    bool vnni = xsum.defined(); // the activation sums of fours (quantMatmul)
    if (vnni) {
      // Each lane's sum as one u8 x i8 dot of four (vpdpbusd): the quants
      // offset to unsigned, sum (w + 128) x = sum w x + 128 sum x, the
      // last term subtracted first.
      RDom re(0, 4, "re");
      Expr element = j * 4 + re;
      Expr offset = runAt(element / 2, element % 2) ^ cast(UInt(8), 128);
      dot(r, j, b, g, m) = -128 * xsum(b * 8 + j, m);
      dot(r, j, b, g, m) += cast(Int(32), offset) * cast(Int(32), xq(b * 32 + element, m));
    } else {
      // Each element pair (2q, 2q+1) of 32 rows is one 64-byte load whose
      // 16-bit products add in pairs (vpmaddwd).
      RDom re(0, 2, 0, 2, "re"); // re.x: element of the pair, re.y: pair of the lane
      Expr pair = j * 2 + re.y;
      Expr quant = reinterpret(Int(8), runAt(pair, re.x));
      dot(r, j, b, g, m) = 0;
      dot(r, j, b, g, m) += cast(Int(32), cast(Int(16), quant)) *
                            cast(Int(32), activation(pair * 2 + re.x));
    }
    acc(r, j, g, m) = 0.0f;
    acc(r, j, g, m) = fusedMultiplyAdd(scales(r, rb, g) * xd(rb, m),
                                       cast(Float(32), dot(r, j, rb, g, m)), acc(r, j, g, m),
                                       options.openclC);
    prod(n, m) = laneSum();
    BuiltKernel::GroupMatmul group{acc, dot, scales, Func(), N / G, true};
    group.vnni = vnni;
    groupMatmuls.push_back(group);
    return Tensor{prod, out.shape, type, false};
  }
  // Q4_0: the block dots of 32 rows at once, sum (q - 8) x = sum q x - 8
  // sum x. Integer sums are the same in any order as ggml's.
  bool vnni = vnniRows(out.shape[0]);
  Func pair(name(op) + "_gpair");
  if (vnni) {
    // u8 x i8 dots of four (vpdpbusd): nibble h of byte pairs 2t and 2t + 1
    // are elements 16h + 4t .. 16h + 4t + 3, four contiguous activation
    // quants.
    RDom rv(0, 4, 0, 4, 0, 2, "rv"); // element of the four, t, nibble
    Expr raw = runAt(2 * rv.y + rv.x / 2, rv.x % 2);
    Expr nibble = select(rv.z == 1, raw >> cast(UInt(8), 4), raw & cast(UInt(8), 15));
    dot(r, b, g, m) = -8 * xsum(b, m);
    dot(r, b, g, m) += cast(Int(32), nibble) *
                       cast(Int(32), xq(b * 32 + rv.z * 16 + rv.y * 4 + rv.x, m));
  } else {
    // The low (high) nibbles of byte pair q times the activation quants of
    // elements 2q, 2q+1 (2q+16, 2q+17) are one pmaddubsw each. The pairs
    // add up in 16 bits, where the unsigned nibbles' sum may wrap but the
    // result (at most 32 x 8 x 127) fits, so the wrapped sum is exact.
    Var h("h"), q("q");
    nibblePair(pair, {r, h, q, b, g, m}, q, h == 1, b * 32 + h * 16 + 2 * q);
    RDom rq(0, 2, 0, 8, "rq"); // rq.x: nibble, rq.y: byte pair
    dot(r, b, g, m) = cast(Int(16), -8 * xsum(b, m));
    dot(r, b, g, m) += pair(r, rq.x, rq.y, b, g, m);
  }
  // fma(isum, d_w * d_x, acc) per row and block, in block order: the same
  // single roundings as llama.cpp's repacked Q4_0 kernels.
  acc(r, g, m) = 0.0f;
  acc(r, g, m) = fusedMultiplyAdd(cast(Float(32), dot(r, rb, g, m)), scales(r, rb, g) * xd(rb, m),
                                  acc(r, g, m), options.openclC);
  BuiltKernel::GroupMatmul group{acc, dot, scales, vnni ? Func() : pair, N / G, false};
  group.vnni = vnni;
  groupMatmuls.push_back(group);
  prod(n, m) = cast(type, acc(n % G, n / G, m));
  return Tensor{prod, out.shape, type, false};
}

} // namespace kiln::kernelgen::impl
