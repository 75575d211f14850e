// A producer whose result feeds several operands of the same consumer fuses
// once; inputs shared by producer and consumer become one kernel argument.
// RUN: kiln-opt %s --kiln-form-kernels --kiln-fuse-elementwise | FileCheck %s

// CHECK-LABEL: func.func @square_plus_x
// CHECK: kiln.kernel elementwise(%[[X:.*]]) : (tensor<8xf32>) -> tensor<8xf32> {
// CHECK-NEXT: ^bb0(%[[A:.*]]: tensor<8xf32>):
// CHECK-NEXT:   %[[E:.*]] = kiln.exp %[[A]]
// CHECK-NEXT:   %[[M:.*]] = kiln.mul %[[E]], %[[E]]
// CHECK-NEXT:   %[[S:.*]] = kiln.add %[[M]], %[[A]]
// CHECK-NEXT:   kiln.yield %[[S]]
// CHECK-NOT: kiln.kernel
func.func @square_plus_x(%x: tensor<8xf32>) -> tensor<8xf32> {
  %e = kiln.exp %x : (tensor<8xf32>) -> tensor<8xf32>
  %m = kiln.mul %e, %e : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %s = kiln.add %m, %x : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %s : tensor<8xf32>
}
