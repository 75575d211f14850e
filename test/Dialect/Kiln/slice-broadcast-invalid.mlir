// RUN: kiln-opt %s -split-input-file -verify-diagnostics

func.func @out_of_bounds(%x: tensor<4x8xf32>) {
  // expected-error @+2 {{'kiln.slice' op dimension 1 of size 8 is read at indices 2 to 8 (out of bounds)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.slice %x {offsets = array<i64: 0, 2>, sizes = array<i64: 4, 4>, strides = array<i64: 1, 2>} : (tensor<4x8xf32>) -> tensor<4x4xf32>
  return
}

// -----

func.func @backwards_past_start(%x: tensor<4xf32>) {
  // expected-error @+2 {{'kiln.slice' op dimension 0 of size 4 is read at indices 1 to -1 (out of bounds)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.slice %x {offsets = array<i64: 1>, sizes = array<i64: 3>, strides = array<i64: -1>} : (tensor<4xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @zero_stride(%x: tensor<4xf32>) {
  // expected-error @+2 {{'kiln.slice' op stride of dimension 0 is 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.slice %x {offsets = array<i64: 0>, sizes = array<i64: 2>, strides = array<i64: 0>} : (tensor<4xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @list_lengths(%x: tensor<4x8xf32>) {
  // expected-error @+2 {{'kiln.slice' op offsets, sizes and strides must have one entry per dimension, got 2, 1 and 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.slice %x {offsets = array<i64: 0, 0>, sizes = array<i64: 4>, strides = array<i64: 1, 1>} : (tensor<4x8xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @absurd_size(%x: tensor<4xf32>) {
  // expected-error @+2 {{'kiln.slice' op dimension 0 of size 4 is read at indices 0 to}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.slice %x {offsets = array<i64: 0>, sizes = array<i64: 9223372036854775807>, strides = array<i64: 9223372036854775807>} : (tensor<4xf32>) -> tensor<?xf32>
  return
}

// -----

func.func @bad_broadcast(%x: tensor<3x8xf32>) {
  // expected-error @+2 {{'kiln.broadcast' op cannot broadcast 3x8 to 4x8}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.broadcast %x {shape = array<i64: 4, 8>} : (tensor<3x8xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @squeeze_non_unit(%x: tensor<2x8xf32>) {
  // expected-error @+2 {{'kiln.squeeze' op cannot squeeze dimension 0 of size 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.squeeze %x {axes = array<i64: 0>} : (tensor<2x8xf32>) -> tensor<8xf32>
  return
}

// -----

func.func @unsqueeze_axis(%x: tensor<8xf32>) {
  // expected-error @+2 {{'kiln.unsqueeze' op axis 2 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.unsqueeze %x {axes = array<i64: 2>} : (tensor<8xf32>) -> tensor<8x1xf32>
  return
}
