// What folding must leave alone: unknown dims, out-of-range indices, and
// constants too large to be shape arithmetic.
// RUN: kiln-opt %s -canonicalize -split-input-file | FileCheck %s

// A 0 entry copies a dimension that is not known: stays dynamic.
// CHECK-LABEL: func.func @zero_of_dynamic
// CHECK: kiln.dynamic_reshape
func.func @zero_of_dynamic(%x: tensor<?x8xf32>) -> tensor<?x4x2xf32> {
  %s = kiln.constant dense<[0, 4, 2]> : tensor<3xi64>
  %0 = kiln.dynamic_reshape %x, %s : (tensor<?x8xf32>, tensor<3xi64>) -> tensor<?x4x2xf32>
  return %0 : tensor<?x4x2xf32>
}

// -----

// An out-of-range index is a run-time error, not something to fold.
// CHECK-LABEL: func.func @gather_out_of_range
// CHECK: kiln.gather
func.func @gather_out_of_range() -> tensor<i64> {
  %d = kiln.constant dense<[1, 2, 3]> : tensor<3xi64>
  %i = kiln.constant dense<3> : tensor<i64>
  %0 = kiln.gather %d, %i : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  return %0 : tensor<i64>
}

// -----

// Slicing a constant with more than 4096 result elements is not folded.
// CHECK-LABEL: func.func @large_constant
// CHECK: kiln.slice
func.func @large_constant() -> tensor<4097xf32> {
  %c = kiln.constant dense<1.0> : tensor<5000xf32>
  %0 = kiln.slice %c {offsets = array<i64: 0>, sizes = array<i64: 4097>, strides = array<i64: 1>} : (tensor<5000xf32>) -> tensor<4097xf32>
  return %0 : tensor<4097xf32>
}
