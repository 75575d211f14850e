// kiln.gather (ONNX Gather) and kiln.embedding (row lookup, also from a
// quantized or 16-bit float table, giving f32).
// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// CHECK-LABEL: func.func @gathers
func.func @gathers(%data: tensor<3x5x7xf32>, %idx: tensor<2x4xi64>, %scalar: tensor<i32>) {
  // CHECK: kiln.gather %{{.*}}, %{{.*}} : (tensor<3x5x7xf32>, tensor<2x4xi64>) -> tensor<2x4x5x7xf32>
  %0 = kiln.gather %data, %idx : (tensor<3x5x7xf32>, tensor<2x4xi64>) -> tensor<2x4x5x7xf32>
  // CHECK: kiln.gather %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<3x5x7xf32>, tensor<2x4xi64>) -> tensor<3x2x4x7xf32>
  %1 = kiln.gather %data, %idx {axis = 1 : i64} : (tensor<3x5x7xf32>, tensor<2x4xi64>) -> tensor<3x2x4x7xf32>
  // CHECK: kiln.gather %{{.*}}, %{{.*}} {axis = -1 : i64} : (tensor<3x5x7xf32>, tensor<i32>) -> tensor<3x5xf32>
  %2 = kiln.gather %data, %scalar {axis = -1 : i64} : (tensor<3x5x7xf32>, tensor<i32>) -> tensor<3x5xf32>
  return
}

// CHECK-LABEL: func.func @gather_elements
func.func @gather_elements(%data: tensor<2x3xf32>, %idx: tensor<2x2xi64>) {
  // CHECK: kiln.gather_elements %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x2xi64>) -> tensor<2x2xf32>
  %0 = kiln.gather_elements %data, %idx {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x2xi64>) -> tensor<2x2xf32>
  return
}

// CHECK-LABEL: func.func @embeddings
func.func @embeddings(%t: tensor<32000x256xf16>, %q: tensor<32000x256x!kiln.q8_0>, %ids: tensor<1x16xi32>) {
  // CHECK: kiln.embedding %{{.*}}, %{{.*}} : (tensor<32000x256xf16>, tensor<1x16xi32>) -> tensor<1x16x256xf32>
  %0 = kiln.embedding %t, %ids : (tensor<32000x256xf16>, tensor<1x16xi32>) -> tensor<1x16x256xf32>
  // CHECK: kiln.embedding %{{.*}}, %{{.*}} : (tensor<32000x256x!kiln.q8_0>, tensor<1x16xi32>) -> tensor<1x16x256xf32>
  %1 = kiln.embedding %q, %ids : (tensor<32000x256x!kiln.q8_0>, tensor<1x16xi32>) -> tensor<1x16x256xf32>
  return
}
