//===- KernelBuilder.cpp - kiln ops as Halide algorithms ------------------===//
//
// Entry point and the elementwise family. Every out-of-shape access is made
// impossible by construction (broadcast dims read index 0, gathers and
// concatenations clamp), so Halide's bounds inference stays within the
// input buffers. Other families: KernelReductions.cpp, KernelDataMovement.cpp.
//
//===----------------------------------------------------------------------===//
#include "KernelBuilderImpl.h"
#include "kiln/Quant/Repack.h"

#include <algorithm>

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
  if (dtype == "u16") return UInt(16);
  if (dtype == "u32") return UInt(32);
  if (dtype == "u64") return UInt(64);
  throw std::runtime_error("unknown element type '" + dtype + "'");
}

namespace impl {

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
  t.func(reversed) = convert(type, body(coords));
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
  if (n == "tanh") // from Halide's vectorized exp (its tanh calls libm per element)
    return unary([](Expr x) {
      Expr t = 1.0f - 2.0f / (exp(2.0f * abs(x)) + 1.0f);
      return select(x < 0, -t, t);
    });
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
  if (n == "pow") {
    // x^2 (layer norms' variance) as one exact product instead of powf.
    for (const ConstSpec &c : kernel.constants)
      if (op.operands.size() > 1 && c.id == op.operands[1] && !c.values.empty() &&
          std::all_of(c.values.begin(), c.values.end(), [](double v) { return v == 2.0; }) &&
          type.is_float())
        return binary([](Expr a, Expr) { return a * a; });
    return binary([](Expr a, Expr b) { return pow(a, b); });
  }
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
  if (n == "cast") {
    bool truncate = op.has("truncate");
    return unary([type, truncate](Expr x) -> Expr {
      if (type.is_bool())
        return x != cast(x.type(), 0);
      if (truncate && type.is_bfloat() && x.type() == Float(32))
        return reinterpret(BFloat(16),
                           cast(UInt(16), reinterpret(UInt(32), x) >> 16));
      return convert(type, x);
    });
  }
  fail(op, "is not supported by kiln's kernel generator yet");
}


Tensor Builder::buildOp(const OpSpec &op) {
  const ValueSpec &out = result(op);
  const std::string &n = op.name;
  if (n == "conv" || n == "max_pool" || n == "avg_pool" || n == "max_pool_indices")
    return windowed(op, out);
  if (n == "qmatmul") {
    Tensor quantized;
    if (quantMatmul(op, out, quantized))
      return quantized;
  }
  if (n == "matmul" || n == "qmatmul")
    return matmul(op, out);
  if (n == "rope")
    return rope(op, out);
  if (n == "attention")
    return attention(op, out);
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
    if (isQuantType(value.dtype)) {
      // Raw blocks: [rows, bytes per row] as u8, read through a decoder.
      int64_t k = value.shape.back(), rows = 1;
      for (size_t i = 0; i + 1 < value.shape.size(); ++i)
        rows *= value.shape[i];
      int64_t rowBytes = k / quantBlockElements(value.dtype) *
                         quantBlockBytes(value.dtype);
      // Repacked weights: one buffer row per group of interleaved rows.
      int64_t group = quantInterleave(value.dtype);
      if (rows % group != 0)
        throw std::runtime_error("kernel " + kernel.name + ": input " + std::to_string(id) +
                                 " of type " + value.dtype + " has " + std::to_string(rows) +
                                 " rows, not a multiple of " + std::to_string(group));
      ImageParam param(UInt(8), 2, "in" + std::to_string(id));
      param.dim(0).set_bounds(0, int(rowBytes * group)).set_stride(1);
      param.dim(1).set_bounds(0, int(rows / group)).set_stride(int(rowBytes * group));
      built.inputs.push_back(param);
      Func bytes("input" + std::to_string(id) + "_bytes");
      Var x, y;
      std::string format = value.dtype;
      Func groups;
      if (group == 1) {
        bytes(x, y) = param(x, y);
      } else {
        // GGUF's byte x of row y, read from its place in the group: the
        // Halide form of quant::repackedOffset (kiln/Quant/Repack.h): an
        // f16 field's low or high byte among the group's 32 (GGUF bytes
        // [at, at + fields)); then byte q among the 32 rows' runs
        // (quant::restOffsetOf).
        format = quantBlockFormat(value.dtype);
        quant::BlockFormat layout = *quant::formatFromName(format);
        int bb = int(quantBlockBytes(format)), G = int(group);
        int at = int(quant::halfFieldsAt(layout)), fields = int(2 * quant::halfFields(layout));
        Expr block = x / bb, byte = x % bb, r = y % G;
        // (Both branches clamped into the block: Halide bounds the loads of
        // a select by both.)
        Expr inField = byte >= at && byte < at + fields;
        Expr f = clamp(byte - at, 0, fields - 1);
        Expr q = clamp(select(byte < at, byte, byte - fields), 0, bb - fields - 1);
        Expr base = block * (bb * G), rest = base + fields * G;
        Expr field = base + (f / 2) * (2 * G) + (f % 2) * G + r;
        Expr other = rest + quant::restOffsetOf<Expr>(layout, q, r, selectExpr);
        bytes(x, y) = param(select(inField, field, other), y / G);
        groups = Func("input" + std::to_string(id) + "_groups");
        groups(x, y) = param(x, y);
      }
      tensors[id] = dequantView("input" + std::to_string(id), bytes, format, value.shape);
      quantSources[id] = {bytes, value.dtype, groups};
      continue;
    }
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
      else if (t == UInt(16)) *static_cast<uint16_t *>(p) = uint16_t(v);
      else if (t == UInt(32)) *static_cast<uint32_t *>(p) = uint32_t(v);
      else if (t == UInt(64)) *static_cast<uint64_t *>(p) = uint64_t(v);
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
  built.transposedMatmuls = transposedMatmuls;
  built.attention = attentionParts;
  built.scoreLanes = scoreLanes;
  built.attentionSteps = attentionSteps;
  built.attentionCache = attentionCache;
  built.laneAccumulators = laneAccumulators;
  built.laneShapes = laneShapes;
  built.rowMatmuls = rowMatmuls;
  built.groupMatmuls = groupMatmuls;
  built.dotMatmuls = dotMatmuls;
  built.laneSums = laneSums;
  built.laneScales = laneScales;
  built.laneQuads = laneQuads;
  built.operands = materialized;
  built.operandShapes = materializedShapes;
  return built;
}
} // namespace impl

Expr convert(Type type, Expr e) {
  if (e.type().is_bfloat() && type == Float(32))
    return reinterpret(Float(32), cast(UInt(32), reinterpret(UInt(16), e)) << 16);
  if (type.is_bfloat() && e.type() == Float(32)) {
    // Round to nearest even on the bits; NaNs stay quiet NaNs (as ggml's
    // GGML_FP32_TO_BF16).
    Expr bits = reinterpret(UInt(32), e);
    Expr rounded = (bits + (cast(UInt(32), 0x7fff) + ((bits >> 16) & 1))) >> 16;
    Expr nan = (bits & cast(UInt(32), 0x7fffffff)) > cast(UInt(32), 0x7f800000);
    return reinterpret(BFloat(16), cast(UInt(16), select(nan, (bits >> 16) | 64, rounded)));
  }
  return cast(type, e);
}

BuiltKernel buildKernel(const KernelSpec &kernel, const BuildOptions &options) {
  return impl::Builder(kernel, options).build();
}

} // namespace kiln::kernelgen
