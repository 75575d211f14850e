// kiln-infer-shapes refines result types, folds computed shapes and
// updates the function signature.
// RUN: kiln-opt %s --kiln-infer-shapes -split-input-file | FileCheck %s

// The example from the pass description.
// CHECK-LABEL: func.func @computed_shape
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>) -> tensor<2x8xf32>
// CHECK-NEXT: %[[E:.*]] = kiln.exp %[[X]] : (tensor<2x8xf32>) -> tensor<2x8xf32>
// CHECK-NEXT: return %[[E]] : tensor<2x8xf32>
func.func @computed_shape(%x: tensor<2x8xf32>) -> tensor<*xf32> {
  %s = kiln.shape_of %x : (tensor<2x8xf32>) -> tensor<2xi64>
  %r = kiln.dynamic_reshape %x, %s : (tensor<2x8xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  %e = kiln.exp %r : (tensor<?x?xf32>) -> tensor<*xf32>
  return %e : tensor<*xf32>
}

// -----

// Types flow through a small attention block written with unranked results.
// CHECK-LABEL: func.func @block
// CHECK-SAME: -> tensor<1x4x64xf32>
// CHECK: kiln.rms_norm {{.*}} -> tensor<1x4x64xf32>
// CHECK: kiln.matmul {{.*}} -> tensor<1x4x64xf32>
// CHECK: kiln.reshape {{.*}} -> tensor<1x4x4x16xf32>
// CHECK: kiln.rope {{.*}} -> tensor<1x4x4x16xf32>
// CHECK: kiln.attention {{.*}} -> tensor<1x4x4x16xf32>
// CHECK: kiln.reshape {{.*}} -> tensor<1x4x64xf32>
// CHECK: kiln.add {{.*}} -> tensor<1x4x64xf32>
func.func @block(%x: tensor<1x4x64xf32>, %pos: tensor<4xi32>, %g: tensor<64xf32>,
                 %wq: tensor<64x64xf32>) -> tensor<*xf32> {
  %n = kiln.rms_norm %x, %g : (tensor<1x4x64xf32>, tensor<64xf32>) -> tensor<*xf32>
  %q = kiln.matmul %n, %wq {transpose_rhs} : (tensor<*xf32>, tensor<64x64xf32>) -> tensor<*xf32>
  %h = kiln.reshape %q {shape = array<i64: 1, 4, 4, -1>} : (tensor<*xf32>) -> tensor<1x4x4x?xf32>
  %r = kiln.rope %h, %pos {mode = #kiln<rope_mode adjacent>} : (tensor<1x4x4x?xf32>, tensor<4xi32>) -> tensor<*xf32>
  %a = kiln.attention %r, %r, %r {causal} : (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) -> tensor<*xf32>
  %o = kiln.reshape %a {shape = array<i64: 1, 4, 64>} : (tensor<*xf32>) -> tensor<1x4x64xf32>
  %y = kiln.add %x, %o : (tensor<1x4x64xf32>, tensor<1x4x64xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// Symbolic dimensions stay dynamic (allowed by default) but ranks resolve.
// CHECK-LABEL: func.func @symbolic_batch
// CHECK-SAME: (%{{.*}}: tensor<?x16xf32>, %{{.*}}: tensor<16x8xf32>) -> tensor<?x8xf32>
// CHECK: kiln.matmul {{.*}} -> tensor<?x8xf32>
// CHECK: kiln.relu {{.*}} -> tensor<?x8xf32>
func.func @symbolic_batch(%x: tensor<?x16xf32>, %w: tensor<16x8xf32>) -> tensor<*xf32> {
  %0 = kiln.matmul %x, %w : (tensor<?x16xf32>, tensor<16x8xf32>) -> tensor<*xf32>
  %1 = kiln.relu %0 : (tensor<*xf32>) -> tensor<*xf32>
  return %1 : tensor<*xf32>
}

// -----

// Shape arithmetic on constants (an ONNX-style Shape/Gather/Concat chain)
// folds until the reshape is static.
// CHECK-LABEL: func.func @shape_chain
// CHECK-NOT: kiln.shape_of
// CHECK-NOT: kiln.dynamic_reshape
// CHECK: kiln.reshape %{{.*}} {shape = array<i64: 2, 4, 2>} : (tensor<2x8xf32>) -> tensor<2x4x2xf32>
// CHECK: kiln.softmax {{.*}} -> tensor<2x4x2xf32>
func.func @shape_chain(%x: tensor<2x8xf32>) -> tensor<*xf32> {
  %s = kiln.shape_of %x : (tensor<2x8xf32>) -> tensor<2xi64>
  %first = kiln.slice %s {offsets = array<i64: 0>, sizes = array<i64: 1>, strides = array<i64: 1>} : (tensor<2xi64>) -> tensor<1xi64>
  %tail = kiln.constant dense<[4, -1]> : tensor<2xi64>
  %shape = kiln.concat %first, %tail {axis = 0 : i64} : (tensor<1xi64>, tensor<2xi64>) -> tensor<3xi64>
  %r = kiln.dynamic_reshape %x, %shape : (tensor<2x8xf32>, tensor<3xi64>) -> tensor<?x?x?xf32>
  %p = kiln.softmax %r : (tensor<?x?x?xf32>) -> tensor<*xf32>
  return %p : tensor<*xf32>
}
