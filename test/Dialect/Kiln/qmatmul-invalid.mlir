// RUN: kiln-opt %s -split-input-file -verify-diagnostics

func.func @k_mismatch(%x: tensor<4x128xf32>, %w: tensor<64x256x!kiln.q4_0>) {
  // expected-error @+2 {{'kiln.qmatmul' op input has K = 128 but the [N, K] weight 64x256 has K = 256}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.qmatmul %x, %w : (tensor<4x128xf32>, tensor<64x256x!kiln.q4_0>) -> tensor<4x64xf32>
  return
}

// -----

func.func @weight_rank(%x: tensor<4x256xf32>, %w: tensor<2x64x256x!kiln.q4_0>) {
  // expected-error @+2 {{'kiln.qmatmul' op weight must be [N, K], got 2x64x256}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.qmatmul %x, %w : (tensor<4x256xf32>, tensor<2x64x256x!kiln.q4_0>) -> tensor<4x64xf32>
  return
}

// -----

func.func @partial_block(%x: tensor<4x100xf32>, %w: tensor<64x100x!kiln.q8_0>) {
  // expected-error @+2 {{'kiln.qmatmul' op weight has innermost dimension 100, which is not a multiple of the '!kiln.q8_0' block size 32}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.qmatmul %x, %w : (tensor<4x100xf32>, tensor<64x100x!kiln.q8_0>) -> tensor<4x64xf32>
  return
}

// -----

func.func @float_weight(%x: tensor<4x256xf32>, %w: tensor<64x256xf32>) {
  // expected-error @+1 {{operand #1 must be tensor of GGUF block-quantized element or 16-bit float or bfloat16 type values}}
  %0 = kiln.qmatmul %x, %w : (tensor<4x256xf32>, tensor<64x256xf32>) -> tensor<4x64xf32>
  return
}
