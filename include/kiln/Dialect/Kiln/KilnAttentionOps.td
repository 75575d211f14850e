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
    The result is `[B, S, Hq, D]`.

    ```mlir
    %o = kiln.attention %q, %k, %v {causal}
        : (tensor<1x16x8x16xf32>, tensor<1x16x2x16xf32>, tensor<1x16x2x16xf32>)
        -> tensor<1x16x8x16xf32>
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$query, Kiln_FloatTensor:$key,
                       Kiln_FloatTensor:$value, UnitAttr:$causal,
                       OptionalAttr<F32Attr>:$scale);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = [{
    $query `,` $key `,` $value attr-dict `:` functional-type(operands, results)
  }];
}

#endif // KILN_ATTENTION_OPS_TD
