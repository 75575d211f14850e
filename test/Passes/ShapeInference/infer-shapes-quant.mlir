// Shape inference through quantized weights: embedding lookups from a
// quantized table give f32, quantized matmuls keep [..., N], dequantize
// keeps the shape.
// RUN: kiln-opt %s --kiln-infer-shapes | FileCheck %s

kiln.weight_decl @"token_embd.weight" : tensor<256x64x!kiln.q8_0>
kiln.weight_decl @"output.weight" : tensor<256x64x!kiln.q4_0>

// CHECK-LABEL: func.func @logits
// CHECK-SAME: (%{{.*}}: tensor<1x5xi32>) -> tensor<1x5x256xf32>
// CHECK: kiln.embedding {{.*}} -> tensor<1x5x64xf32>
// CHECK: kiln.qmatmul {{.*}} -> tensor<1x5x256xf32>
func.func @logits(%ids: tensor<1x5xi32>) -> tensor<*xf32> {
  %t = kiln.weight @"token_embd.weight" : tensor<256x64x!kiln.q8_0>
  %e = kiln.embedding %t, %ids : (tensor<256x64x!kiln.q8_0>, tensor<1x5xi32>) -> tensor<*xf32>
  %w = kiln.weight @"output.weight" : tensor<256x64x!kiln.q4_0>
  %l = kiln.qmatmul %e, %w : (tensor<*xf32>, tensor<256x64x!kiln.q4_0>) -> tensor<*xf32>
  return %l : tensor<*xf32>
}

// CHECK-LABEL: func.func @dequantized
// CHECK-SAME: -> tensor<256x64xf32>
func.func @dequantized() -> tensor<*xf32> {
  %w = kiln.weight @"output.weight" : tensor<256x64x!kiln.q4_0>
  %d = kiln.dequantize %w : (tensor<256x64x!kiln.q4_0>) -> tensor<*xf32>
  return %d : tensor<*xf32>
}
