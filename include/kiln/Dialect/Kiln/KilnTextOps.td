//===- KilnTextOps.td - numbers to text and back --------------------------===//
//
// ONNX `Cast` to and from STRING. These are not kernels: strings are
// pointers the runtime allocates, so code generation calls the runtime's
// formatter and parser (runtime/kiln_values.c) in the orchestration.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_TEXT_OPS_TD
#define KILN_TEXT_OPS_TD

include "kiln/Dialect/Kiln/KilnBase.td"

def Kiln_FormatOp : Kiln_Op<"format", [Pure, Kiln_InferResultType]> {
  let summary = "writes every number as text (ONNX Cast to STRING)";
  let description = [{
    Floats become the shortest decimal that reads back as the same value
    (`0.039187793`, `1e-05`, `NaN`, `INF`, `-INF`), as numpy prints them;
    integers their decimal digits; booleans `1` or `0`.

    ```mlir
    %s = kiln.format %x : (tensor<3x4xf32>) -> tensor<3x4x!kiln.string>
    ```
  }];
  let arguments = (ins Kiln_AnyTensor:$input);
  let results = (outs Kiln_StringTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def Kiln_ParseOp : Kiln_Op<"parse", [Pure, Kiln_InferResultType]> {
  let summary = "reads every string as a number (ONNX Cast from STRING)";
  let description = [{
    Floats accept what `strtod` accepts, so `NaN`, `INF`, `+INF` and `-INF`
    in any case as well as decimal and scientific notation; integers their
    decimal digits (out-of-range values are an error); booleans any number,
    nonzero being true. A string that is not a number of the target type
    is an error at run time naming the element.

    ```mlir
    %x = kiln.parse %s to f32 : (tensor<3x4x!kiln.string>) -> tensor<3x4xf32>
    ```
  }];
  let arguments = (ins Kiln_StringTensor:$input, TypeAttr:$to);
  let results = (outs Kiln_AnyTensor:$result);
  let assemblyFormat = "$input `to` $to attr-dict `:` functional-type(operands, results)";
}

#endif // KILN_TEXT_OPS_TD
