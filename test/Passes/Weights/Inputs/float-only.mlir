// Input of repack-weights.mlir: no Q4_0 weight, so nothing to repack.
module {
  kiln.weight_decl @q : tensor<64x64x!kiln.q8_0> {source = "IN", offset = 0 : i64}
  func.func @f(%x: tensor<1x64xf32>) -> tensor<1x64xf32> {
    %q = kiln.weight @q : tensor<64x64x!kiln.q8_0>
    %a = kiln.qmatmul %x, %q : (tensor<1x64xf32>, tensor<64x64x!kiln.q8_0>) -> tensor<1x64xf32>
    return %a : tensor<1x64xf32>
  }
}
