// kiln.constant holds small tensors; its type is the value's type.
// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

// CHECK-LABEL: func.func @constants
func.func @constants() -> (tensor<2xi64>, tensor<f32>, tensor<2x2xi1>) {
  // CHECK: kiln.constant dense<[1, 64]> : tensor<2xi64>
  // GENERIC: "kiln.constant"() <{value = dense<[1, 64]> : tensor<2xi64>}> : () -> tensor<2xi64>
  %0 = kiln.constant dense<[1, 64]> : tensor<2xi64>
  // CHECK: kiln.constant dense<5.000000e-01> : tensor<f32>
  %1 = kiln.constant dense<0.5> : tensor<f32>
  // CHECK: kiln.constant dense<{{\[}}[true, false], [false, true]]> : tensor<2x2xi1>
  %2 = kiln.constant dense<[[true, false], [false, true]]> : tensor<2x2xi1>
  return %0, %1, %2 : tensor<2xi64>, tensor<f32>, tensor<2x2xi1>
}
