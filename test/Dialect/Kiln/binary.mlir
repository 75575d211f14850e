// Binary elementwise ops broadcast numpy-style; dynamic dims stay dynamic
// unless the other side fixes them.
// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// CHECK-LABEL: func.func @arith
func.func @arith(%a: tensor<2x8xf32>, %b: tensor<8xf32>) -> tensor<2x8xf32> {
  // CHECK: kiln.add %{{.*}}, %{{.*}} : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  %0 = kiln.add %a, %b : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  // CHECK: kiln.sub
  %1 = kiln.sub %0, %b : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  // CHECK: kiln.mul
  %2 = kiln.mul %1, %b : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  // CHECK: kiln.div
  %3 = kiln.div %2, %b : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  // CHECK: kiln.pow
  %4 = kiln.pow %3, %b : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  // CHECK: kiln.max
  %5 = kiln.max %4, %b : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  // CHECK: kiln.min
  %6 = kiln.min %5, %b : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return %6 : tensor<2x8xf32>
}

// CHECK-LABEL: func.func @broadcasting
func.func @broadcasting(%a: tensor<8x1x6x1xf32>, %b: tensor<7x1x5xf32>, %s: tensor<f32>,
                        %d: tensor<?x4xi64>, %e: tensor<3x1xi64>) {
  // CHECK: (tensor<8x1x6x1xf32>, tensor<7x1x5xf32>) -> tensor<8x7x6x5xf32>
  %0 = kiln.add %a, %b : (tensor<8x1x6x1xf32>, tensor<7x1x5xf32>) -> tensor<8x7x6x5xf32>
  // CHECK: (tensor<7x1x5xf32>, tensor<f32>) -> tensor<7x1x5xf32>
  %1 = kiln.mul %b, %s : (tensor<7x1x5xf32>, tensor<f32>) -> tensor<7x1x5xf32>
  // CHECK: (tensor<?x4xi64>, tensor<3x1xi64>) -> tensor<3x4xi64>
  %2 = kiln.sub %d, %e : (tensor<?x4xi64>, tensor<3x1xi64>) -> tensor<3x4xi64>
  return
}
