// The 'shapes' phase pipeline: inference, canonicalization, CSE and dead
// code removal.
// RUN: kiln-opt %s --kiln-phase-shapes | FileCheck %s

// CHECK-LABEL: func.func @f
// CHECK-SAME: -> tensor<2x8xf32>
// Duplicate computations are merged, the dead one is gone.
// CHECK-COUNT-1: kiln.exp
// CHECK-NOT: kiln.exp
// CHECK-NOT: kiln.tanh
// CHECK: kiln.add
func.func @f(%x: tensor<2x8xf32>) -> tensor<*xf32> {
  %a = kiln.exp %x : (tensor<2x8xf32>) -> tensor<*xf32>
  %b = kiln.exp %x : (tensor<2x8xf32>) -> tensor<*xf32>
  %dead = kiln.tanh %x : (tensor<2x8xf32>) -> tensor<2x8xf32>
  %c = kiln.add %a, %b : (tensor<*xf32>, tensor<*xf32>) -> tensor<*xf32>
  return %c : tensor<*xf32>
}

// Private weights nobody reads are dropped from the table; public ones
// (the default) are kept.
// CHECK-NOT: kiln.weight_decl @unused
// CHECK: kiln.weight_decl @kept
kiln.weight_decl @unused : tensor<4xf32> {sym_visibility = "private"}
kiln.weight_decl @kept : tensor<4xf32>
