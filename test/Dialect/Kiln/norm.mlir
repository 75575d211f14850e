// RMSNorm over the last dim with a 1-D weight; LayerNorm from `axis` on,
// with optional bias.
// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// CHECK-LABEL: func.func @norms
func.func @norms(%x: tensor<1x16x64xf32>, %w: tensor<64xf32>, %b: tensor<64xf32>, %g2: tensor<16x64xf32>) {
  // CHECK: kiln.rms_norm %{{.*}}, %{{.*}} : (tensor<1x16x64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
  %0 = kiln.rms_norm %x, %w : (tensor<1x16x64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
  // CHECK: kiln.rms_norm %{{.*}}, %{{.*}} {epsilon = 9.99999997E-7 : f32}
  %1 = kiln.rms_norm %x, %w {epsilon = 1.0e-6 : f32} : (tensor<1x16x64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
  // CHECK: kiln.layer_norm %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x16x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
  %2 = kiln.layer_norm %x, %w, %b : (tensor<1x16x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
  // CHECK: kiln.layer_norm %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<1x16x64xf32>, tensor<16x64xf32>) -> tensor<1x16x64xf32>
  %3 = kiln.layer_norm %x, %g2 {axis = 1 : i64} : (tensor<1x16x64xf32>, tensor<16x64xf32>) -> tensor<1x16x64xf32>
  return
}
