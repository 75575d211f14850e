// Folding and canonicalization of elementwise ops.
// RUN: kiln-opt %s -canonicalize -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @add_zero
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT: return %[[X]]
func.func @add_zero(%x: tensor<4xf32>) -> tensor<4xf32> {
  %z = kiln.constant dense<0.0> : tensor<f32>
  %0 = kiln.add %x, %z : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Adding zero must not fold when it changes the shape by broadcasting.
// CHECK-LABEL: func.func @add_zero_broadcasting
// CHECK: kiln.add
func.func @add_zero_broadcasting(%x: tensor<4xf32>) -> tensor<2x4xf32> {
  %z = kiln.constant dense<0.0> : tensor<2x4xf32>
  %0 = kiln.add %x, %z : (tensor<4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func.func @identities
// CHECK-SAME: (%[[X:.*]]: tensor<4xi64>)
// CHECK-NEXT: return %[[X]], %[[X]], %[[X]]
func.func @identities(%x: tensor<4xi64>) -> (tensor<4xi64>, tensor<4xi64>, tensor<4xi64>) {
  %zero = kiln.constant dense<0> : tensor<4xi64>
  %one = kiln.constant dense<1> : tensor<4xi64>
  %0 = kiln.sub %x, %zero : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %1 = kiln.mul %x, %one : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %2 = kiln.div %x, %one : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  return %0, %1, %2 : tensor<4xi64>, tensor<4xi64>, tensor<4xi64>
}

// -----

// Constants fold elementwise (as computed by hand: [1,2]+[10,20] etc.).
// CHECK-LABEL: func.func @constant_arith
// CHECK-DAG: kiln.constant dense<[1.100000e+01, 2.200000e+01]> : tensor<2xf32>
// CHECK-DAG: kiln.constant dense<[-9, -18]> : tensor<2xi64>
// CHECK-DAG: kiln.constant dense<[1.000000e+01, 4.000000e+01]> : tensor<2xf32>
// CHECK-NOT: kiln.add
// CHECK-NOT: kiln.sub
// CHECK-NOT: kiln.mul
func.func @constant_arith() -> (tensor<2xf32>, tensor<2xi64>, tensor<2xf32>) {
  %a = kiln.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %b = kiln.constant dense<[10.0, 20.0]> : tensor<2xf32>
  %c = kiln.constant dense<[1, 2]> : tensor<2xi64>
  %d = kiln.constant dense<[10, 20]> : tensor<2xi64>
  %0 = kiln.add %a, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %1 = kiln.sub %c, %d : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  %2 = kiln.mul %a, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0, %1, %2 : tensor<2xf32>, tensor<2xi64>, tensor<2xf32>
}

// -----

// Integer division by a constant containing zero is left alone.
// CHECK-LABEL: func.func @no_division_by_zero
// CHECK: kiln.div
func.func @no_division_by_zero() -> tensor<2xi64> {
  %a = kiln.constant dense<[4, 6]> : tensor<2xi64>
  %b = kiln.constant dense<[2, 0]> : tensor<2xi64>
  %0 = kiln.div %a, %b : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// CHECK-LABEL: func.func @double_negation
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT: return %[[X]]
func.func @double_negation(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = kiln.neg %x : (tensor<4xf32>) -> tensor<4xf32>
  %1 = kiln.neg %0 : (tensor<4xf32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @silu_from_sigmoid
// CHECK-SAME: (%[[X:.*]]: tensor<8xf32>)
// CHECK-NEXT: %[[S:.*]] = kiln.silu %[[X]]
// CHECK-NEXT: %[[T:.*]] = kiln.silu %[[X]]
// CHECK-NEXT: return %[[S]], %[[T]]
func.func @silu_from_sigmoid(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %s = kiln.sigmoid %x : (tensor<8xf32>) -> tensor<8xf32>
  %0 = kiln.mul %x, %s : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %1 = kiln.mul %s, %x : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %0, %1 : tensor<8xf32>, tensor<8xf32>
}

// -----

// x * sigmoid(y) with y != x is not SiLU.
// CHECK-LABEL: func.func @not_silu
// CHECK: kiln.sigmoid
// CHECK: kiln.mul
func.func @not_silu(%x: tensor<8xf32>, %y: tensor<8xf32>) -> tensor<8xf32> {
  %s = kiln.sigmoid %y : (tensor<8xf32>) -> tensor<8xf32>
  %0 = kiln.mul %x, %s : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// CHECK-LABEL: func.func @cast_to_same
// CHECK-SAME: (%[[X:.*]]: tensor<4xf16>)
// CHECK-NEXT: return %[[X]]
func.func @cast_to_same(%x: tensor<4xf16>) -> tensor<4xf16> {
  %0 = kiln.cast %x to f16 : (tensor<4xf16>) -> tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

// A scalar constant broadcasts into the fold of a constant tensor, and
// negation of constants folds (ONNX shape arithmetic: Rank - Axis, -Axis).
// CHECK-LABEL: func.func @shape_arithmetic
// CHECK-DAG: kiln.constant dense<1> : tensor<1xi64>
// CHECK-DAG: kiln.constant dense<[1, -2]> : tensor<2xi64>
// CHECK-NOT: kiln.sub
// CHECK-NOT: kiln.neg
func.func @shape_arithmetic() -> (tensor<1xi64>, tensor<2xi64>) {
  %rank = kiln.constant dense<2> : tensor<i64>
  %axis = kiln.constant dense<[1]> : tensor<1xi64>
  %0 = kiln.sub %rank, %axis : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %v = kiln.constant dense<[-1, 2]> : tensor<2xi64>
  %1 = kiln.neg %v : (tensor<2xi64>) -> tensor<2xi64>
  return %0, %1 : tensor<1xi64>, tensor<2xi64>
}

// -----

// Computed trip counts fold (ONNX Range written as a Loop): ceil, floor and
// relu of constants, and casts of float constants to integers (toward zero)
// and booleans.
// CHECK-LABEL: func.func @trip_count
// CHECK-DAG: kiln.constant dense<[3.000000e+00, -1.000000e+00]> : tensor<2xf32>
// CHECK-DAG: kiln.constant dense<[2.000000e+00, -2.000000e+00]> : tensor<2xf32>
// CHECK-DAG: kiln.constant dense<[2.500000e+00, 0.000000e+00]> : tensor<2xf32>
// CHECK-DAG: kiln.constant dense<[2, -1]> : tensor<2xi64>
// CHECK-DAG: kiln.constant dense<[true, false]> : tensor<2xi1>
// CHECK-NOT: kiln.ceil
// CHECK-NOT: kiln.floor
// CHECK-NOT: kiln.relu
// CHECK-NOT: kiln.cast
func.func @trip_count() -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xi64>, tensor<2xi1>) {
  %x = kiln.constant dense<[2.5, -1.5]> : tensor<2xf32>
  %z = kiln.constant dense<[2.5, 0.0]> : tensor<2xf32>
  %0 = kiln.ceil %x : (tensor<2xf32>) -> tensor<2xf32>
  %1 = kiln.floor %x : (tensor<2xf32>) -> tensor<2xf32>
  %2 = kiln.relu %x : (tensor<2xf32>) -> tensor<2xf32>
  %3 = kiln.cast %x to i64 : (tensor<2xf32>) -> tensor<2xi64>
  %4 = kiln.cast %z to i1 : (tensor<2xf32>) -> tensor<2xi1>
  return %0, %1, %2, %3, %4 : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xi64>, tensor<2xi1>
}
