// RUN: kiln-opt %s -split-input-file -verify-diagnostics

func.func @axis_out_of_range(%d: tensor<3x5xf32>, %i: tensor<2xi64>) {
  // expected-error @+2 {{'kiln.gather' op axis 2 is out of range for data of rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.gather %d, %i {axis = 2 : i64} : (tensor<3x5xf32>, tensor<2xi64>) -> tensor<3x2xf32>
  return
}

// -----

func.func @float_indices(%d: tensor<3x5xf32>, %i: tensor<2xf32>) {
  // expected-error @+1 {{operand #1 must be tensor of 32-bit signless integer or 64-bit signless integer values}}
  %0 = kiln.gather %d, %i : (tensor<3x5xf32>, tensor<2xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @scalar_data(%d: tensor<f32>, %i: tensor<2xi64>) {
  // expected-error @+2 {{'kiln.gather' op data must have rank >= 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.gather %d, %i : (tensor<f32>, tensor<2xi64>) -> tensor<2xf32>
  return
}

// -----

func.func @embedding_table_rank(%t: tensor<4x8x16xf32>, %ids: tensor<3xi32>) {
  // expected-error @+2 {{'kiln.embedding' op table must be [vocab, dim], got 4x8x16}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.embedding %t, %ids : (tensor<4x8x16xf32>, tensor<3xi32>) -> tensor<3x16xf32>
  return
}

// -----

func.func @embedding_int_table(%t: tensor<4x8xi32>, %ids: tensor<3xi32>) {
  // expected-error @+2 {{'kiln.embedding' op table must be float or block-quantized, got element type 'i32'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.embedding %t, %ids : (tensor<4x8xi32>, tensor<3xi32>) -> tensor<3x8xf32>
  return
}

// -----

func.func @embedding_quant_result(%t: tensor<4x32x!kiln.q4_0>, %ids: tensor<3xi32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<3x32xf32>' are incompatible with return type(s) of operation 'tensor<3x32xf16>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.embedding %t, %ids : (tensor<4x32x!kiln.q4_0>, tensor<3xi32>) -> tensor<3x32xf16>
  return
}

// -----

func.func @gather_elements_rank(%d: tensor<2x3xf32>, %i: tensor<2xi64>) {
  // expected-error @+2 {{'kiln.gather_elements' op indices 2 must have the rank of data 2x3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.gather_elements %d, %i : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2xf32>
  return
}

// -----

func.func @gather_elements_too_big(%d: tensor<2x3xf32>, %i: tensor<4x1xi64>) {
  // expected-error @+2 {{'kiln.gather_elements' op indices 4x1 exceed data 2x3 in dimension 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.gather_elements %d, %i {axis = 1 : i64} : (tensor<2x3xf32>, tensor<4x1xi64>) -> tensor<4x1xf32>
  return
}
