//===- KernelBuilder.cpp - kiln ops as Halide algorithms ------------------===//
//
// One function per op (or op family). Every out-of-shape access is made
// impossible by construction (broadcast dims read index 0, gathers and
// concatenations clamp), so Halide's bounds inference stays within the
// input buffers.
//
//===----------------------------------------------------------------------===//
#include "KernelBuilder.h"

#include <functional>
#include <stdexcept>

namespace kiln::kernelgen {
using namespace Halide;

Type halideType(const std::string &dtype) {
  if (dtype == "f32") return Float(32);
  if (dtype == "f16") return Float(16);
  if (dtype == "bf16") return BFloat(16);
  if (dtype == "f64") return Float(64);
  if (dtype == "i1") return Bool();
  if (dtype == "i8") return Int(8);
  if (dtype == "i16") return Int(16);
  if (dtype == "i32") return Int(32);
  if (dtype == "i64") return Int(64);
  if (dtype == "u8") return UInt(8);
  throw std::runtime_error("unknown element type '" + dtype + "'");
}

namespace {
using Coords = std::vector<Expr>;
using Body = std::function<Expr(const Coords &)>;

/// Calls `t` at tensor-order coordinates.
Expr at(const Tensor &t, const Coords &coords) {
  std::vector<Expr> reversed(coords.rbegin(), coords.rend());
  return t.func(reversed);
}

/// A Func over `shape` defined by `body` (called with tensor-order vars).
Tensor define(const std::string &name, const std::vector<int64_t> &shape,
              Type type, const Body &body) {
  std::vector<Var> vars;
  for (size_t i = 0; i < shape.size(); ++i)
    vars.emplace_back("d" + std::to_string(i));
  Coords coords(vars.begin(), vars.end());
  std::vector<Var> reversed(vars.rbegin(), vars.rend());
  Tensor t{Func(name), shape, type};
  t.func(reversed) = cast(type, body(coords));
  return t;
}

/// `t` read at output coordinates of a numpy broadcast to `outShape`.
Expr broadcastAt(const Tensor &t, const std::vector<int64_t> &outShape,
                 const Coords &coords) {
  size_t offset = outShape.size() - t.shape.size();
  Coords in;
  for (size_t i = 0; i < t.shape.size(); ++i)
    in.push_back(t.shape[i] == 1 && outShape[offset + i] != 1
                     ? Expr(0)
                     : coords[offset + i]);
  return at(t, in);
}

std::vector<int64_t> stridesOf(const std::vector<int64_t> &shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (int i = int(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

int64_t normalize(int64_t axis, size_t rank) {
  return axis < 0 ? axis + int64_t(rank) : axis;
}

class Builder {
public:
  explicit Builder(const KernelSpec &kernel) : kernel(kernel) {}

  BuiltKernel build();

private:
  const Tensor &operand(const OpSpec &op, size_t i) {
    if (i >= op.operands.size())
      fail(op, "is missing operand #" + std::to_string(i));
    auto it = tensors.find(op.operands[i]);
    if (it == tensors.end())
      fail(op, "uses undefined value " + std::to_string(op.operands[i]));
    return it->second;
  }
  [[noreturn]] void fail(const OpSpec &op, const std::string &why) {
    throw std::runtime_error("kernel " + kernel.name + ", op '" + op.name +
                             "' (value " + std::to_string(op.id) + "): " + why);
  }
  const ValueSpec &result(const OpSpec &op) {
    auto it = kernel.values.find(op.id);
    if (it == kernel.values.end())
      fail(op, "has no value line for its result");
    return it->second;
  }
  std::string name(const OpSpec &op) {
    return op.name + "_" + std::to_string(op.id);
  }

  Tensor buildOp(const OpSpec &op);
  Tensor elementwise(const OpSpec &op, const ValueSpec &out);
  Tensor matmul(const OpSpec &op, const ValueSpec &out);
  Tensor reduce(const OpSpec &op, const ValueSpec &out);
  Tensor softmax(const OpSpec &op, const ValueSpec &out);
  Tensor norm(const OpSpec &op, const ValueSpec &out);
  Tensor dataMovement(const OpSpec &op, const ValueSpec &out);
  Tensor windowed(const OpSpec &op, const ValueSpec &out);
  /// Sum or max of `body` over the trailing dims from `axis`, as a Func over
  /// the leading dims (for norms and softmax).
  Tensor reduceTail(const std::string &name, const std::vector<int64_t> &shape,
                    size_t axis, bool isMax, const Body &body);

  const KernelSpec &kernel;
  std::map<int, Tensor> tensors;
  std::vector<Func> reductions;
  std::vector<std::vector<int64_t>> reductionShapes;
  std::vector<Func> materialized;
  std::vector<std::vector<int64_t>> materializedShapes;

  /// Marks a computed (not input, not constant) operand of a matmul-like
  /// reduction to be computed once.
  void materialize(const Tensor &t) {
    const std::string &n = t.func.name();
    if (t.reduction || n.rfind("input", 0) == 0 || n.rfind("const", 0) == 0)
      return;
    for (const Func &f : materialized)
      if (f.name() == n)
        return;
    materialized.push_back(t.func);
    materializedShapes.push_back(t.shape);
  }
};

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

Tensor Builder::elementwise(const OpSpec &op, const ValueSpec &out) {
  Type type = halideType(out.dtype);
  const std::string &n = op.name;
  auto unary = [&](std::function<Expr(Expr)> fn) {
    const Tensor &x = operand(op, 0);
    return define(name(op), out.shape, type,
                  [&](const Coords &c) { return fn(at(x, c)); });
  };
  auto binary = [&](std::function<Expr(Expr, Expr)> fn) {
    const Tensor &a = operand(op, 0), &b = operand(op, 1);
    return define(name(op), out.shape, type, [&](const Coords &c) {
      return fn(broadcastAt(a, out.shape, c), broadcastAt(b, out.shape, c));
    });
  };
  if (n == "sqrt") return unary([](Expr x) { return sqrt(x); });
  if (n == "rsqrt") return unary([](Expr x) { return 1.0f / sqrt(x); });
  if (n == "exp") return unary([](Expr x) { return exp(x); });
  if (n == "log") return unary([](Expr x) { return log(x); });
  if (n == "erf") return unary([](Expr x) { return erf(x); });
  if (n == "tanh") return unary([](Expr x) { return tanh(x); });
  if (n == "sigmoid")
    return unary([](Expr x) { return 1.0f / (1.0f + exp(-x)); });
  if (n == "silu") return unary([](Expr x) { return x / (1.0f + exp(-x)); });
  if (n == "relu")
    return unary([](Expr x) { return max(x, cast(x.type(), 0)); });
  if (n == "neg") return unary([](Expr x) { return -x; });
  if (n == "sin") return unary([](Expr x) { return sin(x); });
  if (n == "cos") return unary([](Expr x) { return cos(x); });
  if (n == "tan") return unary([](Expr x) { return tan(x); });
  if (n == "asin") return unary([](Expr x) { return asin(x); });
  if (n == "acos") return unary([](Expr x) { return acos(x); });
  if (n == "atan") return unary([](Expr x) { return atan(x); });
  if (n == "sinh") return unary([](Expr x) { return sinh(x); });
  if (n == "cosh") return unary([](Expr x) { return cosh(x); });
  if (n == "asinh") return unary([](Expr x) { return asinh(x); });
  if (n == "acosh") return unary([](Expr x) { return acosh(x); });
  if (n == "atanh") return unary([](Expr x) { return atanh(x); });
  if (n == "floor") return unary([](Expr x) { return floor(x); });
  if (n == "ceil") return unary([](Expr x) { return ceil(x); });
  // Halide's round() rounds halves to even, as ONNX's Round does.
  if (n == "round") return unary([](Expr x) { return round(x); });
  if (n == "abs") return unary([](Expr x) { return cast(x.type(), abs(x)); });
  if (n == "gelu") {
    bool tanhForm = op.str("approximation", "none") == "tanh";
    return unary([tanhForm](Expr x) {
      if (tanhForm)
        return 0.5f * x *
               (1.0f + tanh(0.7978845608f * (x + 0.044715f * x * x * x)));
      return 0.5f * x * (1.0f + erf(x * 0.70710678118f));
    });
  }
  if (n == "add") return binary([](Expr a, Expr b) { return a + b; });
  if (n == "sub") return binary([](Expr a, Expr b) { return a - b; });
  if (n == "mul") return binary([](Expr a, Expr b) { return a * b; });
  if (n == "div")
    return binary([type](Expr a, Expr b) {
      // Integer division truncates toward zero (C, ONNX), unlike Halide's.
      return type.is_float() ? a / b : div_round_to_zero(a, b);
    });
  if (n == "pow") return binary([](Expr a, Expr b) { return pow(a, b); });
  if (n == "max") return binary([](Expr a, Expr b) { return max(a, b); });
  if (n == "min") return binary([](Expr a, Expr b) { return min(a, b); });
  if (n == "compare" && op.operands.size() == 2 &&
      op.operands[0] == op.operands[1] && operand(op, 0).type.is_float()) {
    // x != x and x == x are NaN tests; Halide's simplifier would fold them.
    std::string p = op.str("predicate", "");
    if (p == "ne" || p == "eq") {
      const Tensor &a = operand(op, 0);
      bool ne = p == "ne";
      return define(name(op), out.shape, type, [&](const Coords &c) {
        Expr nan = is_nan(at(a, c));
        return ne ? nan : !nan;
      });
    }
  }
  if (n == "compare") {
    std::string p = op.str("predicate", "");
    return binary([p](Expr a, Expr b) -> Expr {
      if (p == "eq") return a == b;
      if (p == "ne") return a != b;
      if (p == "lt") return a < b;
      if (p == "le") return a <= b;
      if (p == "gt") return a > b;
      return a >= b;
    });
  }
  if (n == "select") {
    const Tensor &c = operand(op, 0), &a = operand(op, 1), &b = operand(op, 2);
    return define(name(op), out.shape, type, [&](const Coords &co) {
      return select(broadcastAt(c, out.shape, co), broadcastAt(a, out.shape, co),
                    broadcastAt(b, out.shape, co));
    });
  }
  if (n == "cast")
    return unary([type](Expr x) -> Expr {
      if (type.is_bool())
        return x != cast(x.type(), 0);
      return cast(type, x);
    });
  fail(op, "is not supported by kiln's kernel generator yet");
}

Tensor Builder::matmul(const OpSpec &op, const ValueSpec &out) {
  const Tensor &a = operand(op, 0), &b = operand(op, 1);
  bool transposed = op.has("transpose_rhs");
  size_t ra = a.shape.size(), rb = b.shape.size(), r = out.shape.size();
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
  prod(reversed) = cast(type, 0);
  prod(reversed) += at(a, ia) * at(b, ib);
  (void)rb;
  reductions.push_back(prod);
  reductionShapes.push_back(out.shape);
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
    int64_t dim = x.shape[rank - 1];
    Tensor ss = reduceTail(name(op) + "_ss", x.shape, rank - 1, false,
                           [&](const Coords &c) {
                             Expr v = at(x, c);
                             return v * v;
                           });
    return define(name(op), out.shape, type, [&](const Coords &c) {
      Coords lead(c.begin(), c.end() - 1);
      return at(x, c) / sqrt(at(ss, lead) / float(dim) + eps) *
             at(w, {c.back()});
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

Tensor Builder::dataMovement(const OpSpec &op, const ValueSpec &out) {
  const Tensor &x = operand(op, 0);
  Type type = halideType(out.dtype);
  const std::string &n = op.name;
  if (n == "reshape" || n == "squeeze" || n == "unsqueeze" ||
      n == "dynamic_reshape") {
    std::vector<int64_t> outStrides = stridesOf(out.shape);
    std::vector<int64_t> inStrides = stridesOf(x.shape);
    return define(name(op), out.shape, type, [&](const Coords &c) {
      Expr linear = Expr(int32_t(0));
      for (size_t i = 0; i < c.size(); ++i)
        linear += c[i] * int32_t(outStrides[i]);
      Coords in;
      for (size_t j = 0; j < x.shape.size(); ++j)
        in.push_back((linear / int32_t(inStrides[j])) % int32_t(x.shape[j]));
      return at(x, in);
    });
  }
  if (n == "transpose") {
    std::vector<int64_t> perm = op.integers("perm");
    return define(name(op), out.shape, type, [&](const Coords &c) {
      Coords in(perm.size());
      for (size_t i = 0; i < perm.size(); ++i)
        in[perm[i]] = c[i];
      return at(x, in);
    });
  }
  if (n == "slice") {
    std::vector<int64_t> offsets = op.integers("offsets"),
                         strides = op.integers("strides");
    return define(name(op), out.shape, type, [&](const Coords &c) {
      Coords in;
      for (size_t i = 0; i < c.size(); ++i)
        in.push_back(int32_t(offsets[i]) + c[i] * int32_t(strides[i]));
      return at(x, in);
    });
  }
  if (n == "broadcast")
    return define(name(op), out.shape, type, [&](const Coords &c) {
      return broadcastAt(x, out.shape, c);
    });
  if (n == "concat") {
    size_t axis = normalize(op.integer("axis", 0), out.shape.size());
    return define(name(op), out.shape, type, [&](const Coords &c) {
      // Last input first, then select backwards; clamped so every branch
      // stays inside its input.
      size_t count = op.operands.size();
      std::vector<int64_t> starts;
      int64_t start = 0;
      for (size_t i = 0; i < count; ++i) {
        starts.push_back(start);
        start += operand(op, i).shape[axis];
      }
      Expr value;
      for (size_t i = count; i-- > 0;) {
        const Tensor &t = operand(op, i);
        Coords in = c;
        in[axis] = clamp(c[axis] - int32_t(starts[i]), 0,
                         std::max<int32_t>(int32_t(t.shape[axis]) - 1, 0));
        Expr here = at(t, in);
        value = value.defined()
                    ? select(c[axis] >= int32_t(starts[i + 1]), value, here)
                    : here;
      }
      return value;
    });
  }
  if (n == "gather_elements") {
    const Tensor &idx = operand(op, 1);
    size_t axis = normalize(op.integer("axis", 0), x.shape.size());
    int32_t dim = int32_t(x.shape[axis]);
    return define(name(op), out.shape, type, [&](const Coords &c) {
      Expr i = cast(Int(32), at(idx, c));
      Coords in = c;
      in[axis] = clamp(select(i < 0, i + dim, i), 0, dim - 1);
      return at(x, in);
    });
  }
  if (n == "gather" || n == "embedding") {
    const Tensor &idx = operand(op, 1);
    size_t axis = n == "embedding" ? 0 : normalize(op.integer("axis", 0), x.shape.size());
    int32_t dim = int32_t(x.shape[axis]);
    size_t ir = idx.shape.size();
    return define(name(op), out.shape, type, [&](const Coords &c) {
      Coords ic(c.begin() + axis, c.begin() + axis + ir);
      Expr i = cast(Int(32), at(idx, ic));
      i = clamp(select(i < 0, i + dim, i), 0, dim - 1);
      Coords in(c.begin(), c.begin() + axis);
      in.push_back(i);
      in.insert(in.end(), c.begin() + axis + ir, c.end());
      return at(x, in);
    });
  }
  fail(op, "is not supported by kiln's kernel generator yet");
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

Tensor Builder::buildOp(const OpSpec &op) {
  const ValueSpec &out = result(op);
  const std::string &n = op.name;
  if (n == "conv" || n == "max_pool" || n == "avg_pool")
    return windowed(op, out);
  if (n == "matmul")
    return matmul(op, out);
  if (n == "reduce_sum" || n == "reduce_mean" || n == "reduce_max" ||
      n == "arg_max" || n == "arg_min")
    return reduce(op, out);
  if (n == "softmax" || n == "log_softmax")
    return softmax(op, out);
  if (n == "rms_norm" || n == "layer_norm")
    return norm(op, out);
  if (n == "reshape" || n == "squeeze" || n == "unsqueeze" || n == "transpose" ||
      n == "slice" || n == "broadcast" || n == "concat" || n == "gather" ||
      n == "gather_elements" ||
      n == "embedding" || n == "dynamic_reshape")
    return dataMovement(op, out);
  return elementwise(op, out);
}

BuiltKernel Builder::build() {
  BuiltKernel built;
  for (int id : kernel.inputs) {
    const ValueSpec &value = kernel.values.at(id);
    ImageParam param(halideType(value.dtype), int(value.shape.size()),
                     "in" + std::to_string(id));
    // Dense row-major buffers of exactly the declared shape.
    int64_t stride = 1;
    for (size_t h = 0; h < value.shape.size(); ++h) {
      int64_t extent = value.shape[value.shape.size() - 1 - h];
      param.dim(int(h)).set_bounds(0, int(extent)).set_stride(int(stride));
      stride *= extent;
    }
    built.inputs.push_back(param);
    tensors[id] = define("input" + std::to_string(id), value.shape, param.type(),
                         [&](const Coords &c) {
                           std::vector<Expr> r(c.rbegin(), c.rend());
                           return param(r);
                         });
  }
  for (const ConstSpec &constant : kernel.constants) {
    const ValueSpec &value = kernel.values.at(constant.id);
    std::vector<int> extents(value.shape.rbegin(), value.shape.rend());
    Buffer<> data(halideType(value.dtype), extents);
    size_t count = constant.values.size();
    size_t total = 1;
    for (int64_t d : value.shape)
      total *= size_t(d);
    if (count != total && count != 1)
      throw std::runtime_error("kernel " + kernel.name + ": constant " +
                               std::to_string(constant.id) + " has " +
                               std::to_string(count) + " values for " +
                               std::to_string(total) + " elements");
    Type t = data.type();
    std::vector<int64_t> strides = stridesOf(value.shape);
    for (size_t i = 0; i < total; ++i) {
      double v = constant.values[count == 1 ? 0 : i];
      std::vector<int> pos(value.shape.size());
      for (size_t d = 0; d < value.shape.size(); ++d)
        pos[value.shape.size() - 1 - d] = int((i / strides[d]) % value.shape[d]);
      void *p = data.raw_buffer()->address_of(pos.data());
      if (t == Float(32)) *static_cast<float *>(p) = float(v);
      else if (t == Float(64)) *static_cast<double *>(p) = v;
      else if (t == Int(64)) *static_cast<int64_t *>(p) = int64_t(v);
      else if (t == Int(32)) *static_cast<int32_t *>(p) = int32_t(v);
      else if (t == Int(16)) *static_cast<int16_t *>(p) = int16_t(v);
      else if (t == Int(8)) *static_cast<int8_t *>(p) = int8_t(v);
      else if (t == UInt(8) || t.is_bool()) *static_cast<uint8_t *>(p) = uint8_t(v);
      else throw std::runtime_error("kernel " + kernel.name +
                                    ": constants of type " + value.dtype +
                                    " are not supported yet");
    }
    tensors[constant.id] = define("const" + std::to_string(constant.id),
                                  value.shape, data.type(), [&](const Coords &c) {
                                    std::vector<Expr> r(c.rbegin(), c.rend());
                                    return data(r);
                                  });
  }
  for (const OpSpec &op : kernel.ops)
    tensors[op.id] = buildOp(op);
  if (kernel.outputs.size() != 1)
    throw std::runtime_error("kernel " + kernel.name +
                             " must have exactly one output");
  const Tensor &result = tensors.at(kernel.outputs[0]);
  // A fresh output Func, so the output can be scheduled independently.
  Tensor output = define(kernel.name + "_out", result.shape, result.type,
                         [&](const Coords &c) { return at(result, c); });
  built.output = output.func;
  built.outputShape = result.shape;
  built.reductions = reductions;
  built.reductionShapes = reductionShapes;
  built.operands = materialized;
  built.operandShapes = materializedShapes;
  return built;
}
} // namespace

BuiltKernel buildKernel(const KernelSpec &kernel) {
  return Builder(kernel).build();
}

} // namespace kiln::kernelgen
