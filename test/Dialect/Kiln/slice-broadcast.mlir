// kiln.slice (strided windows, also backwards), kiln.broadcast (ONNX
// Expand), kiln.squeeze/unsqueeze and kiln.shape_of.
// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// CHECK-LABEL: func.func @slices
func.func @slices(%x: tensor<4x8xf32>) {
  // CHECK: kiln.slice %{{.*}} {offsets = array<i64: 0, 2>, sizes = array<i64: 4, 3>, strides = array<i64: 1, 2>} : (tensor<4x8xf32>) -> tensor<4x3xf32>
  %0 = kiln.slice %x {offsets = array<i64: 0, 2>, sizes = array<i64: 4, 3>, strides = array<i64: 1, 2>} : (tensor<4x8xf32>) -> tensor<4x3xf32>
  // Reversal: start at the last index and walk backwards.
  // CHECK: (tensor<4x8xf32>) -> tensor<4x8xf32>
  %1 = kiln.slice %x {offsets = array<i64: 3, 7>, sizes = array<i64: 4, 8>, strides = array<i64: -1, -1>} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return
}

// CHECK-LABEL: func.func @broadcasts
func.func @broadcasts(%x: tensor<1x8xf32>, %y: tensor<3x1xi64>) {
  // CHECK: kiln.broadcast %{{.*}} {shape = array<i64: 4, 8>} : (tensor<1x8xf32>) -> tensor<4x8xf32>
  %0 = kiln.broadcast %x {shape = array<i64: 4, 8>} : (tensor<1x8xf32>) -> tensor<4x8xf32>
  // ONNX Expand semantics: the result is the broadcast of both shapes.
  // CHECK: kiln.broadcast %{{.*}} {shape = array<i64: 2, 1, 6>} : (tensor<3x1xi64>) -> tensor<2x3x6xi64>
  %1 = kiln.broadcast %y {shape = array<i64: 2, 1, 6>} : (tensor<3x1xi64>) -> tensor<2x3x6xi64>
  return
}

// CHECK-LABEL: func.func @squeezes
func.func @squeezes(%x: tensor<1x8x1xf32>, %v: tensor<8xf32>) {
  // CHECK: kiln.squeeze %{{.*}} {axes = array<i64: 0, -1>} : (tensor<1x8x1xf32>) -> tensor<8xf32>
  %0 = kiln.squeeze %x {axes = array<i64: 0, -1>} : (tensor<1x8x1xf32>) -> tensor<8xf32>
  // CHECK: kiln.unsqueeze %{{.*}} {axes = array<i64: 0, -1>} : (tensor<8xf32>) -> tensor<1x8x1xf32>
  %1 = kiln.unsqueeze %v {axes = array<i64: 0, -1>} : (tensor<8xf32>) -> tensor<1x8x1xf32>
  // CHECK: kiln.unsqueeze %{{.*}} {axes = array<i64: 1>} : (tensor<8xf32>) -> tensor<8x1xf32>
  %2 = kiln.unsqueeze %v {axes = array<i64: 1>} : (tensor<8xf32>) -> tensor<8x1xf32>
  return
}

// CHECK-LABEL: func.func @shapes
func.func @shapes(%x: tensor<2x?xf32>, %u: tensor<*xf32>) {
  // CHECK: kiln.shape_of %{{.*}} : (tensor<2x?xf32>) -> tensor<2xi64>
  %0 = kiln.shape_of %x : (tensor<2x?xf32>) -> tensor<2xi64>
  // CHECK: kiln.shape_of %{{.*}} : (tensor<*xf32>) -> tensor<?xi64>
  %1 = kiln.shape_of %u : (tensor<*xf32>) -> tensor<?xi64>
  return
}
