// RUN: kiln-opt %s -split-input-file -verify-diagnostics

func.func @exp_of_integers(%x: tensor<4xi32>) {
  // expected-error @+1 {{operand #0 must be tensor of}}
  %0 = kiln.exp %x : (tensor<4xi32>) -> tensor<4xi32>
  return
}

// -----

func.func @wrong_result_shape(%x: tensor<4xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<4xf32>' are incompatible with return type(s) of operation 'tensor<5xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.sigmoid %x : (tensor<4xf32>) -> tensor<5xf32>
  return
}

// -----

func.func @wrong_result_element(%x: tensor<4xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<4xf32>' are incompatible with return type(s) of operation 'tensor<4xf16>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.silu %x : (tensor<4xf32>) -> tensor<4xf16>
  return
}

// -----

func.func @bad_gelu_mode(%x: tensor<4xf32>) {
  // expected-error @+2 {{expected ::mlir::kiln::GeluApproximation to be one of: none, tanh}}
  // expected-error @+1 {{failed to parse Kiln_GeluApproximationAttr parameter 'value'}}
  %0 = kiln.gelu %x {approximation = #kiln<gelu_approximation fast>} : (tensor<4xf32>) -> tensor<4xf32>
  return
}
