// Reductions keep reduced axes as size 1 by default; softmax keeps shape.
// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// CHECK-LABEL: func.func @reductions
func.func @reductions(%x: tensor<2x3x8xf32>, %i: tensor<4x?xi64>) {
  // CHECK: kiln.reduce_sum %{{.*}} {axes = array<i64: -1>} : (tensor<2x3x8xf32>) -> tensor<2x3x1xf32>
  %0 = kiln.reduce_sum %x {axes = array<i64: -1>} : (tensor<2x3x8xf32>) -> tensor<2x3x1xf32>
  // CHECK: kiln.reduce_mean %{{.*}} {axes = array<i64: 0, 2>, keepdims = false} : (tensor<2x3x8xf32>) -> tensor<3xf32>
  %1 = kiln.reduce_mean %x {axes = array<i64: 0, 2>, keepdims = false} : (tensor<2x3x8xf32>) -> tensor<3xf32>
  // CHECK: kiln.reduce_max %{{.*}} {axes = array<i64: 1>} : (tensor<4x?xi64>) -> tensor<4x1xi64>
  %2 = kiln.reduce_max %i {axes = array<i64: 1>} : (tensor<4x?xi64>) -> tensor<4x1xi64>
  return
}

// CHECK-LABEL: func.func @arg_reductions
func.func @arg_reductions(%x: tensor<2x8xf32>) {
  // CHECK: kiln.arg_max %{{.*}} {axis = 1 : i64} : (tensor<2x8xf32>) -> tensor<2x1xi64>
  %0 = kiln.arg_max %x {axis = 1 : i64} : (tensor<2x8xf32>) -> tensor<2x1xi64>
  // CHECK: kiln.arg_min %{{.*}} {keepdims = false, select_last_index} : (tensor<2x8xf32>) -> tensor<8xi64>
  %1 = kiln.arg_min %x {keepdims = false, select_last_index} : (tensor<2x8xf32>) -> tensor<8xi64>
  return
}

// CHECK-LABEL: func.func @softmaxes
func.func @softmaxes(%x: tensor<2x8xf32>) {
  // CHECK: kiln.softmax %{{.*}} : (tensor<2x8xf32>) -> tensor<2x8xf32>
  %0 = kiln.softmax %x : (tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: kiln.softmax %{{.*}} {axis = 0 : i64}
  %1 = kiln.softmax %x {axis = 0 : i64} : (tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: kiln.log_softmax %{{.*}} : (tensor<2x8xf32>) -> tensor<2x8xf32>
  %2 = kiln.log_softmax %x : (tensor<2x8xf32>) -> tensor<2x8xf32>
  return
}
