//===- KilnQuantOps.td - converting to and from block-quantized tensors ---===//
//
// The explicit conversions between float tensors and GGUF block formats.
// Quantized matmuls and embeddings (KilnLinearOps.td) read quantized weights
// directly; these ops exist for the rest.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_QUANT_OPS_TD
#define KILN_QUANT_OPS_TD

include "kiln/Dialect/Kiln/KilnBase.td"

def Kiln_DequantizeOp : Kiln_ComputeOp<"dequantize", "quantization"> {
  let summary = "expands a block-quantized tensor to f32";
  let description = [{
    ```mlir
    %f = kiln.dequantize %w : (tensor<64x256x!kiln.q4_k>) -> tensor<64x256xf32>
    ```
  }];
  let arguments = (ins Kiln_QuantTensor:$input);
  let results = (outs TensorOf<[F32]>:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Kiln_QuantizeOp : Kiln_ComputeOp<"quantize", "quantization"> {
  let summary = "encodes a float tensor in a GGUF block format";
  let description = [{
    The innermost dimension must be a multiple of the format's block size.

    ```mlir
    %q = kiln.quantize %x to q8_0 : (tensor<4x64xf32>) -> tensor<4x64x!kiln.q8_0>
    ```
  }];
  let arguments = (ins Kiln_FloatTensor:$input, Kiln_QuantFormatAttr:$format);
  let results = (outs Kiln_QuantTensor:$result);
  let assemblyFormat = "$input `to` custom<EnumKeyword>($format) attr-dict `:` functional-type(operands, results)";
}

#endif // KILN_QUANT_OPS_TD
