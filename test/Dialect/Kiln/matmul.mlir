// kiln.matmul: batched, broadcast batch dims, and the transposed-weight
// form; kiln.qmatmul reads block-quantized [N, K] weights.
// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// CHECK-LABEL: func.func @plain
func.func @plain(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>) -> tensor<4x2xf32> {
  // CHECK: kiln.matmul %{{.*}}, %{{.*}} : (tensor<4x8xf32>, tensor<8x2xf32>) -> tensor<4x2xf32>
  %0 = kiln.matmul %a, %b : (tensor<4x8xf32>, tensor<8x2xf32>) -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// CHECK-LABEL: func.func @transposed_weight
func.func @transposed_weight(%x: tensor<1x16x64xf32>, %w: tensor<256x64xf32>) -> tensor<1x16x256xf32> {
  // CHECK: kiln.matmul %{{.*}}, %{{.*}} {transpose_rhs} : (tensor<1x16x64xf32>, tensor<256x64xf32>) -> tensor<1x16x256xf32>
  %0 = kiln.matmul %x, %w {transpose_rhs} : (tensor<1x16x64xf32>, tensor<256x64xf32>) -> tensor<1x16x256xf32>
  return %0 : tensor<1x16x256xf32>
}

// CHECK-LABEL: func.func @batched
func.func @batched(%q: tensor<2x1x16x8xf16>, %k: tensor<4x8x16xf16>, %d: tensor<?x16x8xf16>) {
  // CHECK: (tensor<2x1x16x8xf16>, tensor<4x8x16xf16>) -> tensor<2x4x16x16xf16>
  %0 = kiln.matmul %q, %k : (tensor<2x1x16x8xf16>, tensor<4x8x16xf16>) -> tensor<2x4x16x16xf16>
  // CHECK: (tensor<?x16x8xf16>, tensor<4x8x16xf16>) -> tensor<4x16x16xf16>
  %1 = kiln.matmul %d, %k : (tensor<?x16x8xf16>, tensor<4x8x16xf16>) -> tensor<4x16x16xf16>
  return
}

// CHECK-LABEL: func.func @quantized
func.func @quantized(%x: tensor<1x16x256xf32>, %w4: tensor<512x256x!kiln.q4_k>,
                     %w8: tensor<32x256x!kiln.q8_0>, %v: tensor<?x256xf32>) {
  // CHECK: kiln.qmatmul %{{.*}}, %{{.*}} : (tensor<1x16x256xf32>, tensor<512x256x!kiln.q4_k>) -> tensor<1x16x512xf32>
  %0 = kiln.qmatmul %x, %w4 : (tensor<1x16x256xf32>, tensor<512x256x!kiln.q4_k>) -> tensor<1x16x512xf32>
  // CHECK: (tensor<?x256xf32>, tensor<32x256x!kiln.q8_0>) -> tensor<?x32xf32>
  %1 = kiln.qmatmul %v, %w8 : (tensor<?x256xf32>, tensor<32x256x!kiln.q8_0>) -> tensor<?x32xf32>
  return
}
