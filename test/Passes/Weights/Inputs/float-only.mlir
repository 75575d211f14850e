// Input of repack-weights.mlir: no Q4_0 or Q8_0 weight, so nothing to repack.
module {
  kiln.weight_decl @k : tensor<32x256x!kiln.q4_k> {source = "IN", offset = 0 : i64}
  kiln.weight_decl @wf : tensor<32x64xf32> {source = "IN", offset = 4608 : i64}
  func.func @f(%x: tensor<1x256xf32>, %y: tensor<1x64xf32>) -> (tensor<1x32xf32>, tensor<1x32xf32>) {
    %k = kiln.weight @k : tensor<32x256x!kiln.q4_k>
    %a = kiln.qmatmul %x, %k : (tensor<1x256xf32>, tensor<32x256x!kiln.q4_k>) -> tensor<1x32xf32>
    %f = kiln.weight @wf : tensor<32x64xf32>
    %b = kiln.matmul %y, %f {transpose_rhs} : (tensor<1x64xf32>, tensor<32x64xf32>) -> tensor<1x32xf32>
    return %a, %b : tensor<1x32xf32>, tensor<1x32xf32>
  }
}
