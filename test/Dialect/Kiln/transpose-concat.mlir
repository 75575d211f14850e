// kiln.transpose permutes dims; kiln.concat joins along an axis.
// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// CHECK-LABEL: func.func @transpose
func.func @transpose(%x: tensor<1x16x4x8xf32>, %d: tensor<?x3xi64>) {
  // CHECK: kiln.transpose %{{.*}} {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x16x4x8xf32>) -> tensor<1x4x16x8xf32>
  %0 = kiln.transpose %x {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x16x4x8xf32>) -> tensor<1x4x16x8xf32>
  // CHECK: (tensor<?x3xi64>) -> tensor<3x?xi64>
  %1 = kiln.transpose %d {perm = array<i64: 1, 0>} : (tensor<?x3xi64>) -> tensor<3x?xi64>
  return
}

// CHECK-LABEL: func.func @concat
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<2x5xf32>, %c: tensor<?x4xf32>) {
  // CHECK: kiln.concat %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
  %0 = kiln.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
  // CHECK: kiln.concat %{{.*}}, %{{.*}}, %{{.*}} {axis = -1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>, tensor<?x4xf32>) -> tensor<2x12xf32>
  %1 = kiln.concat %a, %b, %c {axis = -1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>, tensor<?x4xf32>) -> tensor<2x12xf32>
  // CHECK: (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  %2 = kiln.concat %a, %a {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  return
}
