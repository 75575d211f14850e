// RUN: kiln-opt %s -split-input-file -verify-diagnostics

func.func @quantize_partial_block(%x: tensor<4x48xf32>) {
  // expected-error @+2 {{'kiln.quantize' op input has innermost dimension 48, which is not a multiple of the '!kiln.q8_0' block size 32}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.quantize %x to q8_0 : (tensor<4x48xf32>) -> tensor<4x48x!kiln.q8_0>
  return
}

// -----

func.func @quantize_k_block(%x: tensor<4x128xf32>) {
  // expected-error @+2 {{'kiln.quantize' op input has innermost dimension 128, which is not a multiple of the '!kiln.q6_k' block size 256}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = kiln.quantize %x to q6_k : (tensor<4x128xf32>) -> tensor<4x128x!kiln.q6_k>
  return
}

// -----

func.func @unknown_format(%x: tensor<4x64xf32>) {
  // expected-error @+1 {{unknown quant_format 'q3_k'}}
  %0 = kiln.quantize %x to q3_k : (tensor<4x64xf32>) -> tensor<4x64x!kiln.q8_0>
  return
}

// -----

func.func @dequantize_float(%x: tensor<4x64xf32>) {
  // expected-error @+1 {{operand #0 must be tensor of GGUF block-quantized element values}}
  %0 = kiln.dequantize %x : (tensor<4x64xf32>) -> tensor<4x64xf32>
  return
}

// -----

func.func @dequantize_to_f16(%w: tensor<4x64x!kiln.q8_0>) {
  // expected-error @+1 {{result #0 must be tensor of 32-bit float values}}
  %0 = kiln.dequantize %w : (tensor<4x64x!kiln.q8_0>) -> tensor<4x64xf16>
  return
}
