// The 'kernels' phase pipeline: kernel formation, elementwise fusion and
// outlining into one function per distinct kernel.
// RUN: kiln-opt %s --kiln-phase-kernels | FileCheck %s

// CHECK-LABEL: func.func @mlp
// CHECK-NEXT: %[[H:.*]] = call @[[MM1:kernel_0_matmul]](
// CHECK-NEXT: %[[Y:.*]] = call @[[MM2:kernel_1_gelu_matmul]](%[[H]],
// CHECK-NEXT: return %[[Y]]
// CHECK: func.func private @[[MM1]]
// CHECK-SAME: kiln.kernel = #kiln<kernel_family matmul>
// CHECK: func.func private @[[MM2]]
// CHECK-SAME: kiln.kernel = #kiln<kernel_family matmul>
// CHECK-NEXT: kiln.gelu
// CHECK-NEXT: kiln.matmul
func.func @mlp(%x: tensor<4x16xf32>, %w1: tensor<16x32xf32>, %w2: tensor<32x16xf32>) -> tensor<4x16xf32> {
  %h = kiln.matmul %x, %w1 : (tensor<4x16xf32>, tensor<16x32xf32>) -> tensor<4x32xf32>
  %g = kiln.gelu %h : (tensor<4x32xf32>) -> tensor<4x32xf32>
  %y = kiln.matmul %g, %w2 : (tensor<4x32xf32>, tensor<32x16xf32>) -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}
