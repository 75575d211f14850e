// Every unary elementwise op round-trips; results keep the operand's type.
// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// CHECK-LABEL: func.func @float_unary
func.func @float_unary(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  // CHECK: kiln.sqrt %{{.*}} : (tensor<2x8xf32>) -> tensor<2x8xf32>
  %0 = kiln.sqrt %x : (tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: kiln.rsqrt
  %1 = kiln.rsqrt %0 : (tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: kiln.exp
  %2 = kiln.exp %1 : (tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: kiln.log
  %3 = kiln.log %2 : (tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: kiln.erf
  %4 = kiln.erf %3 : (tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: kiln.tanh
  %5 = kiln.tanh %4 : (tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: kiln.sigmoid
  %6 = kiln.sigmoid %5 : (tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: kiln.silu
  %7 = kiln.silu %6 : (tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: kiln.relu
  %8 = kiln.relu %7 : (tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: kiln.neg
  %9 = kiln.neg %8 : (tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: kiln.abs
  %10 = kiln.abs %9 : (tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: kiln.sin
  %t0 = kiln.sin %x : (tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: kiln.cos
  %t1 = kiln.cos %x : (tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: kiln.tan
  %t2 = kiln.tan %x : (tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: kiln.asin
  %t3 = kiln.asin %x : (tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: kiln.acos
  %t4 = kiln.acos %x : (tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: kiln.atan
  %t5 = kiln.atan %x : (tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: kiln.sinh
  %t6 = kiln.sinh %x : (tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: kiln.cosh
  %t7 = kiln.cosh %x : (tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: kiln.asinh
  %t8 = kiln.asinh %x : (tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: kiln.acosh
  %t9 = kiln.acosh %x : (tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: kiln.atanh
  %t10 = kiln.atanh %x : (tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: kiln.floor
  %11 = kiln.floor %10 : (tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: kiln.ceil
  %12 = kiln.ceil %11 : (tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: kiln.round
  %13 = kiln.round %12 : (tensor<2x8xf32>) -> tensor<2x8xf32>
  return %13 : tensor<2x8xf32>
}

// CHECK-LABEL: func.func @integer_unary
func.func @integer_unary(%x: tensor<4xi32>) -> tensor<4xi32> {
  // CHECK: kiln.neg %{{.*}} : (tensor<4xi32>) -> tensor<4xi32>
  %0 = kiln.neg %x : (tensor<4xi32>) -> tensor<4xi32>
  // CHECK: kiln.abs
  %1 = kiln.abs %0 : (tensor<4xi32>) -> tensor<4xi32>
  // CHECK: kiln.relu
  %2 = kiln.relu %1 : (tensor<4xi32>) -> tensor<4xi32>
  return %2 : tensor<4xi32>
}

// A result may be less refined than the inferred type until shape inference.
// CHECK-LABEL: func.func @less_refined
func.func @less_refined(%x: tensor<2x8xf16>) -> tensor<*xf16> {
  // CHECK: kiln.exp %{{.*}} : (tensor<2x8xf16>) -> tensor<?x8xf16>
  %0 = kiln.exp %x : (tensor<2x8xf16>) -> tensor<?x8xf16>
  // CHECK: kiln.tanh %{{.*}} : (tensor<?x8xf16>) -> tensor<*xf16>
  %1 = kiln.tanh %0 : (tensor<?x8xf16>) -> tensor<*xf16>
  return %1 : tensor<*xf16>
}

// CHECK-LABEL: func.func @gelu
func.func @gelu(%x: tensor<8xbf16>) -> (tensor<8xbf16>, tensor<8xbf16>) {
  // CHECK: kiln.gelu %{{.*}} : (tensor<8xbf16>) -> tensor<8xbf16>
  %0 = kiln.gelu %x : (tensor<8xbf16>) -> tensor<8xbf16>
  // CHECK: kiln.gelu %{{.*}} {approximation = #kiln<gelu_approximation tanh>}
  %1 = kiln.gelu %x {approximation = #kiln<gelu_approximation tanh>} : (tensor<8xbf16>) -> tensor<8xbf16>
  return %0, %1 : tensor<8xbf16>, tensor<8xbf16>
}
