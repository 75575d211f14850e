// kiln.dequantize / kiln.quantize convert between f32 and block formats.
// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// CHECK-LABEL: func.func @roundtrip
func.func @roundtrip(%w: tensor<64x256x!kiln.q4_k>, %x: tensor<4x64xf32>) {
  // CHECK: kiln.dequantize %{{.*}} : (tensor<64x256x!kiln.q4_k>) -> tensor<64x256xf32>
  %0 = kiln.dequantize %w : (tensor<64x256x!kiln.q4_k>) -> tensor<64x256xf32>
  // CHECK: kiln.quantize %{{.*}} to q8_0 : (tensor<4x64xf32>) -> tensor<4x64x!kiln.q8_0>
  %1 = kiln.quantize %x to q8_0 : (tensor<4x64xf32>) -> tensor<4x64x!kiln.q8_0>
  // CHECK: kiln.quantize %{{.*}} to q4_0 : (tensor<4x64xf32>) -> tensor<4x64x!kiln.q4_0>
  %2 = kiln.quantize %x to q4_0 : (tensor<4x64xf32>) -> tensor<4x64x!kiln.q4_0>
  return
}
