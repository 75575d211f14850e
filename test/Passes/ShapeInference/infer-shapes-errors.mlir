// kiln-infer-shapes names the op it cannot infer and fails.
// RUN: kiln-opt %s --kiln-infer-shapes -split-input-file -verify-diagnostics

func.func @unranked_input(%x: tensor<*xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{kiln-infer-shapes: cannot infer a ranked type for the result of 'kiln.exp' from operand types 'tensor<*xf32>'; 1 more op is unresolved as well}}
  %0 = kiln.exp %x : (tensor<*xf32>) -> tensor<*xf32>
  %1 = kiln.neg %0 : (tensor<*xf32>) -> tensor<*xf32>
  return %1 : tensor<*xf32>
}

// -----

// A refined operand can expose a mismatch that was hidden before.
func.func @late_mismatch(%x: tensor<2x8xf32>, %s: tensor<2xi64>) -> tensor<*xf32> {
  %c = kiln.constant dense<[4, 4]> : tensor<2xi64>
  %r = kiln.dynamic_reshape %x, %c : (tensor<2x8xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  %w = kiln.constant dense<1.0> : tensor<3x4xf32>
  // expected-error @+1 {{'kiln.matmul' op contracting dimensions differ: lhs 4x4 has K = 4, rhs 3x4 has K = 3 (rhs is [K, N])}}
  %m = kiln.matmul %r, %w : (tensor<?x?xf32>, tensor<3x4xf32>) -> tensor<*xf32>
  return %m : tensor<*xf32>
}
