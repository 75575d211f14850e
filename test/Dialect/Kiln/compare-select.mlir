// kiln.compare gives i1 with broadcasting; kiln.select (ONNX Where)
// broadcasts its three operands.
// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// CHECK-LABEL: func.func @causal_mask
func.func @causal_mask(%row: tensor<4x1xi64>, %col: tensor<1x4xi64>, %s: tensor<4x4xf32>,
                       %ninf: tensor<f32>) -> tensor<4x4xf32> {
  // CHECK: kiln.compare ge, %{{.*}}, %{{.*}} : (tensor<4x1xi64>, tensor<1x4xi64>) -> tensor<4x4xi1>
  %m = kiln.compare ge, %row, %col : (tensor<4x1xi64>, tensor<1x4xi64>) -> tensor<4x4xi1>
  // CHECK: kiln.select %{{.*}}, %{{.*}}, %{{.*}} : (tensor<4x4xi1>, tensor<4x4xf32>, tensor<f32>) -> tensor<4x4xf32>
  %r = kiln.select %m, %s, %ninf : (tensor<4x4xi1>, tensor<4x4xf32>, tensor<f32>) -> tensor<4x4xf32>
  return %r : tensor<4x4xf32>
}

// CHECK-LABEL: func.func @predicates
func.func @predicates(%a: tensor<3xf32>) {
  // CHECK: kiln.compare eq
  %0 = kiln.compare eq, %a, %a : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xi1>
  // CHECK: kiln.compare ne
  %1 = kiln.compare ne, %a, %a : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xi1>
  // CHECK: kiln.compare lt
  %2 = kiln.compare lt, %a, %a : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xi1>
  // CHECK: kiln.compare le
  %3 = kiln.compare le, %a, %a : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xi1>
  // CHECK: kiln.compare gt
  %4 = kiln.compare gt, %a, %a : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xi1>
  return
}
