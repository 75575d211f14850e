//===- KernelReductions.cpp - matmuls, reductions, norms, conv, pooling ---===//
//
// The families whose Funcs have update definitions (accumulators); they are
// recorded in `reductions` for Schedules.cpp.
//
//===----------------------------------------------------------------------===//
#include "KernelBuilderImpl.h"

namespace kiln::kernelgen::impl {

Tensor Builder::reduceTail(const std::string &fname,
                           const std::vector<int64_t> &shape, size_t axis,
                           bool isMax, const Body &body) {
  std::vector<int64_t> lead(shape.begin(), shape.begin() + axis);
  Region region;
  for (size_t d = axis; d < shape.size(); ++d)
    region.push_back(Range(0, int(shape[d])));
  RDom r(region);
  std::vector<Var> vars;
  for (size_t i = 0; i < lead.size(); ++i)
    vars.emplace_back("l" + std::to_string(i));
  std::vector<Var> reversed(vars.rbegin(), vars.rend());
  Coords coords(vars.begin(), vars.end());
  for (int i = 0; i < r.dimensions(); ++i)
    coords.push_back(r[i]);
  Func f(fname);
  Expr value = body(coords);
  if (isMax) {
    f(reversed) = value.type().min();
    f(reversed) = max(f(reversed), value);
  } else {
    f(reversed) = cast(value.type(), 0);
    f(reversed) += value;
  }
  reductions.push_back(f);
  reductionShapes.push_back(lead);
  return Tensor{f, lead, value.type(), true};
}


Tensor Builder::matmul(const OpSpec &op, const ValueSpec &out) {
  const Tensor &a = operand(op, 0), &b = operand(op, 1);
  // qmatmul: [.., K] x [N, K] weights in a storage type, decoded to f32.
  bool transposed = op.has("transpose_rhs") || op.name == "qmatmul";
  size_t ra = a.shape.size(), r = out.shape.size();
  int64_t k = a.shape[ra - 1];
  RDom rk(0, int(k), "k");
  std::vector<Var> vars;
  for (size_t i = 0; i < r; ++i)
    vars.emplace_back("d" + std::to_string(i));
  std::vector<Var> reversed(vars.rbegin(), vars.rend());
  Coords c(vars.begin(), vars.end());
  // Batch coordinates broadcast like elementwise operands.
  auto batch = [&](const Tensor &t) {
    Coords in;
    size_t tb = t.shape.size() - 2, ob = r - 2, offset = ob - tb;
    for (size_t i = 0; i < tb; ++i)
      in.push_back(t.shape[i] == 1 && out.shape[offset + i] != 1
                       ? Expr(0)
                       : c[offset + i]);
    return in;
  };
  materialize(a);
  materialize(b);
  Coords ia = batch(a), ib = batch(b);
  ia.push_back(c[r - 2]);
  ia.push_back(rk);
  if (transposed) {
    ib.push_back(c[r - 1]);
    ib.push_back(rk);
  } else {
    ib.push_back(rk);
    ib.push_back(c[r - 1]);
  }
  Type type = halideType(out.dtype);
  Func prod(name(op));
  // The product of the operands' elements at reduction index `kk` (the
  // last coordinate of ia / ib). Weights stored as f16/bf16 meet
  // activations rounded to the same type, as llama.cpp computes (its dot
  // products convert the activations).
  auto term = [&](Expr kk) {
    Coords ka = ia, kb = ib;
    ka.back() = kk;
    (transposed ? kb.back() : kb[kb.size() - 2]) = kk;
    Expr lhs = at(a, ka);
    if (op.name == "qmatmul" && (b.type == Float(16) || b.type == BFloat(16)))
      lhs = convert(b.type, lhs);
    return convert(type, lhs) * convert(type, at(b, kb));
  };
  const int kDotLanes = options.dotLanes;
  if (transposed && kDotLanes > 0 && type.is_float() && k % kDotLanes == 0 &&
      out.shape[r - 1] % kDotLanes == 0) {
    // Dot products along K: lanes(lane, ...) += term(ko * L + lane); prod
    // adds the lanes.
    Var lane("lane");
    std::vector<Var> laneArgs{lane};
    laneArgs.insert(laneArgs.end(), reversed.begin(), reversed.end());
    Func lanes(name(op) + "_lanes");
    lanes(laneArgs) = cast(type, 0);
    RDom ko(0, int(k / kDotLanes), "ko");
    lanes(laneArgs) += term(ko * kDotLanes + lane);
    RDom rl(0, kDotLanes, "rl");
    std::vector<Expr> sumArgs{rl};
    sumArgs.insert(sumArgs.end(), reversed.begin(), reversed.end());
    prod(reversed) = cast(type, 0);
    prod(reversed) += lanes(sumArgs);
    int64_t rows = r >= 2 ? out.shape[r - 2] : 1;
    dotMatmuls.push_back({prod, lanes, rows, out.shape[r - 1], kDotLanes});
    return Tensor{prod, out.shape, type, true};
  }
  prod(reversed) = cast(type, 0);
  prod(reversed) += term(rk);
  reductions.push_back(prod);
  reductionShapes.push_back(out.shape);
  if (transposed)
    transposedMatmuls.insert(prod.name());
  return Tensor{prod, out.shape, type, true};
}


Tensor Builder::reduce(const OpSpec &op, const ValueSpec &out) {
  const Tensor &x = operand(op, 0);
  std::vector<int64_t> axes = op.has("axes")
                                  ? op.integers("axes")
                                  : std::vector<int64_t>{op.integer("axis", 0)};
  bool keep = op.integer("keepdims", 1) != 0;
  std::vector<bool> reduced(x.shape.size(), false);
  Region region;
  for (int64_t axis : axes) {
    int64_t d = normalize(axis, x.shape.size());
    reduced[d] = true;
  }
  for (size_t d = 0; d < x.shape.size(); ++d)
    if (reduced[d])
      region.push_back(Range(0, int(x.shape[d])));
  RDom r(region);
  std::vector<Var> vars;
  for (size_t i = 0; i < out.shape.size(); ++i)
    vars.emplace_back("d" + std::to_string(i));
  std::vector<Var> reversed(vars.rbegin(), vars.rend());
  Coords in;
  int nextR = 0, nextOut = 0;
  int64_t count = 1;
  for (size_t d = 0; d < x.shape.size(); ++d) {
    if (reduced[d]) {
      in.push_back(r[nextR++]);
      count *= x.shape[d];
      if (keep)
        ++nextOut;
    } else {
      in.push_back(vars[nextOut++]);
    }
  }
  Type type = halideType(out.dtype);
  Func f(name(op));
  Expr value = at(x, in);
  if (op.name == "arg_max" || op.name == "arg_min") {
    // (index, value) pairs; ties keep the first index unless
    // select_last_index.
    bool isMax = op.name == "arg_max", last = op.has("select_last_index");
    Type vt = x.type;
    f(reversed) = Tuple(cast(Int(64), 0), isMax ? vt.min() : vt.max());
    Expr best = f(reversed)[1];
    Expr better = isMax ? (last ? value >= best : value > best)
                        : (last ? value <= best : value < best);
    f(reversed) = Tuple(select(better, cast(Int(64), r[0]), f(reversed)[0]),
                        select(better, value, best));
    reductions.push_back(f);
    reductionShapes.push_back(out.shape);
    return define(name(op) + "_index", out.shape, type, [&](const Coords &c) {
      std::vector<Expr> rev(c.rbegin(), c.rend());
      return f(rev)[0];
    });
  }
  if (op.name == "reduce_max") {
    f(reversed) = type.min();
    f(reversed) = max(f(reversed), value);
  } else {
    f(reversed) = cast(type, 0);
    f(reversed) += value;
  }
  reductions.push_back(f);
  reductionShapes.push_back(out.shape);
  if (op.name != "reduce_mean")
    return Tensor{f, out.shape, type, true};
  Tensor sum{f, out.shape, type, true};
  return define(name(op) + "_mean", out.shape, type, [&](const Coords &c) {
    return at(sum, c) / cast(type, Expr(int32_t(count)));
  });
}


Tensor Builder::softmax(const OpSpec &op, const ValueSpec &out) {
  const Tensor &x = operand(op, 0);
  size_t rank = x.shape.size();
  size_t axis = normalize(op.integer("axis", -1), rank);
  Type type = halideType(out.dtype);
  // Move the softmax axis last in the reduction by reading x through a
  // coordinate map: lead coords are all dims but `axis`.
  auto read = [&](const Coords &lead, Expr a) {
    Coords c;
    size_t j = 0;
    for (size_t d = 0; d < rank; ++d)
      c.push_back(d == axis ? a : lead[j++]);
    return at(x, c);
  };
  std::vector<int64_t> leadShape;
  for (size_t d = 0; d < rank; ++d)
    if (d != axis)
      leadShape.push_back(x.shape[d]);
  std::vector<int64_t> reduceShape = leadShape;
  reduceShape.push_back(x.shape[axis]);
  size_t lr = leadShape.size();
  Tensor m = reduceTail(name(op) + "_max", reduceShape, lr, true,
                        [&](const Coords &c) {
                          return read(Coords(c.begin(), c.begin() + lr), c[lr]);
                        });
  Tensor s = reduceTail(name(op) + "_sum", reduceShape, lr, false,
                        [&](const Coords &c) {
                          Coords lead(c.begin(), c.begin() + lr);
                          return exp(read(lead, c[lr]) - at(m, lead));
                        });
  bool logForm = op.name == "log_softmax";
  return define(name(op), out.shape, type, [&](const Coords &c) {
    Coords lead;
    for (size_t d = 0; d < rank; ++d)
      if (d != axis)
        lead.push_back(c[d]);
    Expr shifted = at(x, c) - at(m, lead);
    return logForm ? shifted - log(at(s, lead)) : exp(shifted) / at(s, lead);
  });
}


Tensor Builder::norm(const OpSpec &op, const ValueSpec &out) {
  const Tensor &x = operand(op, 0), &w = operand(op, 1);
  size_t rank = x.shape.size();
  Type type = halideType(out.dtype);
  float eps = float(op.real("epsilon", 1e-5));
  if (op.name == "rms_norm") {
    // As ggml computes it: f32 squares summed in double (so the result
    // hardly depends on the summation order, or on how many rows a kernel
    // handles), mean and 1/sqrt in float, then (x * scale) * w.
    int64_t dim = x.shape[rank - 1];
    Tensor ss = reduceTail(name(op) + "_ss", x.shape, rank - 1, false,
                           [&](const Coords &c) {
                             Expr v = cast(Float(32), at(x, c));
                             return cast(Float(64), v * v);
                           });
    return define(name(op), out.shape, type, [&](const Coords &c) {
      Coords lead(c.begin(), c.end() - 1);
      Expr mean = cast(Float(32), at(ss, lead) / Expr(double(dim)));
      Expr scale = 1.0f / sqrt(mean + eps);
      return (cast(Float(32), at(x, c)) * scale) * at(w, {c.back()});
    });
  }
  // layer_norm over dims [axis, rank)
  size_t axis = normalize(op.integer("axis", -1), rank);
  int64_t count = 1;
  for (size_t d = axis; d < rank; ++d)
    count *= x.shape[d];
  Tensor sum = reduceTail(name(op) + "_sum", x.shape, axis, false,
                          [&](const Coords &c) { return at(x, c); });
  Tensor sq = reduceTail(name(op) + "_sq", x.shape, axis, false,
                         [&](const Coords &c) {
                           Coords lead(c.begin(), c.begin() + axis);
                           Expr d = at(x, c) - at(sum, lead) / float(count);
                           return d * d;
                         });
  std::vector<int64_t> normShape(x.shape.begin() + axis, x.shape.end());
  bool hasBias = op.operands.size() > 2;
  return define(name(op), out.shape, type, [&](const Coords &c) {
    Coords lead(c.begin(), c.begin() + axis), tail(c.begin() + axis, c.end());
    Expr mean = at(sum, lead) / float(count);
    Expr y = (at(x, c) - mean) / sqrt(at(sq, lead) / float(count) + eps) *
             broadcastAt(w, normShape, tail);
    if (hasBias)
      y += broadcastAt(operand(op, 2), normShape, tail);
    return y;
  });
}


/// Convolution and pooling: out(n, c, o...) reduces over a window whose
/// position k reads x at o * stride - pad_begin + k * dilation; positions in
/// the padding read 0 (conv, average) or are skipped (max).
Tensor Builder::windowed(const OpSpec &op, const ValueSpec &out) {
  const Tensor &x = operand(op, 0);
  bool conv = op.name == "conv";
  size_t spatial = x.shape.size() - 2;
  std::vector<int64_t> strides = op.integers("strides"),
                       pads = op.integers("pads"),
                       dilations = op.integers("dilations");
  std::vector<int64_t> kernel =
      conv ? std::vector<int64_t>(operand(op, 1).shape.begin() + 2,
                                  operand(op, 1).shape.end())
           : op.integers("kernel_shape");
  Type type = halideType(out.dtype);
  Region region;
  int64_t groupChannels = 0, group = op.integer("group", 1);
  if (conv) {
    groupChannels = operand(op, 1).shape[1];
    region.push_back(Range(0, int(groupChannels)));
  }
  for (int64_t k : kernel)
    region.push_back(Range(0, int(k)));
  RDom r(region);
  std::vector<Var> vars;
  for (size_t i = 0; i < out.shape.size(); ++i)
    vars.emplace_back("d" + std::to_string(i));
  std::vector<Var> reversed(vars.rbegin(), vars.rend());
  // Input coordinates of window position r, and whether they are inside.
  Coords in{vars[0], vars[1]};
  Expr inside = Internal::const_true(), insidePadded = Internal::const_true();
  int first = conv ? 1 : 0;
  for (size_t i = 0; i < spatial; ++i) {
    Expr p = Expr(vars[2 + i]) * int32_t(strides[i]) - int32_t(pads[i]) +
             r[first + int(i)] * int32_t(dilations[i]);
    int32_t extent = int32_t(x.shape[2 + i]);
    inside = inside && p >= 0 && p < extent;
    insidePadded = insidePadded && p >= -int32_t(pads[i]) &&
                   p < extent + int32_t(pads[spatial + i]);
    in.push_back(clamp(p, 0, extent - 1));
  }
  Func f(name(op));
  if (conv) {
    const Tensor &w = operand(op, 1);
    materialize(x);
    materialize(w);
    int64_t perGroup = out.shape[1] / group;
    in[1] = (Expr(vars[1]) / int32_t(perGroup)) * int32_t(groupChannels) + r[0];
    Coords wc{vars[1], r[0]};
    for (size_t i = 0; i < spatial; ++i)
      wc.push_back(r[1 + int(i)]);
    f(reversed) = cast(type, 0);
    f(reversed) += select(inside, at(x, in), cast(type, 0)) * at(w, wc);
    reductions.push_back(f);
    reductionShapes.push_back(out.shape);
    Tensor acc{f, out.shape, type, true};
    if (op.operands.size() < 3)
      return acc;
    const Tensor &bias = operand(op, 2);
    return define(name(op) + "_bias", out.shape, type, [&](const Coords &c) {
      return at(acc, c) + at(bias, {c[1]});
    });
  }
  if (op.name == "max_pool_indices") {
    // (flat index, value) of the first maximum inside the window.
    Type vt = x.type;
    std::vector<int64_t> inStrides = stridesOf(x.shape);
    bool columnMajor = op.has("column_major");
    Expr flat = Expr(vars[0]) * int32_t(inStrides[0]) + Expr(vars[1]) * int32_t(inStrides[1]);
    int64_t spatialStride = 1;
    for (size_t i = 0; i < spatial; ++i) {
      // Row-major: the last spatial dim has stride 1; column-major: the first.
      size_t d = columnMajor ? i : spatial - 1 - i;
      flat += in[2 + d] * int32_t(spatialStride);
      spatialStride *= x.shape[2 + d];
    }
    f(reversed) = Tuple(cast(Int(64), 0), vt.min());
    Expr value = select(inside, at(x, in), vt.min());
    Expr better = value > f(reversed)[1];
    f(reversed) = Tuple(select(better, cast(Int(64), flat), f(reversed)[0]),
                        select(better, value, f(reversed)[1]));
    reductions.push_back(f);
    reductionShapes.push_back(out.shape);
    return define(name(op) + "_index", out.shape, type, [&](const Coords &c) {
      std::vector<Expr> rev(c.rbegin(), c.rend());
      return f(rev)[0];
    });
  }
  if (op.name == "max_pool") {
    f(reversed) = type.min();
    f(reversed) = max(f(reversed), select(inside, at(x, in), type.min()));
    reductions.push_back(f);
    reductionShapes.push_back(out.shape);
    return Tensor{f, out.shape, type, true};
  }
  // avg_pool: sum of the inside values over the number of counted positions.
  Func count(name(op) + "_count");
  Expr counted = op.has("count_include_pad") ? insidePadded : inside;
  f(reversed) = cast(type, 0);
  f(reversed) += select(inside, at(x, in), cast(type, 0));
  count(reversed) = cast(type, 0);
  count(reversed) += select(counted, cast(type, 1), cast(type, 0));
  reductions.push_back(f);
  reductions.push_back(count);
  reductionShapes.push_back(out.shape);
  reductionShapes.push_back(out.shape);
  Tensor sum{f, out.shape, type, true}, n{count, out.shape, type, true};
  return define(name(op) + "_avg", out.shape, type, [&](const Coords &c) {
    return at(sum, c) / max(at(n, c), cast(type, 1));
  });
}

} // namespace kiln::kernelgen::impl
