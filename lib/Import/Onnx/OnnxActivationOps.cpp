//===- OnnxActivationOps.cpp - ONNX activations built from kiln ops -------===//
//
// Activations kiln has no dedicated op for, written as the formulas of the
// ONNX operator specification over elementwise kiln ops (fusion puts each
// back into one kernel).
//
//===----------------------------------------------------------------------===//
#include "OnnxOpBuilders.h"

namespace kiln::onnx_import {
using namespace mlir;
namespace kd = ::mlir::kiln;

namespace {
/// Small expression helpers over one node: every step may fail (and has
/// then reported the error), so results are FailureOr and chain with `ok`.
struct Math {
  NodeContext &node;
  Type element;
  bool ok = true;

  Value c(double v) { return node.scalar(element, v); }
  template <typename OpTy, typename... Args> Value make(Args... args) {
    if (!ok)
      return {};
    FailureOr<Value> r = node.create<OpTy>(args...);
    ok = succeeded(r);
    return ok ? *r : Value();
  }
  Value add(Value a, Value b) { return make<kd::AddOp>(a, b); }
  Value sub(Value a, Value b) { return make<kd::SubOp>(a, b); }
  Value mul(Value a, Value b) { return make<kd::MulOp>(a, b); }
  Value div(Value a, Value b) { return make<kd::DivOp>(a, b); }
  Value max(Value a, Value b) { return make<kd::MaxOp>(a, b); }
  Value min(Value a, Value b) { return make<kd::MinOp>(a, b); }
  Value exp(Value a) { return make<kd::ExpOp>(a); }
  Value log(Value a) { return make<kd::LogOp>(a); }
  Value abs(Value a) { return make<kd::AbsOp>(a); }
  Value tanh(Value a) { return make<kd::TanhOp>(a); }
  Value cmp(kd::ComparePredicate p, Value a, Value b) {
    return make<kd::CompareOp>(
        kd::ComparePredicateAttr::get(node.builder.getContext(), p), a, b);
  }
  Value select(Value cond, Value a, Value b) {
    return make<kd::SelectOp>(cond, a, b);
  }
  LogicalResult finish(Value result) {
    return ok ? node.setOutput(0, result) : failure();
  }
};

Math mathFor(NodeContext &node) {
  return Math{node, elementOf(node.input(0))};
}
} // namespace

LogicalResult buildHardSigmoid(NodeContext &node) {
  Math m = mathFor(node);
  Value x = node.input(0);
  Value y = m.add(m.mul(x, m.c(node.attrFloat("alpha", 0.2f))),
                  m.c(node.attrFloat("beta", 0.5f)));
  return m.finish(m.max(m.min(y, m.c(1.0)), m.c(0.0)));
}

LogicalResult buildHardSwish(NodeContext &node) {
  Math m = mathFor(node);
  Value x = node.input(0);
  Value gate = m.max(m.min(m.add(m.mul(x, m.c(1.0 / 6.0)), m.c(0.5)), m.c(1.0)),
                     m.c(0.0));
  return m.finish(m.mul(x, gate));
}

LogicalResult buildElu(NodeContext &node) {
  Math m = mathFor(node);
  Value x = node.input(0);
  Value negative = m.mul(m.c(node.attrFloat("alpha", 1.0f)),
                         m.sub(m.exp(x), m.c(1.0)));
  return m.finish(m.select(m.cmp(kd::ComparePredicate::lt, x, m.c(0.0)),
                           negative, x));
}

LogicalResult buildSelu(NodeContext &node) {
  Math m = mathFor(node);
  Value x = node.input(0);
  double alpha = node.attrFloat("alpha", 1.67326319217681884765625f);
  double gamma = node.attrFloat("gamma", 1.05070102214813232421875f);
  Value negative = m.mul(m.c(alpha), m.sub(m.exp(x), m.c(1.0)));
  Value y = m.select(m.cmp(kd::ComparePredicate::le, x, m.c(0.0)), negative, x);
  return m.finish(m.mul(y, m.c(gamma)));
}

LogicalResult buildCelu(NodeContext &node) {
  Math m = mathFor(node);
  Value x = node.input(0);
  Value alpha = m.c(node.attrFloat("alpha", 1.0f));
  // max(0, x) + min(0, alpha * (exp(x / alpha) - 1))
  Value negative = m.mul(alpha, m.sub(m.exp(m.div(x, alpha)), m.c(1.0)));
  return m.finish(m.add(m.max(x, m.c(0.0)), m.min(negative, m.c(0.0))));
}

LogicalResult buildSoftplus(NodeContext &node) {
  Math m = mathFor(node);
  return m.finish(m.log(m.add(m.exp(node.input(0)), m.c(1.0))));
}

LogicalResult buildSoftsign(NodeContext &node) {
  Math m = mathFor(node);
  Value x = node.input(0);
  return m.finish(m.div(x, m.add(m.abs(x), m.c(1.0))));
}

LogicalResult buildMish(NodeContext &node) {
  Math m = mathFor(node);
  Value x = node.input(0);
  return m.finish(m.mul(x, m.tanh(m.log(m.add(m.exp(x), m.c(1.0))))));
}

LogicalResult buildPRelu(NodeContext &node) {
  Math m = mathFor(node);
  Value x = node.input(0);
  return m.finish(m.select(m.cmp(kd::ComparePredicate::lt, x, m.c(0.0)),
                           m.mul(x, node.input(1)), x));
}

LogicalResult buildThresholdedRelu(NodeContext &node) {
  Math m = mathFor(node);
  Value x = node.input(0);
  return m.finish(m.select(
      m.cmp(kd::ComparePredicate::gt, x, m.c(node.attrFloat("alpha", 1.0f))), x,
      m.c(0.0)));
}

LogicalResult buildSign(NodeContext &node) {
  Math m = mathFor(node);
  Value x = node.input(0);
  Value zero = m.c(0.0);
  return m.finish(m.select(m.cmp(kd::ComparePredicate::gt, x, zero), m.c(1.0),
                           m.select(m.cmp(kd::ComparePredicate::lt, x, zero),
                                    m.c(-1.0), zero)));
}

LogicalResult buildDropout(NodeContext &node) {
  // Inference: the identity; the mask output (if used) is all true.
  if (node.hasInput(2)) {
    std::optional<DenseElementsAttr> training = node.constantInput(2);
    if (!training || training->getValues<bool>()[0])
      return node.error("training-mode Dropout (random masks) is not supported");
  }
  if (node.outputUsed(1)) {
    auto type = llvm::dyn_cast<RankedTensorType>(node.input(0).getType());
    if (!type || !type.hasStaticShape())
      return node.error("the mask output needs a static input shape");
    if (failed(node.setConstantOutput(
            1, DenseElementsAttr::get(
                   RankedTensorType::get(type.getShape(), node.builder.getI1Type()),
                   true))))
      return failure();
  }
  return node.setOutput(0, node.input(0));
}

LogicalResult buildNot(NodeContext &node) {
  Math m{node, node.builder.getI1Type()};
  return m.finish(m.cmp(kd::ComparePredicate::eq, node.input(0), m.c(0)));
}

LogicalResult buildAnd(NodeContext &node) {
  Math m{node, node.builder.getI1Type()};
  return m.finish(m.select(node.input(0), node.input(1), m.c(0)));
}

LogicalResult buildOr(NodeContext &node) {
  Math m{node, node.builder.getI1Type()};
  return m.finish(m.select(node.input(0), m.c(1), node.input(1)));
}

LogicalResult buildXor(NodeContext &node) {
  Math m{node, node.builder.getI1Type()};
  return m.finish(m.cmp(kd::ComparePredicate::ne, node.input(0), node.input(1)));
}

LogicalResult buildCastLike(NodeContext &node) {
  Type element = elementOf(node.input(1));
  if (element == elementOf(node.input(0)))
    return node.setOutput(0, node.input(0));
  FailureOr<Value> result =
      llvm::isa<kd::StringType>(element) ||
              llvm::isa<kd::StringType>(elementOf(node.input(0)))
          ? castText(node, node.input(0), element)
          : node.create<kd::CastOp>(node.input(0), TypeAttr::get(element));
  return failed(result) ? failure() : node.setOutput(0, *result);
}

} // namespace kiln::onnx_import
