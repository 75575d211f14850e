//===- AttentionOps.cpp - RoPE and attention: shapes and GQA checks -------===//
#include "kiln/Dialect/Kiln/KilnOps.h"

using namespace mlir;
using namespace mlir::kiln;

static bool isDyn(int64_t dim) { return ShapedType::isDynamic(dim); }
static bool differ(int64_t a, int64_t b) { return !isDyn(a) && !isDyn(b) && a != b; }

//===----------------------------------------------------------------------===//
// kiln.rope
//===----------------------------------------------------------------------===//

LogicalResult RopeOp::inferReturnTypes(MLIRContext *, std::optional<Location>,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  types.push_back(adaptor.getInput().getType());
  return success();
}

LogicalResult RopeOp::verify() {
  if (!(getBase().convertToDouble() > 0))
    return emitOpError() << "base must be positive, got "
                         << getBase().convertToDouble();
  std::optional<ArrayRef<int64_t>> input = getTensorShape(getInput().getType());
  std::optional<ArrayRef<int64_t>> positions =
      getTensorShape(getPositions().getType());
  if (positions && positions->size() != 1)
    return emitOpError() << "positions must be 1-D [seq], got "
                         << formatShape(*positions);
  if (!input)
    return success();
  if (input->size() != 4)
    return emitOpError() << "input must be [batch, seq, heads, head_dim], got "
                         << formatShape(*input);
  if (positions && differ((*positions)[0], (*input)[1]))
    return emitOpError() << "has " << (*positions)[0]
                         << " positions for a sequence of " << (*input)[1];
  int64_t headDim = (*input)[3];
  if (std::optional<int64_t> rotary = getRotaryDims()) {
    if (*rotary <= 0 || *rotary % 2 != 0)
      return emitOpError() << "rotary_dims must be positive and even, got "
                           << *rotary;
    if (!isDyn(headDim) && *rotary > headDim)
      return emitOpError() << "rotary_dims " << *rotary
                           << " exceeds the head dimension " << headDim;
  } else if (!isDyn(headDim) && headDim % 2 != 0) {
    return emitOpError() << "rotates the whole head, but head_dim " << headDim
                         << " is odd";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// kiln.attention
//===----------------------------------------------------------------------===//

LogicalResult AttentionOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  StringRef name = getOperationName();
  // Keys and values share a type; it may be narrower than the query's (an
  // f16 KV cache read by f32 queries).
  Type element = getElementTypeOrSelf(adaptor.getQuery().getType());
  Type kvElement = getElementTypeOrSelf(adaptor.getKey().getType());
  if (getElementTypeOrSelf(adaptor.getValue().getType()) != kvElement)
    return emitInferError(loc, name, "key and value must share one element "
                          "type, got ", kvElement, " and ",
                          getElementTypeOrSelf(adaptor.getValue().getType()));
  if (kvElement != element && !(element.isF32() && kvElement.isF16()))
    return emitInferError(loc, name, "key/value element type ", kvElement,
                          " must be the query's (", element,
                          ") or f16 under f32 queries");
  std::optional<ArrayRef<int64_t>> q = getTensorShape(adaptor.getQuery().getType());
  std::optional<ArrayRef<int64_t>> k = getTensorShape(adaptor.getKey().getType());
  std::optional<ArrayRef<int64_t>> v = getTensorShape(adaptor.getValue().getType());
  for (auto [what, shape] : {std::pair("query", q), std::pair("key", k),
                             std::pair("value", v)})
    if (shape && shape->size() != 4)
      return emitInferError(loc, name, what,
                            " must be [batch, seq, heads, head_dim], got ",
                            formatShape(*shape));
  if (k && v) {
    if (differ((*k)[0], (*v)[0]) || differ((*k)[1], (*v)[1]) ||
        differ((*k)[2], (*v)[2]))
      return emitInferError(loc, name, "key ", formatShape(*k), " and value ",
                            formatShape(*v),
                            " differ in batch, length or head count");
  }
  if (q && k) {
    if (differ((*q)[0], (*k)[0]))
      return emitInferError(loc, name, "query batch ", (*q)[0],
                            " differs from key batch ", (*k)[0]);
    if (differ((*q)[3], (*k)[3]))
      return emitInferError(loc, name, "query head_dim ", (*q)[3],
                            " differs from key head_dim ", (*k)[3]);
    int64_t hq = (*q)[2], hkv = (*k)[2];
    if (!isDyn(hq) && !isDyn(hkv) && (hkv == 0 || hq % hkv != 0))
      return emitInferError(loc, name, "query heads (", hq,
                            ") must be a multiple of key/value heads (", hkv,
                            ")");
    if (adaptor.getCausal() && !isDyn((*q)[1]) && !isDyn((*k)[1]) &&
        (*q)[1] > (*k)[1])
      return emitInferError(loc, name, "causal attention with ", (*q)[1],
                            " queries needs at least as many keys, got ",
                            (*k)[1]);
  }
  if (std::optional<APFloat> scale = adaptor.getScale())
    if (!(scale->convertToDouble() > 0))
      return emitInferError(loc, name, "scale must be positive");
  if (!q) {
    types.push_back(UnrankedTensorType::get(element));
    return success();
  }
  SmallVector<int64_t> shape(*q);
  shape[3] = v ? (*v)[3] : ShapedType::kDynamic;
  types.push_back(RankedTensorType::get(shape, element));
  return success();
}

LogicalResult AttentionOp::verify() {
  if (!getPositions())
    return success();
  if (getCausal())
    return emitOpError() << "takes either `causal` or `positions`, not both "
                            "(positions already bound what each query sees)";
  std::optional<ArrayRef<int64_t>> positions =
      getTensorShape(getPositions().getType());
  std::optional<ArrayRef<int64_t>> query = getTensorShape(getQuery().getType());
  if (positions && positions->size() != 1)
    return emitOpError() << "positions must be 1-D [seq], got "
                         << formatShape(*positions);
  if (positions && query && query->size() == 4 &&
      differ((*positions)[0], (*query)[1]))
    return emitOpError() << "has " << (*positions)[0]
                         << " positions for " << (*query)[1] << " queries";
  return success();
}

//===----------------------------------------------------------------------===//
// kv_write
//===----------------------------------------------------------------------===//

LogicalResult KVWriteOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  StringRef name = getOperationName();
  Type cacheType = adaptor.getCache().getType();
  Type element = getElementTypeOrSelf(cacheType);
  if (getElementTypeOrSelf(adaptor.getUpdate().getType()) != element)
    return emitInferError(loc, name, "update element type ",
                          getElementTypeOrSelf(adaptor.getUpdate().getType()),
                          " differs from the cache's ", element);
  std::optional<ArrayRef<int64_t>> cache = getTensorShape(cacheType);
  std::optional<ArrayRef<int64_t>> update =
      getTensorShape(adaptor.getUpdate().getType());
  std::optional<ArrayRef<int64_t>> positions =
      getTensorShape(adaptor.getPositions().getType());
  for (auto [what, shape] :
       {std::pair("cache", cache), std::pair("update", update)})
    if (shape && shape->size() != 4)
      return emitInferError(loc, name, what,
                            " must be [batch, rows, kv_heads, head_dim], got ",
                            formatShape(*shape));
  if (positions && positions->size() != 1)
    return emitInferError(loc, name, "positions must be 1-D [seq], got ",
                          formatShape(*positions));
  if (cache && update) {
    for (int i : {0, 2, 3})
      if (differ((*cache)[i], (*update)[i]))
        return emitInferError(loc, name, "update ", formatShape(*update),
                              " does not fit cache ", formatShape(*cache),
                              " (batch, kv heads and head_dim must match)");
    if (!isDyn((*cache)[1]) && !isDyn((*update)[1]) &&
        (*update)[1] > (*cache)[1])
      return emitInferError(loc, name, "writes ", (*update)[1],
                            " rows into a cache of ", (*cache)[1]);
  }
  if (update && positions && differ((*positions)[0], (*update)[1]))
    return emitInferError(loc, name, "has ", (*positions)[0],
                          " positions for ", (*update)[1], " rows");
  types.push_back(cacheType);
  return success();
}
