// RUN: kiln-opt %s -split-input-file -verify-diagnostics

func.func @rms_weight_size(%x: tensor<2x64xf32>, %w: tensor<32xf32>) {
  // expected-error @+1 {{'kiln.rms_norm' op weight has 32 elements but the normalized (last) dimension of the input has 64}}
  %0 = kiln.rms_norm %x, %w : (tensor<2x64xf32>, tensor<32xf32>) -> tensor<2x64xf32>
  return
}

// -----

func.func @rms_weight_rank(%x: tensor<2x64xf32>, %w: tensor<1x64xf32>) {
  // expected-error @+1 {{'kiln.rms_norm' op weight must be 1-D, got 1x64}}
  %0 = kiln.rms_norm %x, %w : (tensor<2x64xf32>, tensor<1x64xf32>) -> tensor<2x64xf32>
  return
}

// -----

func.func @rms_weight_type(%x: tensor<2x64xf32>, %w: tensor<64xf16>) {
  // expected-error @+1 {{'kiln.rms_norm' op weight element type 'f16' differs from the input's 'f32'}}
  %0 = kiln.rms_norm %x, %w : (tensor<2x64xf32>, tensor<64xf16>) -> tensor<2x64xf32>
  return
}

// -----

func.func @rms_negative_epsilon(%x: tensor<2x64xf32>, %w: tensor<64xf32>) {
  // expected-error @+1 {{'kiln.rms_norm' op epsilon must not be negative}}
  %0 = kiln.rms_norm %x, %w {epsilon = -1.0 : f32} : (tensor<2x64xf32>, tensor<64xf32>) -> tensor<2x64xf32>
  return
}

// -----

func.func @layer_norm_scale(%x: tensor<2x16x64xf32>, %g: tensor<32xf32>) {
  // expected-error @+1 {{'kiln.layer_norm' op scale of shape 32 does not broadcast to the normalized shape 64}}
  %0 = kiln.layer_norm %x, %g : (tensor<2x16x64xf32>, tensor<32xf32>) -> tensor<2x16x64xf32>
  return
}

// -----

func.func @layer_norm_bias_rank(%x: tensor<2x16x64xf32>, %g: tensor<64xf32>, %b: tensor<16x64xf32>) {
  // expected-error @+1 {{'kiln.layer_norm' op bias of shape 16x64 does not broadcast to the normalized shape 64}}
  %0 = kiln.layer_norm %x, %g, %b : (tensor<2x16x64xf32>, tensor<64xf32>, tensor<16x64xf32>) -> tensor<2x16x64xf32>
  return
}

// -----

func.func @layer_norm_axis(%x: tensor<2x64xf32>, %g: tensor<64xf32>) {
  // expected-error @+1 {{'kiln.layer_norm' op axis 2 is out of range for rank 2}}
  %0 = kiln.layer_norm %x, %g {axis = 2 : i64} : (tensor<2x64xf32>, tensor<64xf32>) -> tensor<2x64xf32>
  return
}
