// kiln.cast changes the element type and keeps the shape.
// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// CHECK-LABEL: func.func @casts
func.func @casts(%x: tensor<2x?xf32>, %i: tensor<4xi64>) {
  // CHECK: kiln.cast %{{.*}} to f16 : (tensor<2x?xf32>) -> tensor<2x?xf16>
  %0 = kiln.cast %x to f16 : (tensor<2x?xf32>) -> tensor<2x?xf16>
  // CHECK: kiln.cast %{{.*}} to f32 : (tensor<4xi64>) -> tensor<4xf32>
  %1 = kiln.cast %i to f32 : (tensor<4xi64>) -> tensor<4xf32>
  // CHECK: kiln.cast %{{.*}} to i1 : (tensor<4xi64>) -> tensor<4xi1>
  %2 = kiln.cast %i to i1 : (tensor<4xi64>) -> tensor<4xi1>
  // CHECK: kiln.cast %{{.*}} to ui8 : (tensor<4xi64>) -> tensor<4xui8>
  %3 = kiln.cast %i to ui8 : (tensor<4xi64>) -> tensor<4xui8>
  // ONNX 1.12's float-to-bfloat16 (drops the low 16 bits).
  // CHECK: kiln.cast %{{.*}} to bf16 {truncate} : (tensor<2x?xf32>) -> tensor<2x?xbf16>
  %4 = kiln.cast %x to bf16 {truncate} : (tensor<2x?xf32>) -> tensor<2x?xbf16>
  return
}
