// RUN: kiln-opt %s -split-input-file -verify-diagnostics

func.func @group_mismatch(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>) {
  // expected-error @+2 {{'kiln.conv' op with group 2, input channels 4 and weight 6x4x3x3 do not match}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>) -> tensor<1x6x6x6xf32>
  return
}

// -----

func.func @window_too_big(%x: tensor<1x1x2x2xf32>) {
  // expected-error @+2 {{'kiln.max_pool' op a window of 3 does not fit spatial dimension 0 (2 plus padding)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x1x1xf32>
  return
}

// -----

func.func @attribute_counts(%x: tensor<1x1x4x4xf32>) {
  // expected-error @+2 {{'kiln.avg_pool' op needs 2 kernel sizes, strides and dilations and 4 pads for 2 spatial dimensions}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.avg_pool %x {kernel_shape = array<i64: 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32>
  return
}

// -----

func.func @zero_stride(%x: tensor<1x1x4x4xf32>) {
  // expected-error @+2 {{'kiln.avg_pool' op kernel sizes, strides and dilations must be positive and pads non-negative}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.avg_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 0, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32>
  return
}

// -----

func.func @rank(%x: tensor<4x4xf32>, %w: tensor<4x4xf32>) {
  // expected-error @+2 {{'kiln.conv' op input must be [N, C, D1...] with 1 to 3 spatial dims and weight [M, C/group, K...] of the same rank, got 4x4 and 4x4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.conv %x, %w {strides = array<i64>, pads = array<i64>, dilations = array<i64>} : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  return
}
