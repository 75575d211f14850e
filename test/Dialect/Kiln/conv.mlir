// Convolution and pooling over [N, C, spatial...]: output sizes follow
// (D + pads - dilation*(K-1) - 1) / stride + 1 (rounded up with ceil_mode).
// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// CHECK-LABEL: func.func @conv
func.func @conv(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>, %b: tensor<6xf32>) {
  // Two groups of 2 input channels; stride 2, padding 1: (8 + 2 - 3) / 2 + 1 = 4.
  // CHECK: kiln.conv %{{.*}}, %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<6xf32>) -> tensor<1x6x4x4xf32>
  %0 = kiln.conv %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<6xf32>) -> tensor<1x6x4x4xf32>
  return
}

// CHECK-LABEL: func.func @pools
func.func @pools(%x: tensor<1x3x5x5xf32>, %i: tensor<1x1x5x5xui8>) {
  // ceil((5 - 2) / 2) + 1 = 3 with ceil_mode, 2 without.
  // CHECK: (tensor<1x3x5x5xf32>) -> tensor<1x3x3x3xf32>
  %0 = kiln.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, ceil_mode} : (tensor<1x3x5x5xf32>) -> tensor<1x3x3x3xf32>
  // CHECK: (tensor<1x3x5x5xf32>) -> tensor<1x3x2x2xf32>
  %1 = kiln.avg_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x3x5x5xf32>) -> tensor<1x3x2x2xf32>
  // CHECK: kiln.max_pool_indices {{.*}} : (tensor<1x3x5x5xf32>) -> tensor<1x3x3x3xi64>
  %3 = kiln.max_pool_indices %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, ceil_mode, column_major} : (tensor<1x3x5x5xf32>) -> tensor<1x3x3x3xi64>
  // CHECK: kiln.max_pool {{.*}} : (tensor<1x1x5x5xui8>) -> tensor<1x1x3x3xui8>
  %2 = kiln.max_pool %i {kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x1x5x5xui8>) -> tensor<1x1x3x3xui8>
  return
}
