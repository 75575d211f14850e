// RUN: kiln-opt %s -split-input-file -verify-diagnostics

func.func @cast_to_index(%x: tensor<4xf32>) {
  // expected-error @+2 {{'kiln.cast' op cannot cast to 'index': the target must be a float, integer or i1 type}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.cast %x to index : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @cast_result_disagrees(%x: tensor<4xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<4xf16>' are incompatible with return type(s) of operation 'tensor<4xbf16>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.cast %x to f16 : (tensor<4xf32>) -> tensor<4xbf16>
  return
}
