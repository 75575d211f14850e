// kiln.reshape (static, with one inferred -1) and kiln.dynamic_reshape
// (shape computed at run time; exact when the shape is a constant).
// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// CHECK-LABEL: func.func @reshapes
func.func @reshapes(%x: tensor<1x16x64xf32>, %w: tensor<64x256x!kiln.q4_k>) {
  // CHECK: kiln.reshape %{{.*}} {shape = array<i64: 1, 16, 4, -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x4x16xf32>
  %0 = kiln.reshape %x {shape = array<i64: 1, 16, 4, -1>} : (tensor<1x16x64xf32>) -> tensor<1x16x4x16xf32>
  // CHECK: kiln.reshape %{{.*}} {shape = array<i64: 1024>} : (tensor<1x16x64xf32>) -> tensor<1024xf32>
  %1 = kiln.reshape %x {shape = array<i64: 1024>} : (tensor<1x16x64xf32>) -> tensor<1024xf32>
  // Quantized tensors reshape as long as rows stay whole blocks.
  // CHECK: (tensor<64x256x!kiln.q4_k>) -> tensor<2x32x256x!kiln.q4_k>
  %2 = kiln.reshape %w {shape = array<i64: 2, 32, 256>} : (tensor<64x256x!kiln.q4_k>) -> tensor<2x32x256x!kiln.q4_k>
  return
}

// CHECK-LABEL: func.func @dynamic
func.func @dynamic(%x: tensor<?x64xf32>, %s: tensor<3xi64>) {
  // CHECK: kiln.reshape %{{.*}} {shape = array<i64: -1, 4, 16>} : (tensor<?x64xf32>) -> tensor<?x4x16xf32>
  %0 = kiln.reshape %x {shape = array<i64: -1, 4, 16>} : (tensor<?x64xf32>) -> tensor<?x4x16xf32>
  // CHECK: kiln.dynamic_reshape %{{.*}}, %{{.*}} : (tensor<?x64xf32>, tensor<3xi64>) -> tensor<?x?x?xf32>
  %1 = kiln.dynamic_reshape %x, %s : (tensor<?x64xf32>, tensor<3xi64>) -> tensor<?x?x?xf32>
  return
}
