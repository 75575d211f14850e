//===- KilnLinearOps.td - matmuls and table lookups -----------------------===//
//
// Matrix products (float and block-quantized weights) and gathers. The
// transposed-weight form (`transpose_rhs`, and always for `kiln.qmatmul`)
// matches GGUF's row layout, where each output feature's K inputs are
// contiguous.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_LINEAR_OPS_TD
#define KILN_LINEAR_OPS_TD

include "kiln/Dialect/Kiln/KilnBase.td"

def Kiln_MatmulOp : Kiln_ComputeOp<"matmul", "matmul"> {
  let summary = "batched matrix product with broadcast batch dimensions";
  let description = [{
    `lhs` is `[..., M, K]`; `rhs` is `[..., K, N]`, or `[..., N, K]` with
    `transpose_rhs`. Batch dimensions broadcast numpy-style; both operands
    have rank >= 2 and one float element type. The result is `[..., M, N]`.

    ```mlir
    %y = kiln.matmul %x, %w {transpose_rhs}
        : (tensor<1x16x64xf32>, tensor<256x64xf32>) -> tensor<1x16x256xf32>
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$lhs, Kiln_FloatTensor:$rhs,
                       UnitAttr:$transpose_rhs);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
}

def Kiln_QuantizedMatmulOp : Kiln_ComputeOp<"qmatmul", "matmul"> {
  let summary = "activations times stored (quantized or 16-bit) weights, `x * w^T`";
  let description = [{
    `input` is `[..., K]` (float); `weight` is `[N, K]` with a block-quantized
    element type, or f16/bf16. The weights stay in that form in memory:
    kernels convert blocks on the fly. The result is `[..., N]` with the
    input's element type.

    ```mlir
    %y = kiln.qmatmul %x, %w
        : (tensor<1x16x256xf32>, tensor<512x256x!kiln.q4_k>) -> tensor<1x16x512xf32>
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$input, Kiln_StoredWeightTensor:$weight);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input `,` $weight attr-dict `:` functional-type(operands, results)";
}

def Kiln_GatherOp : Kiln_ComputeOp<"gather", "data_movement"> {
  let summary = "ONNX Gather: picks slices of `data` along `axis`";
  let description = [{
    The result shape is `data[:axis] ++ indices.shape ++ data[axis+1:]`.
    Negative indices count from the end of the axis.

    ```mlir
    %r = kiln.gather %data, %idx {axis = 1 : i64}
        : (tensor<3x5xf32>, tensor<2xi64>) -> tensor<3x2xf32>
    ```
  }];
  let arguments = (ins Kiln_AnyTensor:$data, Kiln_IndexTensor:$indices,
                       DefaultValuedAttr<Kiln_I64Attr, "0">:$axis);
  let results = (outs Kiln_AnyTensor:$result);
  let assemblyFormat = "$data `,` $indices attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Kiln_GatherElementsOp : Kiln_ComputeOp<"gather_elements", "data_movement"> {
  let summary = "ONNX GatherElements: per-element indices along `axis`";
  let description = [{
    `indices` has the rank of `data`; the result has the shape of `indices`
    and `result[..., i, ...] = data[..., indices[..., i, ...], ...]` with the
    index replacing dimension `axis`. Negative indices count from the end.

    ```mlir
    %r = kiln.gather_elements %data, %idx {axis = 1 : i64}
        : (tensor<2x3xf32>, tensor<2x2xi64>) -> tensor<2x2xf32>
    ```
  }];
  let arguments = (ins Kiln_AnyTensor:$data, Kiln_IndexTensor:$indices,
                       DefaultValuedAttr<Kiln_I64Attr, "0">:$axis);
  let results = (outs Kiln_AnyTensor:$result);
  let assemblyFormat = "$data `,` $indices attr-dict `:` functional-type(operands, results)";
}

def Kiln_EmbeddingOp : Kiln_ComputeOp<"embedding", "data_movement"> {
  let summary = "looks up rows of a (possibly quantized) embedding table";
  let description = [{
    `table` is `[V, D]`, float or block-quantized; `ids` has any shape. The
    result is `ids.shape ++ [D]`, f32 for a quantized, f16 or bf16 table
    (rows are converted as they are read), the table's type otherwise.

    ```mlir
    %e = kiln.embedding %table, %ids
        : (tensor<32000x256x!kiln.q8_0>, tensor<1x16xi32>) -> tensor<1x16x256xf32>
    ```
  }];
  let arguments = (ins Kiln_WeightTensor:$table, Kiln_IndexTensor:$ids);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$table `,` $ids attr-dict `:` functional-type(operands, results)";
}

#endif // KILN_LINEAR_OPS_TD
