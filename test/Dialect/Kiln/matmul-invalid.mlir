// RUN: kiln-opt %s -split-input-file -verify-diagnostics

func.func @contraction_mismatch(%a: tensor<4x8xf32>, %b: tensor<6x2xf32>) {
  // expected-error @+2 {{'kiln.matmul' op contracting dimensions differ: lhs 4x8 has K = 8, rhs 6x2 has K = 6 (rhs is [K, N])}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.matmul %a, %b : (tensor<4x8xf32>, tensor<6x2xf32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @transposed_mismatch(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>) {
  // expected-error @+2 {{'kiln.matmul' op contracting dimensions differ: lhs 4x8 has K = 8, rhs 8x2 has K = 2 (rhs is [N, K])}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.matmul %a, %b {transpose_rhs} : (tensor<4x8xf32>, tensor<8x2xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @rank_one(%a: tensor<8xf32>, %b: tensor<8x2xf32>) {
  // expected-error @+2 {{'kiln.matmul' op operands must have rank >= 2, got 8 and 8x2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.matmul %a, %b : (tensor<8xf32>, tensor<8x2xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @batch_mismatch(%a: tensor<3x4x8xf32>, %b: tensor<2x8x2xf32>) {
  // expected-error @+2 {{'kiln.matmul' op batch dimensions of 3x4x8 and 2x8x2 do not broadcast}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.matmul %a, %b : (tensor<3x4x8xf32>, tensor<2x8x2xf32>) -> tensor<3x4x2xf32>
  return
}

// -----

func.func @mixed_precision(%a: tensor<4x8xf32>, %b: tensor<8x2xf16>) {
  // expected-error @+2 {{'kiln.matmul' op operands have different element types 'f32' and 'f16'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.matmul %a, %b : (tensor<4x8xf32>, tensor<8x2xf16>) -> tensor<4x2xf32>
  return
}

// -----

func.func @integer_matmul(%a: tensor<4x8xi8>, %b: tensor<8x2xi8>) {
  // expected-error @+1 {{operand #0 must be tensor of}}
  %0 = kiln.matmul %a, %b : (tensor<4x8xi8>, tensor<8x2xi8>) -> tensor<4x2xi8>
  return
}
