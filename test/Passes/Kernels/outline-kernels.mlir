// kiln-outline-kernels moves kernels into private functions and builds each
// distinct kernel once.
// RUN: kiln-opt %s --kiln-form-kernels --kiln-outline-kernels | FileCheck %s

// Two identical relus share one function; the matmul and the relu of a
// different shape get their own.
// CHECK-LABEL: func.func @model
// CHECK-NEXT: %[[A:.*]] = call @[[RELU:kernel_0_relu]](%{{.*}}) : (tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK-NEXT: %[[B:.*]] = call @[[RELU]](%[[A]]) : (tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK-NEXT: %[[C:.*]] = call @[[MM:kernel_1_matmul]](%[[B]], %{{.*}})
// CHECK-NEXT: %[[D:.*]] = call @[[RELU2:kernel_2_relu]](%[[C]]) : (tensor<4x2xf32>) -> tensor<4x2xf32>
// CHECK-NEXT: return %[[D]]
func.func @model(%x: tensor<4x8xf32>, %w: tensor<8x2xf32>) -> tensor<4x2xf32> {
  %0 = kiln.relu %x : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %1 = kiln.relu %0 : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %2 = kiln.matmul %1, %w : (tensor<4x8xf32>, tensor<8x2xf32>) -> tensor<4x2xf32>
  %3 = kiln.relu %2 : (tensor<4x2xf32>) -> tensor<4x2xf32>
  return %3 : tensor<4x2xf32>
}

// Same op and shapes but a different attribute is a different kernel.
// CHECK-LABEL: func.func @attributes_matter
// CHECK: call @[[G1:kernel_3_gelu]](
// CHECK: call @[[G2:kernel_4_gelu]](
func.func @attributes_matter(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %0 = kiln.gelu %x : (tensor<8xf32>) -> tensor<8xf32>
  %1 = kiln.gelu %x {approximation = #kiln<gelu_approximation tanh>} : (tensor<8xf32>) -> tensor<8xf32>
  return %0, %1 : tensor<8xf32>, tensor<8xf32>
}

// CHECK: func.func private @[[RELU]](%{{.*}}: tensor<4x8xf32>) -> tensor<4x8xf32> attributes {kiln.kernel = #kiln<kernel_family elementwise>}
// CHECK-NEXT: kiln.relu
// CHECK-NEXT: return
// CHECK: func.func private @[[MM]]({{.*}}) -> tensor<4x2xf32> attributes {kiln.kernel = #kiln<kernel_family matmul>}
// CHECK: func.func private @[[RELU2]]({{.*}}) -> tensor<4x2xf32> attributes {kiln.kernel = #kiln<kernel_family elementwise>}
// CHECK: func.func private @[[G1]]
// CHECK-NOT: approximation
// CHECK: func.func private @[[G2]]
// CHECK-NEXT: approximation = #kiln<gelu_approximation tanh>
// CHECK-NOT: func.func
