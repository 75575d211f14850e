// With allow-dynamic=false, a dimension that stays dynamic is an error
// naming the op; fully static graphs pass.
// RUN: kiln-opt %s --kiln-infer-shapes="allow-dynamic=false" -split-input-file -verify-diagnostics | FileCheck %s

func.func @dynamic_batch(%x: tensor<?x16xf32>) -> tensor<?x16xf32> {
  // expected-error @+1 {{kiln-infer-shapes: cannot infer a static type for the result of 'kiln.relu' from operand types 'tensor<?x16xf32>'}}
  %0 = kiln.relu %x : (tensor<?x16xf32>) -> tensor<?x16xf32>
  return %0 : tensor<?x16xf32>
}

// -----

// CHECK-LABEL: func.func @all_static
// CHECK: kiln.relu {{.*}} -> tensor<4x16xf32>
func.func @all_static(%x: tensor<4x16xf32>) -> tensor<?x16xf32> {
  %0 = kiln.relu %x : (tensor<4x16xf32>) -> tensor<?x16xf32>
  return %0 : tensor<?x16xf32>
}
