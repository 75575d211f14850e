//===- KilnAttentionOps.td - rotary embeddings and attention --------------===//
//
// The transformer-specific ops. Activations are laid out
// `[batch, seq, heads, head_dim]`; keys and values may have fewer heads than
// queries (grouped-query attention).
//
//===----------------------------------------------------------------------===//
#ifndef KILN_ATTENTION_OPS_TD
#define KILN_ATTENTION_OPS_TD

include "kiln/Dialect/Kiln/KilnBase.td"

def Kiln_RopeOp : Kiln_ComputeOp<"rope", "elementwise"> {
  let summary = "rotary position embedding";
  let description = [{
    Rotates feature pairs of `input` (`[B, S, H, D]`) by angle
    `positions[s] * base^(-2i / rotary_dims)`. `mode = adjacent` pairs
    features `(2i, 2i+1)` (llama in GGUF), `half_split` pairs `(i, i + r/2)`
    (GPT-NeoX, qwen2). Only the first `rotary_dims` features rotate (default:
    all); it must be even and at most D. `positions` is `[S]`.

    ```mlir
    %q2 = kiln.rope %q, %pos {mode = #kiln<rope_mode adjacent>, base = 1.0e+04 : f32}
        : (tensor<1x16x4x16xf32>, tensor<16xi32>) -> tensor<1x16x4x16xf32>
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$input, Kiln_IndexTensor:$positions,
                       Kiln_RopeModeAttr:$mode,
                       DefaultValuedAttr<F32Attr, "10000.0">:$base,
                       OptionalAttr<Kiln_I64Attr>:$rotary_dims);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $positions attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Kiln_AttentionOp : Kiln_ComputeOp<"attention", "attention"> {
  let summary = "scaled dot-product attention, optionally causal, with GQA";
  let description = [{
    `query` is `[B, S, Hq, D]`, `key` and `value` are `[B, T, Hkv, D]` with
    `Hq` a multiple of `Hkv` (query head h reads kv head `h / (Hq/Hkv)`).
    `softmax(q k^T * scale) v` with `scale` defaulting to `1/sqrt(D)`. With
    `causal`, query i (of the last S positions of T) sees keys `0 .. T-S+i`.
    With `positions` (`[S]`, as the KV-cache pass makes it), query i sees
    the keys at `0 .. positions[i]` of a cache of T rows; rows past that are
    never read. The result is `[B, S, Hq, D]`. Keys and values may be f16
    under f32 queries (an f16 KV cache); the product is then computed as
    llama.cpp does with such a cache: queries and the softmax weights are
    rounded to f16 before their dot products, which accumulate in f32.

    ```mlir
    %o = kiln.attention %q, %k, %v {causal}
        : (tensor<1x16x8x16xf32>, tensor<1x16x2x16xf32>, tensor<1x16x2x16xf32>)
        -> tensor<1x16x8x16xf32>
    %d = kiln.attention %q1, %kcache, %vcache positions %pos
        : (tensor<1x1x8x16xf32>, tensor<1x256x2x16xf32>, tensor<1x256x2x16xf32>,
           tensor<1xi32>) -> tensor<1x1x8x16xf32>
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$query, Kiln_FloatTensor:$key,
                       Kiln_FloatTensor:$value,
                       Optional<Kiln_IndexTensor>:$positions,
                       UnitAttr:$causal, OptionalAttr<F32Attr>:$scale);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = [{
    $query `,` $key `,` $value (`positions` $positions^)? attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Kiln_KVWriteOp : Kiln_Op<"kv_write", [Pure, Kiln_InferResultType]> {
  let summary = "writes new key or value rows into a KV cache";
  let description = [{
    `cache` is `[B, C, Hkv, D]` (C rows of capacity, stored per kv-head, not
    repeated for grouped-query attention), `update` is `[B, S, Hkv, D]` of
    the same element type.
    The result is `cache` with row `positions[i]` replaced by `update` row
    i. Made by `kiln-kv-cache`; code generation writes the rows in place
    into the sequence's persistent cache (the positions of one call are
    consecutive, and rows may be written past the last valid position up to
    the capacity, where later calls overwrite them before any read).

    ```mlir
    %k2 = kiln.kv_write %kcache, %k, %pos
        : (tensor<1x256x2x16xf32>, tensor<1x4x2x16xf32>, tensor<4xi32>)
        -> tensor<1x256x2x16xf32>
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$cache, Kiln_FloatTensor:$update,
                       Kiln_IndexTensor:$positions);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = [{
    $cache `,` $update `,` $positions attr-dict `:`
    functional-type(operands, results)
  }];
}

#endif // KILN_ATTENTION_OPS_TD
