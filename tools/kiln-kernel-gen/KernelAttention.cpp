//===- KernelAttention.cpp - rotary embeddings and attention kernels ------===//
//
// rope: rotates feature pairs (adjacent `2i, 2i+1` or half-split `i, i+r/2`)
// by `pos * base^(-2i/r)`, with the angles computed as llama.cpp's rope
// cache computes them (so the two agree to the last bit where libm does).
//
// attention: softmax(q k^T * scale) v per query head, reading kv head
// `h / (Hq/Hkv)`. Query s sees keys 0..limit(s): its position when the op
// has positions (a KV cache of T rows), else T-S+s when causal, else all.
// The bound is an RDom predicate, so a decode step over a cache touches only
// the rows written so far. With an f32 cache the softmax is exact (max, sum,
// weighted sum); with an f16 cache the kernel computes what llama.cpp's CPU
// flash attention computes (online softmax, f16 value accumulator), so the
// two agree to float rounding. The score, max, softmax-factor, sum and
// weighted-sum Funcs are scheduled per (head, query) by the attention
// schedule (Schedules.cpp).
//
//===----------------------------------------------------------------------===//
#include "FusedMultiplyAdd.h"
#include "HalfFloat.h"
#include "KernelBuilderImpl.h"

#include <cmath>
#include <functional>

namespace kiln::kernelgen::impl {

Tensor Builder::rope(const OpSpec &op, const ValueSpec &out) {
  const Tensor &x = operand(op, 0), &pos = operand(op, 1);
  Type type = halideType(out.dtype);
  int64_t S = x.shape[1], d = x.shape[3];
  int64_t rot = op.integer("rotary_dims", d);
  int half = int(rot / 2);
  bool adjacent = op.str("mode", "adjacent") == "adjacent";
  // The angle table, computed once per kernel exactly as ggml's rope cache
  // does: theta starts at the position and is multiplied by
  // base^(-2/rot) once per pair (rounding at every step), then cosf/sinf.
  float thetaScale = std::pow(float(op.real("base", 10000.0)), -2.0f / float(rot));
  Var i("i"), sq("sq");
  Func theta(name(op) + "_theta");
  theta(i, sq) = cast(Float(32), at(pos, {sq}));
  RDom scan(1, std::max(half - 1, 1), "scan");
  if (half > 1)
    theta(scan, sq) = theta(scan - 1, sq) * thetaScale;
  Func cosTable(name(op) + "_cos"), sinTable(name(op) + "_sin");
  cosTable(i, sq) = cos(theta(i, sq));
  sinTable(i, sq) = sin(theta(i, sq));
  theta.compute_root();
  reductions.push_back(cosTable); // computed once, at root
  reductionShapes.push_back({S, int64_t(half)});
  reductions.push_back(sinTable);
  reductionShapes.push_back({S, int64_t(half)});
  return define(name(op), out.shape, type, [&](const Coords &c) {
    Expr e = c[3];
    Expr pair = clamp(adjacent ? e / 2 : e % half, 0, half - 1);
    Expr first = adjacent ? pair * 2 : pair;
    Expr second = adjacent ? pair * 2 + 1 : pair + half;
    Expr isFirst = adjacent ? (e % 2 == 0) : (e < half);
    Expr cs = cosTable(pair, c[1]), sn = sinTable(pair, c[1]);
    Coords c0 = {c[0], c[1], c[2], clamp(first, 0, int(d - 1))};
    Coords c1 = {c[0], c[1], c[2], clamp(second, 0, int(d - 1))};
    Expr x0 = cast(Float(32), at(x, c0)), x1 = cast(Float(32), at(x, c1));
    Expr rotated = select(isFirst, x0 * cs - x1 * sn, x0 * sn + x1 * cs);
    return select(e < int(rot), rotated, cast(Float(32), at(x, c)));
  });
}

Tensor Builder::attention(const OpSpec &op, const ValueSpec &out) {
  const Tensor &q = operand(op, 0), &k = operand(op, 1), &v = operand(op, 2);
  bool hasPositions = op.operands.size() > 3;
  Type type = halideType(out.dtype);
  int64_t S = q.shape[1], Hq = q.shape[2], D = q.shape[3];
  int64_t T = k.shape[1], Hkv = k.shape[2];
  int group = int(Hq / Hkv);
  float scale = float(op.real("scale", 1.0 / std::sqrt(double(D))));
  materialize(q);

  Var t("t"), h("h"), s("s"), b("b"), dd("dd");
  auto limit = [&](Expr sq) -> Expr {
    if (hasPositions)
      return cast(Int(32), at(operand(op, 3), {sq}));
    if (op.has("causal"))
      return int(T - S) + sq;
    return int(T - 1);
  };
  // f16 values (the KV cache) widen and round through HalfFloat.h's short
  // exact forms rather than Halide 14's long software conversions.
  auto f32 = [](Expr e) { return e.type() == Float(16) ? halfToFloat(e) : cast(Float(32), e); };

  // An f16 cache is read as llama.cpp's flash attention reads it: queries
  // rounded to f16, products accumulated in f32.
  bool halfCache = k.type == Float(16);
  // Prefill on CPUs: the f16 rows the queries read (up to the last
  // query's limit) are widened once per kernel, not once per query head
  // and query: a chunk of 128 queries with 8 query heads per kv head read
  // each key up to 1024 times. The same conversion, so the same values.
  // (A decode step reads each key once per query head; there the extra
  // pass over the cache measured slower.)
  std::function<Expr(Expr, Expr)> keyAt = [&](Expr tt, Expr dim) {
    return f32(at(k, {b, tt, h / group, dim}));
  };
  std::function<Expr(Expr, Expr)> valueAt = [&](Expr tt, Expr dim) {
    return f32(at(v, {b, tt, h / group, dim}));
  };
  if (halfCache && options.dotLanes > 0 && S > 1) {
    Var kh("kh");
    Func lastKey(name(op) + "_last_key");
    RDom rq(0, int(S), "rq");
    lastKey() = 0;
    lastKey() = max(lastKey(), limit(rq));
    auto widened = [&](const Tensor &cache, const char *suffix) {
      Func rows(name(op) + suffix);
      RDom rt(0, int(T), "rt");
      rt.where(rt <= lastKey());
      rows(dd, t, kh, b) = 0.0f;
      rows(dd, rt, kh, b) = f32(at(cache, {b, rt, kh, dd}));
      return rows;
    };
    Func kw = widened(k, "_k32"), vw = widened(v, "_v32");
    attentionCache = {lastKey, kw, vw};
    keyAt = [kw, h, group, b](Expr tt, Expr dim) { return kw(dim, tt, h / group, b); };
    valueAt = [vw, h, group, b](Expr tt, Expr dim) { return vw(dim, tt, h / group, b); };
  }
  auto query = [&](Expr e) {
    return halfCache ? roundToHalf(f32(e)) : f32(e);
  };
  // The (rounded) query row, computed once per query and head rather than
  // once per key.
  Func qrow(name(op) + "_q");
  qrow(dd, h, s, b) = query(at(q, {b, s, h, dd}));
  // Query s's keys first..limit(s), as a reduction over the cache rows.
  auto keys = [&](const char *rdomName, int first = 0) {
    RDom r(first, int(std::max<int64_t>(T - first, 1)), rdomName);
    r.where(r <= limit(s));
    return r;
  };
  // Keys past a query's limit are never read, so they are not scored:
  // every reduction that builds a score is predicated on the key's place
  // (Halide bounds the score Func by its whole extent, T, while the
  // consumers' loops stop at the limit).
  auto scored = [&](RDom r) {
    r.where(t <= limit(s));
    return r;
  };
  RDom rd = scored(RDom(0, int(D), "rd"));
  Func score(name(op) + "_score");
  if (halfCache) {
    // Products of two f16 values are exact in f32; ggml sums them in
    // double for heads narrower than its vector step, so the sum is the
    // exactly rounded one, whatever the order.
    if (options.dotLanes > 0 && D % 8 == 0) {
      // On CPUs, 8 double lanes along head_dim (contiguous vector loads
      // and conversions), then added up: the same exact products summed
      // in double in another order.
      Var ln("ln");
      scoreLanes = Func(name(op) + "_score_lanes");
      RDom ro = scored(RDom(0, int(D / 8), "ro"));
      scoreLanes(ln, t, h, s, b) = cast(Float(64), 0);
      scoreLanes(ln, t, h, s, b) +=
          cast(Float(64), qrow(ro * 8 + ln, h, s, b) * keyAt(t, ro * 8 + ln));
      RDom rl = scored(RDom(0, 8, "rl"));
      score(t, h, s, b) = cast(Float(64), 0);
      score(t, h, s, b) += scoreLanes(rl, t, h, s, b);
    } else {
      score(t, h, s, b) = cast(Float(64), 0);
      score(t, h, s, b) += cast(Float(64), qrow(rd, h, s, b) * keyAt(t, rd));
    }
  } else {
    score(t, h, s, b) = 0.0f;
    score(t, h, s, b) += qrow(rd, h, s, b) * keyAt(t, rd);
  }

  if (halfCache) {
    // ggml's CPU flash attention with an f16 cache: keys in order, a
    // running max M and sum S in f32, the weighted values accumulated in an
    // f16 vector (rescaled, rounded, when M grows), divided by S at the end.
    Func scaled(name(op) + "_scaled");
    scaled(t, h, s, b) = cast(Float(32), score(t, h, s, b)) * scale;
    Func prefixMax(name(op) + "_prefix_max");
    prefixMax(t, h, s, b) = scaled(t, h, s, b);
    RDom rp = keys("rp", 1);
    if (T > 1)
      prefixMax(rp, h, s, b) = max(prefixMax(rp - 1, h, s, b), scaled(rp, h, s, b));
    // Key t's two factors, computed once per key (the sum and every
    // head_dim element of the weighted sum read them): ms rescales what
    // was accumulated when the max grows, vs weighs key t's value.
    Func steps(name(op) + "_steps");
    {
      RDom rw = keys("rw");
      Expr cur = scaled(rw, h, s, b), m = prefixMax(rw, h, s, b);
      Expr old = select(rw == 0, Float(32).min(), prefixMax(max(rw - 1, 0), h, s, b));
      Expr grows = rw == 0 || cur > old;
      Expr ms = select(rw == 0, 0.0f, select(grows, exp(old - m), 1.0f));
      Expr vs = select(grows, 1.0f, exp(cur - m));
      steps(t, h, s, b) = Tuple(0.0f, 0.0f);
      steps(rw, h, s, b) = Tuple(ms, vs);
    }
    auto stepsAt = [&](Expr tt) {
      return std::make_pair(steps(tt, h, s, b)[0], steps(tt, h, s, b)[1]);
    };
    RDom ra = keys("ra");
    Func den(name(op) + "_sum");
    den(h, s, b) = 0.0f;
    auto [msS, vsS] = stepsAt(ra);
    // ggml's C code is compiled with FMA contraction: a*b + c rounds once.
    auto fma32 = [&](Expr a, Expr bb, Expr c) {
      return fusedMultiplyAdd(a, bb, c, options.openclC);
    };
    den(h, s, b) = fma32(den(h, s, b), msS, vsS);
    RDom rv = keys("rv");
    Func num(name(op) + "_num");
    num(dd, h, s, b) = 0.0f;
    auto [msV, vsV] = stepsAt(rv);
    num(dd, h, s, b) = roundToHalf(fma32(valueAt(rv, dd), vsV,
                                         roundToHalf(num(dd, h, s, b) * msV)));
    attentionParts = {score, prefixMax, den, num, qrow};
    attentionSteps = steps;
    Tensor result{Func(name(op)), out.shape, type};
    result.func(dd, h, s, b) = cast(type, num(dd, h, s, b) * (1.0f / den(h, s, b)));
    return result;
  }

  RDom rm = keys("rm");
  Func mx(name(op) + "_max");
  mx(h, s, b) = Float(32).min();
  mx(h, s, b) = max(mx(h, s, b), score(rm, h, s, b) * scale);

  RDom rs = keys("rs");
  Func den(name(op) + "_sum");
  den(h, s, b) = 0.0f;
  den(h, s, b) += exp(score(rs, h, s, b) * scale - mx(h, s, b));

  RDom rv = keys("rv");
  Func num(name(op) + "_num");
  num(dd, h, s, b) = 0.0f;
  num(dd, h, s, b) += exp(score(rv, h, s, b) * scale - mx(h, s, b)) *
                      valueAt(rv, dd);

  attentionParts = {score, mx, den, num, qrow};
  Tensor result{Func(name(op)), out.shape, type};
  result.func(dd, h, s, b) = cast(type, num(dd, h, s, b) / den(h, s, b));
  return result;
}

} // namespace kiln::kernelgen::impl
