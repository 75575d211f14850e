// Ops written in generic form are checked for their required attributes
// and operand counts like any other input.
// RUN: kiln-opt %s -split-input-file -verify-diagnostics

func.func @reshape_without_shape(%x: tensor<6xf32>) {
  // expected-error @+1 {{'kiln.reshape' op requires attribute 'shape'}}
  %0 = "kiln.reshape"(%x) : (tensor<6xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @rope_without_mode(%q: tensor<1x4x2x8xf32>, %p: tensor<4xi32>) {
  // expected-error @+1 {{'kiln.rope' op requires attribute 'mode'}}
  %0 = "kiln.rope"(%q, %p) : (tensor<1x4x2x8xf32>, tensor<4xi32>) -> tensor<1x4x2x8xf32>
  return
}

// -----

func.func @add_one_operand(%x: tensor<6xf32>) {
  // expected-error @+1 {{'kiln.add' op expected 2 operands, but found 1}}
  %0 = "kiln.add"(%x) : (tensor<6xf32>) -> tensor<6xf32>
  return
}

// -----

func.func @axis_not_integer(%x: tensor<6xf32>) {
  // expected-error @+1 {{'kiln.softmax' op attribute 'axis' failed to satisfy constraint: 64-bit signless integer attribute}}
  %0 = "kiln.softmax"(%x) {axis = 1.0 : f32} : (tensor<6xf32>) -> tensor<6xf32>
  return
}

// -----

func.func @two_results(%x: tensor<6xf32>) {
  // expected-error @+1 {{'kiln.exp' op requires one result}}
  %0:2 = "kiln.exp"(%x) : (tensor<6xf32>) -> (tensor<6xf32>, tensor<6xf32>)
  return
}
