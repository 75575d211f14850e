//===- KernelDataMovement.cpp - reshapes, transposes, slices, gathers -----===//
#include "KernelBuilderImpl.h"

namespace kiln::kernelgen::impl {

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


} // namespace kiln::kernelgen::impl
