//===- KilnNormOps.td - reductions, softmax and normalizations ------------===//
//
// Ops that reduce along axes: plain reductions (reduction family), softmax
// and the transformer norms (normalization family).
//
//===----------------------------------------------------------------------===//
#ifndef KILN_NORM_OPS_TD
#define KILN_NORM_OPS_TD

include "kiln/Dialect/Kiln/KilnBase.td"

class Kiln_ReduceOp<string mnemonic, string what>
    : Kiln_ComputeOp<mnemonic, "reduction"> {
  let summary = "the " # what # " over `axes`";
  let description = "Reduces over the listed axes (negative counts from the "
    # "end; at least one, no repeats). With `keepdims` (the default) reduced "
    # "axes stay as size 1.\n\n```mlir\n%s = kiln." # mnemonic
    # " %x {axes = array<i64: -1>} : (tensor<2x8xf32>) -> tensor<2x1xf32>\n```";
  let arguments = (ins Kiln_NumericTensor:$input, DenseI64ArrayAttr:$axes,
                       DefaultValuedAttr<BoolAttr, "true">:$keepdims);
  let results = (outs Kiln_NumericTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Kiln_ReduceSumOp : Kiln_ReduceOp<"reduce_sum", "sum">;
def Kiln_ReduceMeanOp : Kiln_ReduceOp<"reduce_mean", "mean">;
def Kiln_ReduceMaxOp : Kiln_ReduceOp<"reduce_max", "maximum">;

class Kiln_ArgReduceOp<string mnemonic, string what>
    : Kiln_ComputeOp<mnemonic, "reduction"> {
  let summary = "the index of the " # what # " along `axis`, as i64";
  let description = "Ties go to the first index, or the last with "
    # "`select_last_index`. With `keepdims` (the default) the axis stays as "
    # "size 1.\n\n```mlir\n%i = kiln." # mnemonic
    # " %x {axis = 1 : i64} : (tensor<2x8xf32>) -> tensor<2x1xi64>\n```";
  let arguments = (ins Kiln_NumericTensor:$input,
                       DefaultValuedAttr<Kiln_I64Attr, "0">:$axis,
                       DefaultValuedAttr<BoolAttr, "true">:$keepdims,
                       UnitAttr:$select_last_index);
  let results = (outs TensorOf<[I64]>:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Kiln_ArgMaxOp : Kiln_ArgReduceOp<"arg_max", "maximum">;
def Kiln_ArgMinOp : Kiln_ArgReduceOp<"arg_min", "minimum">;

class Kiln_SoftmaxBase<string mnemonic, string what>
    : Kiln_ComputeOp<mnemonic, "normalization"> {
  let summary = what # " along one axis";
  let description = "Computes " # what # " along `axis` (default -1), "
    # "numerically stable (the maximum is subtracted first).\n\n```mlir\n"
    # "%p = kiln." # mnemonic # " %x {axis = -1 : i64} : (tensor<2x8xf32>) "
    # "-> tensor<2x8xf32>\n```";
  let arguments = (ins Kiln_FloatTensor:$input,
                       DefaultValuedAttr<Kiln_I64Attr, "-1">:$axis);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Kiln_SoftmaxOp : Kiln_SoftmaxBase<"softmax", "softmax">;
def Kiln_LogSoftmaxOp : Kiln_SoftmaxBase<"log_softmax", "log-softmax">;

def Kiln_RmsNormOp : Kiln_ComputeOp<"rms_norm", "normalization"> {
  let summary = "RMSNorm over the last dimension, times a weight";
  let description = [{
    `y = x / sqrt(mean(x^2, -1) + epsilon) * weight`, where `weight` is 1-D
    with the size of `x`'s last dimension.

    ```mlir
    %y = kiln.rms_norm %x, %w {epsilon = 1.0e-05 : f32}
        : (tensor<1x16x64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$input, Kiln_FloatTensor:$weight,
                       DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input `,` $weight attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Kiln_LayerNormOp : Kiln_ComputeOp<"layer_norm", "normalization"> {
  let summary = "LayerNorm over the dimensions from `axis` on";
  let description = [{
    ONNX LayerNormalization: normalizes over `x.shape[axis:]` to zero mean
    and unit variance, then `* scale (+ bias)`; `scale` and `bias` broadcast
    against `x.shape[axis:]`.

    ```mlir
    %y = kiln.layer_norm %x, %g, %b {axis = -1 : i64, epsilon = 1.0e-05 : f32}
        : (tensor<1x16x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$input, Kiln_FloatTensor:$scale,
                       Optional<Kiln_FloatTensor>:$bias,
                       DefaultValuedAttr<Kiln_I64Attr, "-1">:$axis,
                       DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

#endif // KILN_NORM_OPS_TD
