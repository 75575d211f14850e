//===- KernelAttention.cpp - rotary embeddings and attention kernels ------===//
//
// rope: rotates feature pairs (adjacent `2i, 2i+1` or half-split `i, i+r/2`)
// by `pos * base^(-2i/r)`, as llama.cpp's rope does.
//
// attention: softmax(q k^T * scale) v per query head, reading kv head
// `h / (Hq/Hkv)`. Query s sees keys 0..limit(s): its position when the op
// has positions (a KV cache of T rows), else T-S+s when causal, else all.
// The bound is an RDom predicate, so a decode step over a cache touches only
// the rows written so far. The score, max, sum and weighted-sum Funcs are
// scheduled per (head, query) by the attention schedule (Schedules.cpp).
//
//===----------------------------------------------------------------------===//
#include "KernelBuilderImpl.h"

#include <cmath>

namespace kiln::kernelgen::impl {

Tensor Builder::rope(const OpSpec &op, const ValueSpec &out) {
  const Tensor &x = operand(op, 0), &pos = operand(op, 1);
  Type type = halideType(out.dtype);
  int64_t d = x.shape[3];
  int64_t rot = op.integer("rotary_dims", d);
  bool adjacent = op.str("mode", "adjacent") == "adjacent";
  double base = op.real("base", 10000.0);
  return define(name(op), out.shape, type, [&](const Coords &c) {
    Expr i = c[3];
    Expr pair = adjacent ? i / 2 : i % int(rot / 2);
    Expr first = adjacent ? pair * 2 : pair;
    Expr second = adjacent ? pair * 2 + 1 : pair + int(rot / 2);
    Expr isFirst = adjacent ? (i % 2 == 0) : (i < int(rot / 2));
    // theta = pos * base^(-2 pair / rot), in f32 as llama.cpp computes it.
    Expr exponent = cast(Float(32), pair * 2) / float(rot);
    Expr freq = pow(Expr(float(base)), -exponent);
    Expr theta = cast(Float(32), at(pos, {c[1]})) * freq;
    Expr cs = cos(theta), sn = sin(theta);
    Coords c0 = {c[0], c[1], c[2], clamp(first, 0, int(d - 1))};
    Coords c1 = {c[0], c[1], c[2], clamp(second, 0, int(d - 1))};
    Expr x0 = cast(Float(32), at(x, c0)), x1 = cast(Float(32), at(x, c1));
    Expr rotated = select(isFirst, x0 * cs - x1 * sn, x0 * sn + x1 * cs);
    return select(i < int(rot), rotated, cast(Float(32), at(x, c)));
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
  auto f32 = [](Expr e) { return cast(Float(32), e); };

  RDom rd(0, int(D), "rd");
  Func score(name(op) + "_score");
  score(t, h, s, b) = 0.0f;
  score(t, h, s, b) += f32(at(q, {b, s, h, rd})) * f32(at(k, {b, t, h / group, rd}));

  RDom rm(0, int(T), "rm");
  rm.where(rm <= limit(s));
  Func mx(name(op) + "_max");
  mx(h, s, b) = Float(32).min();
  mx(h, s, b) = max(mx(h, s, b), score(rm, h, s, b) * scale);

  RDom rs(0, int(T), "rs");
  rs.where(rs <= limit(s));
  Func den(name(op) + "_sum");
  den(h, s, b) = 0.0f;
  den(h, s, b) += exp(score(rs, h, s, b) * scale - mx(h, s, b));

  RDom rv(0, int(T), "rv");
  rv.where(rv <= limit(s));
  Func num(name(op) + "_num");
  num(dd, h, s, b) = 0.0f;
  num(dd, h, s, b) += exp(score(rv, h, s, b) * scale - mx(h, s, b)) *
                      f32(at(v, {b, rv, h / group, dd}));

  attentionParts = {score, mx, den, num};
  Tensor result{Func(name(op)), out.shape, type};
  result.func(dd, h, s, b) = cast(type, num(dd, h, s, b) / den(h, s, b));
  return result;
}

} // namespace kiln::kernelgen::impl
