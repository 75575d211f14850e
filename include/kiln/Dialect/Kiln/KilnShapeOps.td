//===- KilnShapeOps.td - reshapes, permutations, slicing ------------------===//
//
// Data-movement ops. Static shapes and indices are attributes; the one op
// with a run-time shape operand (`kiln.dynamic_reshape`) canonicalizes to
// `kiln.reshape` once its shape is a constant.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_SHAPE_OPS_TD
#define KILN_SHAPE_OPS_TD

include "kiln/Dialect/Kiln/KilnBase.td"

class Kiln_ShapeOp<string mnemonic, list<Trait> traits = []>
    : Kiln_ComputeOp<mnemonic, "data_movement", traits>;

def Kiln_ReshapeOp : Kiln_ShapeOp<"reshape"> {
  let summary = "reinterprets a tensor with another shape, same elements";
  let description = [{
    `shape` lists the result dimensions; one of them may be -1 and is then
    inferred from the element count.

    ```mlir
    %r = kiln.reshape %x {shape = array<i64: 1, 16, 4, -1>}
        : (tensor<1x16x64xf32>) -> tensor<1x16x4x16xf32>
    ```
  }];
  let arguments = (ins Kiln_WeightTensor:$input, DenseI64ArrayAttr:$shape);
  let results = (outs Kiln_WeightTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Kiln_DynamicReshapeOp : Kiln_ShapeOp<"dynamic_reshape"> {
  let summary = "reshape to a shape computed at run time";
  let description = [{
    `shape` is a 1-D i64 tensor (ONNX Reshape with a computed shape; 0 and -1
    follow kiln.reshape's rules, 0 keeping the input's dimension). The
    result's rank is the shape's length. Canonicalization turns it into
    `kiln.reshape` when `shape` is constant.

    ```mlir
    %r = kiln.dynamic_reshape %x, %s : (tensor<6xf32>, tensor<2xi64>) -> tensor<?x?xf32>
    ```
  }];
  let arguments = (ins Kiln_AnyTensor:$input, TensorOf<[I64]>:$shape);
  let results = (outs Kiln_AnyTensor:$result);
  let assemblyFormat = "$input `,` $shape attr-dict `:` functional-type(operands, results)";
  let hasCanonicalizer = 1;
}

def Kiln_TransposeOp : Kiln_ShapeOp<"transpose"> {
  let summary = "permutes dimensions: result dim i is input dim perm[i]";
  let description = [{
    ```mlir
    %t = kiln.transpose %x {perm = array<i64: 0, 2, 1, 3>}
        : (tensor<1x16x4x8xf32>) -> tensor<1x4x16x8xf32>
    ```
  }];
  let arguments = (ins Kiln_AnyTensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs Kiln_AnyTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Kiln_ConcatOp : Kiln_ShapeOp<"concat"> {
  let summary = "joins tensors along `axis`";
  let description = [{
    All inputs have one rank and element type and equal sizes except along
    `axis` (negative counts from the end).

    ```mlir
    %c = kiln.concat %a, %b {axis = 1 : i64}
        : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
    ```
  }];
  let arguments = (ins Variadic<Kiln_AnyTensor>:$inputs, Kiln_I64Attr:$axis);
  let results = (outs Kiln_AnyTensor:$result);
  let assemblyFormat = "$inputs attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Kiln_SliceOp : Kiln_ShapeOp<"slice"> {
  let summary = "a strided window: `sizes[i]` elements from `offsets[i]` by `strides[i]`";
  let description = [{
    One entry per dimension. Strides are non-zero and may be negative (the
    window then walks backwards from `offsets[i]`); every index read must be
    inside the input.

    ```mlir
    %s = kiln.slice %x {offsets = array<i64: 0, 2>, sizes = array<i64: 4, 3>,
                        strides = array<i64: 1, 2>}
        : (tensor<4x8xf32>) -> tensor<4x3xf32>
    ```
  }];
  let arguments = (ins Kiln_AnyTensor:$input, DenseI64ArrayAttr:$offsets,
                       DenseI64ArrayAttr:$sizes, DenseI64ArrayAttr:$strides);
  let results = (outs Kiln_AnyTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Kiln_BroadcastOp : Kiln_ShapeOp<"broadcast"> {
  let summary = "stretches size-1 dimensions (numpy rules) to `shape`";
  let description = [{
    ONNX Expand: the result shape is the broadcast of the input shape with
    `shape`.

    ```mlir
    %b = kiln.broadcast %x {shape = array<i64: 4, 8>} : (tensor<1x8xf32>) -> tensor<4x8xf32>
    ```
  }];
  let arguments = (ins Kiln_AnyTensor:$input, DenseI64ArrayAttr:$shape);
  let results = (outs Kiln_AnyTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Kiln_SqueezeOp : Kiln_ShapeOp<"squeeze"> {
  let summary = "removes the listed size-1 dimensions";
  let description = [{
    ```mlir
    %s = kiln.squeeze %x {axes = array<i64: 0>} : (tensor<1x8xf32>) -> tensor<8xf32>
    ```
  }];
  let arguments = (ins Kiln_AnyTensor:$input, DenseI64ArrayAttr:$axes);
  let results = (outs Kiln_AnyTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasCanonicalizer = 1;
  let hasFolder = 1;
}

def Kiln_UnsqueezeOp : Kiln_ShapeOp<"unsqueeze"> {
  let summary = "inserts size-1 dimensions at the listed result positions";
  let description = [{
    ```mlir
    %u = kiln.unsqueeze %x {axes = array<i64: 0, -1>} : (tensor<8xf32>) -> tensor<1x8x1xf32>
    ```
  }];
  let arguments = (ins Kiln_AnyTensor:$input, DenseI64ArrayAttr:$axes);
  let results = (outs Kiln_AnyTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasCanonicalizer = 1;
  let hasFolder = 1;
}

def Kiln_ShapeOfOp : Kiln_ShapeOp<"shape_of"> {
  let summary = "the shape of a tensor as a 1-D i64 tensor";
  let description = [{
    ONNX Shape. Folds to a constant when the input shape is static.

    ```mlir
    %s = kiln.shape_of %x : (tensor<2x?xf32>) -> tensor<2xi64>
    ```
  }];
  let arguments = (ins Kiln_WeightTensor:$input);
  let results = (outs TensorOf<[I64]>:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

#endif // KILN_SHAPE_OPS_TD
