// RUN: kiln-opt %s -split-input-file -verify-diagnostics

func.func @declared_type_differs() {
  // expected-error @+2 {{inferred type(s) 'tensor<2xi64>' are incompatible with return type(s) of operation 'tensor<3xi64>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = "kiln.constant"() {value = dense<[1, 2]> : tensor<2xi64>} : () -> tensor<3xi64>
  return
}

// -----

func.func @vector_constant() {
  // expected-error @+1 {{result #0 must be tensor of}}
  %0 = kiln.constant dense<[1, 2]> : vector<2xi64>
  return
}

// -----

func.func @shape_of_rank(%x: tensor<2x8xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<2xi64>' are incompatible with return type(s) of operation 'tensor<3xi64>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.shape_of %x : (tensor<2x8xf32>) -> tensor<3xi64>
  return
}

// -----

func.func @shape_of_element(%x: tensor<2x8xf32>) {
  // expected-error @+1 {{result #0 must be tensor of 64-bit signless integer values}}
  %0 = kiln.shape_of %x : (tensor<2x8xf32>) -> tensor<2xi32>
  return
}
