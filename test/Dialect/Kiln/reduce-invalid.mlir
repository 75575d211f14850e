// RUN: kiln-opt %s -split-input-file -verify-diagnostics

func.func @no_axes(%x: tensor<2x8xf32>) {
  // expected-error @+2 {{'kiln.reduce_sum' op needs at least one axis to reduce}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.reduce_sum %x {axes = array<i64>} : (tensor<2x8xf32>) -> tensor<1x1xf32>
  return
}

// -----

func.func @axis_range(%x: tensor<2x8xf32>) {
  // expected-error @+2 {{'kiln.reduce_mean' op axis 2 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.reduce_mean %x {axes = array<i64: 2>} : (tensor<2x8xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @repeated_axis(%x: tensor<2x8xf32>) {
  // expected-error @+2 {{'kiln.reduce_max' op axis -1 is listed twice}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.reduce_max %x {axes = array<i64: 1, -1>} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  return
}

// -----

func.func @keepdims_mismatch(%x: tensor<2x8xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<2xf32>' are incompatible with return type(s) of operation 'tensor<2x1xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.reduce_sum %x {axes = array<i64: 1>, keepdims = false} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  return
}

// -----

func.func @softmax_axis(%x: tensor<2x8xf32>) {
  // expected-error @+2 {{'kiln.softmax' op axis -3 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.softmax %x {axis = -3 : i64} : (tensor<2x8xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @arg_max_axis(%x: tensor<2x8xf32>) {
  // expected-error @+2 {{'kiln.arg_max' op axis 2 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.arg_max %x {axis = 2 : i64} : (tensor<2x8xf32>) -> tensor<2x1xi64>
  return
}
