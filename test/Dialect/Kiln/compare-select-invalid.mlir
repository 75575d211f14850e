// RUN: kiln-opt %s -split-input-file -verify-diagnostics

func.func @unknown_predicate(%a: tensor<3xf32>) {
  // expected-error @+1 {{unknown compare_predicate 'lte'}}
  %0 = kiln.compare lte, %a, %a : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xi1>
  return
}

// -----

func.func @compare_result_not_bool(%a: tensor<3xf32>) {
  // expected-error @+1 {{result #0 must be tensor of 1-bit signless integer values}}
  %0 = kiln.compare lt, %a, %a : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @select_needs_bool(%c: tensor<3xi32>, %a: tensor<3xf32>) {
  // expected-error @+1 {{operand #0 must be tensor of 1-bit signless integer values}}
  %0 = kiln.select %c, %a, %a : (tensor<3xi32>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @select_branches_differ(%c: tensor<3xi1>, %a: tensor<3xf32>, %b: tensor<3xi64>) {
  // expected-error @+2 {{'kiln.select' op operands have different element types 'f32' and 'i64'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.select %c, %a, %b : (tensor<3xi1>, tensor<3xf32>, tensor<3xi64>) -> tensor<3xf32>
  return
}

// -----

func.func @select_shapes(%c: tensor<2x3xi1>, %a: tensor<4x1xf32>) {
  // expected-error @+2 {{'kiln.select' op operand #1 of shape 4x1 does not broadcast with shape 2x3 of the operands before it}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.select %c, %a, %a : (tensor<2x3xi1>, tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<2x3xf32>
  return
}
