// Folding and canonicalization of data-movement ops.
// RUN: kiln-opt %s -canonicalize -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @reshape_chain
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT: %[[R:.*]] = kiln.reshape %[[X]] {shape = array<i64: 4, 6>} : (tensor<2x3x4xf32>) -> tensor<4x6xf32>
// CHECK-NEXT: return %[[R]]
func.func @reshape_chain(%x: tensor<2x3x4xf32>) -> tensor<4x6xf32> {
  %0 = kiln.reshape %x {shape = array<i64: 24>} : (tensor<2x3x4xf32>) -> tensor<24xf32>
  %1 = kiln.reshape %0 {shape = array<i64: 4, 6>} : (tensor<24xf32>) -> tensor<4x6xf32>
  return %1 : tensor<4x6xf32>
}

// -----

// A reshape back to the input's shape disappears.
// CHECK-LABEL: func.func @reshape_roundtrip
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[X]]
func.func @reshape_roundtrip(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = kiln.reshape %x {shape = array<i64: 6>} : (tensor<2x3xf32>) -> tensor<6xf32>
  %1 = kiln.reshape %0 {shape = array<i64: 2, 3>} : (tensor<6xf32>) -> tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_constant
// CHECK-NEXT: kiln.constant dense<{{\[}}[1, 2], [3, 4]]> : tensor<2x2xi64>
func.func @reshape_constant() -> tensor<2x2xi64> {
  %c = kiln.constant dense<[1, 2, 3, 4]> : tensor<4xi64>
  %0 = kiln.reshape %c {shape = array<i64: 2, 2>} : (tensor<4xi64>) -> tensor<2x2xi64>
  return %0 : tensor<2x2xi64>
}

// -----

// transpose(transpose(x, [1,2,0]), [2,0,1]) is the identity.
// CHECK-LABEL: func.func @transpose_inverse
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT: return %[[X]]
func.func @transpose_inverse(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = kiln.transpose %x {perm = array<i64: 1, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
  %1 = kiln.transpose %0 {perm = array<i64: 2, 0, 1>} : (tensor<3x4x2xf32>) -> tensor<2x3x4xf32>
  return %1 : tensor<2x3x4xf32>
}

// -----

// transpose(transpose(x, [1,0,2]), [0,2,1]) is transpose(x, [1,2,0]).
// CHECK-LABEL: func.func @transpose_compose
// CHECK-NEXT: kiln.transpose %{{.*}} {perm = array<i64: 1, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
// CHECK-NEXT: return
func.func @transpose_compose(%x: tensor<2x3x4xf32>) -> tensor<3x4x2xf32> {
  %0 = kiln.transpose %x {perm = array<i64: 1, 0, 2>} : (tensor<2x3x4xf32>) -> tensor<3x2x4xf32>
  %1 = kiln.transpose %0 {perm = array<i64: 0, 2, 1>} : (tensor<3x2x4xf32>) -> tensor<3x4x2xf32>
  return %1 : tensor<3x4x2xf32>
}

// -----

// CHECK-LABEL: func.func @trivial_data_movement
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>)
// CHECK-NEXT: return %[[X]], %[[X]], %[[X]]
func.func @trivial_data_movement(%x: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  %0 = kiln.slice %x {offsets = array<i64: 0, 0>, sizes = array<i64: 4, 8>, strides = array<i64: 1, 1>} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %1 = kiln.broadcast %x {shape = array<i64: 4, 1>} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %2 = kiln.concat %x {axis = 0 : i64} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0, %1, %2 : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// A reversing slice is not the identity.
// CHECK-LABEL: func.func @reverse_stays
// CHECK: kiln.slice
func.func @reverse_stays(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = kiln.slice %x {offsets = array<i64: 3>, sizes = array<i64: 4>, strides = array<i64: -1>} : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @squeeze_to_reshape
// CHECK-NEXT: kiln.reshape %{{.*}} {shape = array<i64: 8>} : (tensor<1x8x1xf32>) -> tensor<8xf32>
// CHECK-NEXT: kiln.reshape %{{.*}} {shape = array<i64: 8, 1>} : (tensor<8xf32>) -> tensor<8x1xf32>
func.func @squeeze_to_reshape(%x: tensor<1x8x1xf32>, %v: tensor<8xf32>) -> (tensor<8xf32>, tensor<8x1xf32>) {
  %0 = kiln.squeeze %x {axes = array<i64: 0, 2>} : (tensor<1x8x1xf32>) -> tensor<8xf32>
  %1 = kiln.unsqueeze %v {axes = array<i64: 1>} : (tensor<8xf32>) -> tensor<8x1xf32>
  return %0, %1 : tensor<8xf32>, tensor<8x1xf32>
}

// -----

// squeeze then unsqueeze: two reshapes, composed into one.
// CHECK-LABEL: func.func @squeeze_unsqueeze
// CHECK-NEXT: kiln.reshape %{{.*}} {shape = array<i64: 1, 8>} : (tensor<1x8x1xf32>) -> tensor<1x8xf32>
// CHECK-NEXT: return
func.func @squeeze_unsqueeze(%x: tensor<1x8x1xf32>) -> tensor<1x8xf32> {
  %0 = kiln.squeeze %x {axes = array<i64: 0, 2>} : (tensor<1x8x1xf32>) -> tensor<8xf32>
  %1 = kiln.unsqueeze %0 {axes = array<i64: 0>} : (tensor<8xf32>) -> tensor<1x8xf32>
  return %1 : tensor<1x8xf32>
}

// -----

// CHECK-LABEL: func.func @shape_of_static
// CHECK-NEXT: %[[C:.*]] = kiln.constant dense<[2, 8]> : tensor<2xi64>
// CHECK-NEXT: return %[[C]]
func.func @shape_of_static(%x: tensor<2x8xf32>) -> tensor<2xi64> {
  %0 = kiln.shape_of %x : (tensor<2x8xf32>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// The shape of a dynamic tensor is not known at compile time.
// CHECK-LABEL: func.func @shape_of_dynamic
// CHECK: kiln.shape_of
func.func @shape_of_dynamic(%x: tensor<?x8xf32>) -> tensor<2xi64> {
  %0 = kiln.shape_of %x : (tensor<?x8xf32>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// A dynamic reshape with a constant shape whose result type is already
// exact becomes a static reshape (0 keeps a dim, -1 infers one).
// CHECK-LABEL: func.func @dynamic_reshape_constant
// CHECK-NEXT: kiln.reshape %{{.*}} {shape = array<i64: 2, 4, 2>} : (tensor<2x8xf32>) -> tensor<2x4x2xf32>
func.func @dynamic_reshape_constant(%x: tensor<2x8xf32>) -> tensor<2x4x2xf32> {
  %s = kiln.constant dense<[0, 4, -1]> : tensor<3xi64>
  %0 = kiln.dynamic_reshape %x, %s : (tensor<2x8xf32>, tensor<3xi64>) -> tensor<2x4x2xf32>
  return %0 : tensor<2x4x2xf32>
}

// -----

// Small constants fold through slice, concat and gather (shape math).
// CHECK-LABEL: func.func @constant_shape_math
// CHECK-DAG: kiln.constant dense<[2, 4, 6]> : tensor<3xi64>
// CHECK-DAG: kiln.constant dense<{{\[}}[1, 2, 3, 7], [4, 5, 6, 8]]> : tensor<2x4xi64>
// CHECK-DAG: kiln.constant dense<{{\[}}[3, 1], [6, 4]]> : tensor<2x2xi64>
// CHECK-DAG: kiln.constant dense<5> : tensor<i64>
// CHECK-NOT: kiln.slice
// CHECK-NOT: kiln.concat
// CHECK-NOT: kiln.gather
func.func @constant_shape_math() -> (tensor<3xi64>, tensor<2x4xi64>, tensor<2x2xi64>, tensor<i64>) {
  %a = kiln.constant dense<[1, 2, 3, 4, 5, 6, 7]> : tensor<7xi64>
  %0 = kiln.slice %a {offsets = array<i64: 1>, sizes = array<i64: 3>, strides = array<i64: 2>} : (tensor<7xi64>) -> tensor<3xi64>
  %m = kiln.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi64>
  %c = kiln.constant dense<[[7], [8]]> : tensor<2x1xi64>
  %1 = kiln.concat %m, %c {axis = 1 : i64} : (tensor<2x3xi64>, tensor<2x1xi64>) -> tensor<2x4xi64>
  %idx = kiln.constant dense<[2, -3]> : tensor<2xi64>
  %2 = kiln.gather %m, %idx {axis = 1 : i64} : (tensor<2x3xi64>, tensor<2xi64>) -> tensor<2x2xi64>
  %one = kiln.constant dense<-1> : tensor<i64>
  %row = kiln.constant dense<[1, 2, 3, 4, 5]> : tensor<5xi64>
  %3 = kiln.gather %row, %one : (tensor<5xi64>, tensor<i64>) -> tensor<i64>
  return %0, %1, %2, %3 : tensor<3xi64>, tensor<2x4xi64>, tensor<2x2xi64>, tensor<i64>
}
