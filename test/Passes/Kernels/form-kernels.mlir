// kiln-form-kernels wraps each computation in a kernel of its family and
// clones constant operands into the region.
// RUN: kiln-opt %s --kiln-form-kernels -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @families
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>, %[[W:.*]]: tensor<8x8xf32>, %[[G:.*]]: tensor<8xf32>)
// CHECK: %[[N:.*]] = kiln.kernel normalization(%[[X]], %[[G]])
// CHECK:   kiln.rms_norm
// CHECK: %[[M:.*]] = kiln.kernel matmul(%[[N]], %[[W]])
// CHECK:   kiln.matmul
// CHECK: %[[R:.*]] = kiln.kernel elementwise(%[[M]])
// CHECK:   kiln.relu
// CHECK: %[[S:.*]] = kiln.kernel reduction(%[[R]])
// CHECK:   kiln.reduce_sum
// CHECK: %[[T:.*]] = kiln.kernel data_movement(%[[S]])
// CHECK:   kiln.transpose
// CHECK: return %[[T]]
func.func @families(%x: tensor<4x8xf32>, %w: tensor<8x8xf32>, %g: tensor<8xf32>) -> tensor<1x4xf32> {
  %n = kiln.rms_norm %x, %g : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %m = kiln.matmul %n, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %r = kiln.relu %m : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %s = kiln.reduce_sum %r {axes = array<i64: 1>} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %t = kiln.transpose %s {perm = array<i64: 1, 0>} : (tensor<4x1xf32>) -> tensor<1x4xf32>
  return %t : tensor<1x4xf32>
}

// -----

// A constant operand is cloned into the kernel, a repeated operand is one
// input.
// CHECK-LABEL: func.func @constants_inside
// CHECK: kiln.kernel elementwise(%{{.*}}) : (tensor<4xf32>) -> tensor<4xf32> {
// CHECK-NEXT: ^bb0(%[[A:.*]]: tensor<4xf32>):
// CHECK-NEXT:   %[[C:.*]] = kiln.constant dense<2.000000e+00> : tensor<f32>
// CHECK-NEXT:   %[[P:.*]] = kiln.mul %[[A]], %[[C]]
// CHECK-NEXT:   kiln.yield %[[P]]
// CHECK: kiln.kernel elementwise(%{{.*}}) : (tensor<4xf32>) -> tensor<4xf32> {
// CHECK-NEXT: ^bb0(%[[B:.*]]: tensor<4xf32>):
// CHECK-NEXT:   kiln.add %[[B]], %[[B]]
func.func @constants_inside(%x: tensor<4xf32>) -> tensor<4xf32> {
  %two = kiln.constant dense<2.0> : tensor<f32>
  %0 = kiln.mul %x, %two : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = kiln.add %0, %0 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// Weights are inputs; quantized ops land in their families.
// CHECK-LABEL: func.func @quantized
// CHECK: %[[W:.*]] = kiln.weight @w
// CHECK: kiln.kernel matmul(%{{.*}}, %[[W]]) : (tensor<2x64xf32>, tensor<16x64x!kiln.q8_0>) -> tensor<2x16xf32>
// CHECK: kiln.kernel quantization(%[[W]])
kiln.weight_decl @w : tensor<16x64x!kiln.q8_0>
func.func @quantized(%x: tensor<2x64xf32>) -> (tensor<2x16xf32>, tensor<16x64xf32>) {
  %w = kiln.weight @w : tensor<16x64x!kiln.q8_0>
  %0 = kiln.qmatmul %x, %w : (tensor<2x64xf32>, tensor<16x64x!kiln.q8_0>) -> tensor<2x16xf32>
  %1 = kiln.dequantize %w : (tensor<16x64x!kiln.q8_0>) -> tensor<16x64xf32>
  return %0, %1 : tensor<2x16xf32>, tensor<16x64xf32>
}
