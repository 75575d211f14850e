//===- KernelBuilderImpl.h - the builder shared by the op-family files ----===//
//
// Private to kiln-kernel-gen: the Builder that turns a KernelSpec into
// Halide Funcs, split by op family into KernelBuilder.cpp (entry, elementwise),
// KernelReductions.cpp (matmul, reductions, softmax, norms, conv, pooling)
// and KernelDataMovement.cpp (reshapes, slices, gathers...).
//
//===----------------------------------------------------------------------===//
#ifndef KILN_TOOLS_KERNELGEN_KERNELBUILDERIMPL_H
#define KILN_TOOLS_KERNELGEN_KERNELBUILDERIMPL_H

#include "KernelBuilder.h"

#include <functional>
#include <map>
#include <stdexcept>

namespace kiln::kernelgen::impl {
using namespace Halide;

using Coords = std::vector<Expr>;
using Body = std::function<Expr(const Coords &)>;

/// Calls `t` at tensor-order coordinates.
Expr at(const Tensor &t, const Coords &coords);

/// A Func over `shape` defined by `body` (called with tensor-order vars).
Tensor define(const std::string &name, const std::vector<int64_t> &shape,
              Type type, const Body &body);

/// `t` read at output coordinates of a numpy broadcast to `outShape`.
Expr broadcastAt(const Tensor &t, const std::vector<int64_t> &outShape,
                 const Coords &coords);

/// Row-major strides of `shape`.
std::vector<int64_t> stridesOf(const std::vector<int64_t> &shape);

/// `axis` in [0, rank) (the spec writer has already checked the range).
int64_t normalize(int64_t axis, size_t rank);

/// Block-quantized element types ("q8_0", "q4_0", "q4_k", "q6_k", and
/// "q4_0x32" etc.: repacked in 32-row groups, kiln/Quant/Repack.h).
bool isQuantType(const std::string &dtype);
/// Rows per interleaved group of a repacked type (1: GGUF's layout).
int64_t quantInterleave(const std::string &dtype);
/// The block format of a quantized type ("q4_0" for "q4_0x32").
std::string quantBlockFormat(const std::string &dtype);
int64_t quantBlockElements(const std::string &dtype);
int64_t quantBlockBytes(const std::string &dtype);
/// Halide's select as a function: the `choose` of kiln/Quant/Repack.h's
/// layout templates (storedRunOf, restOffsetOf) for Halide expressions.
inline Expr selectExpr(Expr c, Expr a, Expr b) { return select(c, a, b); }
/// The f16 stored little-endian at bytes (at, row) of a quantized weight.
Expr loadF16(const Func &bytes, Expr at, Expr row);
/// An f32 Func over the logical `shape` of a quantized tensor whose raw
/// bytes are `bytes(byte, row)` (KernelQuant.cpp).
Tensor dequantView(const std::string &name, const Func &bytes,
                   const std::string &dtype, const std::vector<int64_t> &shape);

class Builder {
public:
  Builder(const KernelSpec &kernel, const BuildOptions &options)
      : kernel(kernel), options(options) {}

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
  Tensor rope(const OpSpec &op, const ValueSpec &out);
  /// qmatmul on a block-quantized input weight, with quantized activations
  /// and integer block dots (KernelQuantMatmul.cpp). False when the weight
  /// is not a kernel input in a block format (the caller then decodes it).
  bool quantMatmul(const OpSpec &op, const ValueSpec &out, Tensor &result);
  Tensor attention(const OpSpec &op, const ValueSpec &out);
  /// Sum or max of `body` over the trailing dims from `axis`, as a Func over
  /// the leading dims (for norms and softmax).
  Tensor reduceTail(const std::string &name, const std::vector<int64_t> &shape,
                    size_t axis, bool isMax, const Body &body);

  const KernelSpec &kernel;
  BuildOptions options;
  std::map<int, Tensor> tensors;
  std::vector<Func> reductions;
  std::vector<std::vector<int64_t>> reductionShapes;
  std::vector<Func> materialized;
  std::vector<std::vector<int64_t>> materializedShapes;
  /// Raw bytes of block-quantized kernel inputs, by value id.
  struct QuantSource {
    Func bytes; // (byte, row) of GGUF's layout, whatever the storage
    std::string dtype;
    /// Repacked types: the stored bytes, (offset, group of rows).
    Func groups;
  };
  std::vector<BuiltKernel::GroupMatmul> groupMatmuls;
  /// Whether a group matmul over `rows` activation rows takes the VNNI
  /// form (BuildOptions::vnni): prefill only, decode keeps its kernels.
  bool vnniRows(int64_t rows) const { return options.vnni && rows > 1; }
  /// qmatmul of weights repacked in 32-row groups (KernelGroupMatmul.cpp):
  /// `xq` the activation quants, `x16` the same in 16 bits for Q8_0 (for
  /// the others, which multiply `xq`, just `xq`), `xd` their
  /// scales, `xsum` their sums over 32 elements (16 for Q6_K; 4 for Q8_0
  /// in the VNNI form, undefined otherwise).
  Tensor groupMatmul(const OpSpec &op, const ValueSpec &out, const QuantSource &source,
                     const Func &xq, const Func &x16, const Func &xd, const Func &xsum);
  std::map<int, QuantSource> quantSources;
  std::vector<Func> laneAccumulators;
  std::vector<std::vector<int64_t>> laneShapes;
  std::vector<BuiltKernel::RowMatmul> rowMatmuls;
  std::vector<BuiltKernel::DotMatmul> dotMatmuls;
  std::vector<Func> laneSums;
  std::vector<Func> laneScales;
  std::vector<Func> laneQuads;
  /// score, max, sum, weighted sum of an attention op (at most one per kernel).
  std::vector<Func> attentionParts;
  Func scoreLanes;
  Func attentionSteps;
  std::vector<Func> attentionCache;
  std::set<std::string> transposedMatmuls;

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

} // namespace kiln::kernelgen::impl

#endif // KILN_TOOLS_KERNELGEN_KERNELBUILDERIMPL_H
