// kiln.kernel regions: isolated from above, inputs as block arguments.
// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// CHECK-LABEL: func.func @kernel
func.func @kernel(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>) -> tensor<4x2xf32> {
  // CHECK: kiln.kernel matmul(%{{.*}}, %{{.*}}) : (tensor<4x8xf32>, tensor<8x2xf32>) -> tensor<4x2xf32> {
  // CHECK-NEXT: ^bb0(%[[X:.*]]: tensor<4x8xf32>, %[[Y:.*]]: tensor<8x2xf32>):
  // CHECK-NEXT:   %[[M:.*]] = kiln.matmul %[[X]], %[[Y]]
  // CHECK-NEXT:   kiln.yield %[[M]] : tensor<4x2xf32>
  %0 = kiln.kernel matmul(%a, %b) : (tensor<4x8xf32>, tensor<8x2xf32>) -> tensor<4x2xf32> {
  ^bb0(%x: tensor<4x8xf32>, %y: tensor<8x2xf32>):
    %m = kiln.matmul %x, %y : (tensor<4x8xf32>, tensor<8x2xf32>) -> tensor<4x2xf32>
    kiln.yield %m : tensor<4x2xf32>
  }
  return %0 : tensor<4x2xf32>
}
