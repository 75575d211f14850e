// kiln.format / kiln.parse and the string, sequence and optional types
// round-trip through the printer and parser.
// RUN: kiln-opt %s | FileCheck %s
// RUN: kiln-opt %s | kiln-opt | FileCheck %s

// CHECK-LABEL: func.func @text
// CHECK: kiln.format %{{.*}} : (tensor<3x4xf32>) -> tensor<3x4x!kiln.string>
// CHECK: kiln.parse %{{.*}} to i32 : (tensor<3x4x!kiln.string>) -> tensor<3x4xi32>
func.func @text(%x: tensor<3x4xf32>) -> tensor<3x4xi32> {
  %s = kiln.format %x : (tensor<3x4xf32>) -> tensor<3x4x!kiln.string>
  %i = kiln.parse %s to i32 : (tensor<3x4x!kiln.string>) -> tensor<3x4xi32>
  return %i : tensor<3x4xi32>
}

// CHECK-LABEL: func.func @values
// CHECK-SAME: !kiln.optional<!kiln.sequence<tensor<5xf32>>>
// CHECK-SAME: !kiln.sequence<tensor<*xi64>>
func.func @values(%a: !kiln.optional<!kiln.sequence<tensor<5xf32>>>,
                  %b: !kiln.sequence<tensor<*xi64>>)
    -> (!kiln.optional<!kiln.sequence<tensor<5xf32>>>, !kiln.sequence<tensor<*xi64>>) {
  return %a, %b : !kiln.optional<!kiln.sequence<tensor<5xf32>>>, !kiln.sequence<tensor<*xi64>>
}
