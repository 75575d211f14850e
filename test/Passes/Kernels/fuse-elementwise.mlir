// kiln-fuse-elementwise inlines single-use elementwise kernels into their
// consumer kernel.
// RUN: kiln-opt %s --kiln-form-kernels --kiln-fuse-elementwise -split-input-file | FileCheck %s

// A chain of elementwise ops becomes one kernel.
// CHECK-LABEL: func.func @chain
// CHECK: %[[K:.*]] = kiln.kernel elementwise(%{{.*}}, %{{.*}}) : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32> {
// CHECK-NEXT: ^bb0(%[[X:.*]]: tensor<8xf32>, %[[Y:.*]]: tensor<8xf32>):
// CHECK-NEXT:   %[[E:.*]] = kiln.exp %[[X]]
// CHECK-NEXT:   %[[A:.*]] = kiln.add %[[E]], %[[Y]]
// CHECK-NEXT:   %[[T:.*]] = kiln.tanh %[[A]]
// CHECK-NEXT:   kiln.yield %[[T]]
// CHECK-NOT: kiln.kernel
// CHECK: return %[[K]]
func.func @chain(%x: tensor<8xf32>, %y: tensor<8xf32>) -> tensor<8xf32> {
  %0 = kiln.exp %x : (tensor<8xf32>) -> tensor<8xf32>
  %1 = kiln.add %0, %y : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %2 = kiln.tanh %1 : (tensor<8xf32>) -> tensor<8xf32>
  return %2 : tensor<8xf32>
}

// -----

// An elementwise prologue fuses into a matmul kernel, which stays matmul.
// CHECK-LABEL: func.func @prologue
// CHECK: kiln.kernel matmul
// CHECK-NEXT: ^bb0
// CHECK-NEXT:   kiln.silu
// CHECK-NEXT:   kiln.matmul
// CHECK-NEXT:   kiln.yield
// CHECK-NOT: kiln.kernel
func.func @prologue(%x: tensor<4x8xf32>, %w: tensor<8x2xf32>) -> tensor<4x2xf32> {
  %0 = kiln.silu %x : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %1 = kiln.matmul %0, %w : (tensor<4x8xf32>, tensor<8x2xf32>) -> tensor<4x2xf32>
  return %1 : tensor<4x2xf32>
}

// -----

// A result used by two kernels (or returned) is not fused: it would be
// computed twice.
// CHECK-LABEL: func.func @shared
// CHECK-COUNT-3: kiln.kernel
func.func @shared(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %0 = kiln.exp %x : (tensor<8xf32>) -> tensor<8xf32>
  %1 = kiln.neg %0 : (tensor<8xf32>) -> tensor<8xf32>
  %2 = kiln.abs %0 : (tensor<8xf32>) -> tensor<8xf32>
  return %1, %2 : tensor<8xf32>, tensor<8xf32>
}

// -----

// Only elementwise producers fuse: a matmul feeding a relu stays separate.
// CHECK-LABEL: func.func @no_epilogue_yet
// CHECK: kiln.kernel matmul
// CHECK: kiln.kernel elementwise
func.func @no_epilogue_yet(%x: tensor<4x8xf32>, %w: tensor<8x2xf32>) -> tensor<4x2xf32> {
  %0 = kiln.matmul %x, %w : (tensor<4x8xf32>, tensor<8x2xf32>) -> tensor<4x2xf32>
  %1 = kiln.relu %0 : (tensor<4x2xf32>) -> tensor<4x2xf32>
  return %1 : tensor<4x2xf32>
}
