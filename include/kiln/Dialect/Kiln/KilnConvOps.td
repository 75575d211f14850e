//===- KilnConvOps.td - convolution and pooling over [N, C, spatial...] ---===//
//
// Vision ops from ONNX models, channel-first: 1 to 3 spatial dimensions.
// Padding is explicit (`pads` = begins then ends per spatial dimension);
// importers resolve ONNX's auto_pad before building these.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_CONV_OPS_TD
#define KILN_CONV_OPS_TD

include "kiln/Dialect/Kiln/KilnBase.td"

def Kiln_ConvOp : Kiln_ComputeOp<"conv", "matmul"> {
  let summary = "N-d convolution (cross-correlation) with groups, strides, padding, dilation";
  let description = [{
    `input` is `[N, C, D1...]`, `weight` `[M, C/group, K1...]`, `bias` `[M]`.
    Output spatial size: `(D + pad_begin + pad_end - dilation*(K-1) - 1) / stride + 1`.
    Padding reads zeros.

    ```mlir
    %y = kiln.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
                          dilations = array<i64: 1, 1>, group = 1 : i64}
        : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$input, Kiln_FloatTensor:$weight,
                       Optional<Kiln_FloatTensor>:$bias,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations,
                       DefaultValuedAttr<Kiln_I64Attr, "1">:$group);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

class Kiln_PoolOp<string mnemonic, string what>
    : Kiln_ComputeOp<mnemonic, "reduction"> {
  let summary = what # " pooling over windows of `kernel_shape`";
  let description = "Input `[N, C, D1...]`; padding positions are ignored"
    # " (for average pooling they count when `count_include_pad`)."
    # " `ceil_mode` rounds the output size up.\n\n```mlir\n%y = kiln."
    # mnemonic # " %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>,"
    # " pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}\n"
    # "    : (tensor<1x3x8x8xf32>) -> tensor<1x3x4x4xf32>\n```";
  let arguments = (ins Kiln_NumericTensor:$input, DenseI64ArrayAttr:$kernel_shape,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations, UnitAttr:$ceil_mode,
                       UnitAttr:$count_include_pad);
  let results = (outs Kiln_NumericTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Kiln_MaxPoolOp : Kiln_PoolOp<"max_pool", "maximum">;

def Kiln_MaxPoolIndicesOp : Kiln_ComputeOp<"max_pool_indices", "reduction"> {
  let summary = "where max pooling found each maximum, as flat i64 indices";
  let description = [{
    The same windows as `kiln.max_pool`; each result is the index of the
    (first) maximum in the flattened input, counting spatial positions
    row-major, or column-major with `column_major` (ONNX storage_order=1).

    ```mlir
    %i = kiln.max_pool_indices %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>,
                                   pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>}
        : (tensor<1x3x8x8xf32>) -> tensor<1x3x4x4xi64>
    ```
  }];
  let arguments = (ins Kiln_NumericTensor:$input, DenseI64ArrayAttr:$kernel_shape,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations, UnitAttr:$ceil_mode,
                       UnitAttr:$column_major);
  let results = (outs TensorOf<[I64]>:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}
def Kiln_AvgPoolOp : Kiln_PoolOp<"avg_pool", "average">;

#endif // KILN_CONV_OPS_TD
