// RUN: kiln-opt %s -split-input-file -verify-diagnostics

func.func @count_mismatch(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'kiln.reshape' op cannot reshape 2x3 (6 elements) to 4x2 (8 elements)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.reshape %x {shape = array<i64: 4, 2>} : (tensor<2x3xf32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @two_inferred(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'kiln.reshape' op shape may contain only one -1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.reshape %x {shape = array<i64: -1, -1>} : (tensor<2x3xf32>) -> tensor<6x1xf32>
  return
}

// -----

func.func @no_whole_size(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'kiln.reshape' op cannot reshape 2x3 (6 elements) to 4x-1: -1 has no whole size}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.reshape %x {shape = array<i64: 4, -1>} : (tensor<2x3xf32>) -> tensor<4x1xf32>
  return
}

// -----

func.func @negative_entry(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'kiln.reshape' op shape entry -2 is invalid (sizes are >= 0, or -1 to infer)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.reshape %x {shape = array<i64: -2, 3>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @split_blocks(%w: tensor<4x256x!kiln.q4_0>) {
  // expected-error @+2 {{'kiln.reshape' op result has innermost dimension 16, which is not a multiple of the '!kiln.q4_0' block size 32}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.reshape %w {shape = array<i64: 64, 16>} : (tensor<4x256x!kiln.q4_0>) -> tensor<64x16x!kiln.q4_0>
  return
}

// -----

func.func @absurd(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'kiln.reshape' op shape has more than 2^63 elements}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.reshape %x {shape = array<i64: 4294967296, 4294967296, 4294967296>} : (tensor<2x3xf32>) -> tensor<?x?x?xf32>
  return
}

// -----

func.func @dynamic_shape_rank(%x: tensor<6xf32>, %s: tensor<2x2xi64>) {
  // expected-error @+2 {{'kiln.dynamic_reshape' op shape must be a 1-D tensor, got 2x2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.dynamic_reshape %x, %s : (tensor<6xf32>, tensor<2x2xi64>) -> tensor<?x?xf32>
  return
}

// -----

func.func @constant_shape_checked(%x: tensor<6xf32>) {
  %s = kiln.constant dense<[4, 2]> : tensor<2xi64>
  // expected-error @+2 {{'kiln.dynamic_reshape' op cannot reshape 6 (6 elements) to 4x2 (8 elements)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.dynamic_reshape %x, %s : (tensor<6xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return
}

// -----

func.func @absurd_input(%x: tensor<9223372036854775807x4xf32>) {
  // expected-error @+2 {{'kiln.reshape' op input 9223372036854775807x4 has more than 2^63 elements}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.reshape %x {shape = array<i64: -1>} : (tensor<9223372036854775807x4xf32>) -> tensor<?xf32>
  return
}
