// Block-quantized element types print as their bare format name (with the
// rows of a repacked group as a suffix: q4_0x32) and survive a round trip
// through text and generic form.
// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// CHECK-LABEL: func.func @quant_types
// CHECK-SAME: tensor<64x32x!kiln.q8_0>
// CHECK-SAME: tensor<64x32x!kiln.q4_0>
// CHECK-SAME: tensor<8x256x!kiln.q4_k>
// CHECK-SAME: tensor<8x512x!kiln.q6_k>
func.func @quant_types(%a: tensor<64x32x!kiln.q8_0>, %b: tensor<64x32x!kiln.q4_0>,
                       %c: tensor<8x256x!kiln.q4_k>, %d: tensor<8x512x!kiln.q6_k>) {
  return
}

// CHECK-LABEL: func.func @repacked
// CHECK-SAME: tensor<64x32x!kiln.q4_0x32>
// CHECK-SAME: tensor<32x64x!kiln.q8_0x32>
// CHECK-SAME: tensor<32x256x!kiln.q4_kx32>
// CHECK-SAME: tensor<32x256x!kiln.q6_kx32>
func.func @repacked(%a: tensor<64x32x!kiln.q4_0x32>, %b: tensor<32x64x!kiln.q8_0x32>,
                    %c: tensor<32x256x!kiln.q4_kx32>, %d: tensor<32x256x!kiln.q6_kx32>) {
  return
}
